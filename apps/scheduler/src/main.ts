// `regatta-scheduler`: a scheduler process, configured by its environment, until SIGTERM or SIGINT.
import { runUntilSignal, settingsOrExit } from '@regatta/service';
import { createLogger } from '@regatta/telemetry';
import { readSchedulerConfig } from './config.js';
import { startSchedulerService } from './service.js';

const config = settingsOrExit(() => readSchedulerConfig());
const logger = createLogger('scheduler', { level: config.logLevel });
await runUntilSignal(logger, () => startSchedulerService(config, logger));
