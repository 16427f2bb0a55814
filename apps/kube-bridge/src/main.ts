// `regatta-kube-bridge`: runs Workflow objects applied to Kubernetes (`kubectl apply -f wf.yaml`) on
// Regatta, configured by its environment, until SIGTERM or SIGINT.
import { runUntilSignal, settingsOrExit } from '@regatta/service';
import { createLogger } from '@regatta/telemetry';
import { readBridgeConfig } from './config.js';
import { startBridgeService } from './service.js';

const config = settingsOrExit(() => readBridgeConfig());
const logger = createLogger('kube-bridge', { level: config.logLevel });
await runUntilSignal(logger, () => startBridgeService(config, logger));
