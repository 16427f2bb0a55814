// `regatta-worker`: a worker process, configured by its environment, until SIGTERM or SIGINT.
import { runUntilSignal, settingsOrExit } from '@regatta/service';
import { createLogger } from '@regatta/telemetry';
import { readWorkerConfig } from './config.js';
import { startWorkerService } from './service.js';

const config = settingsOrExit(() => readWorkerConfig());
const logger = createLogger('worker', { level: config.logLevel });
await runUntilSignal(logger, () => startWorkerService(config, logger));
