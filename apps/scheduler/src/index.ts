export { Scheduler, type SchedulerResources, type SchedulerSettings } from './scheduler.js';
export type { VolumeClaims } from './volume-claims.js';
export { LostJobReaper, type LostJobReaperOptions } from './lost-job-reaper.js';
export { CronLoop, type CronLoopOptions, type CronSubmit } from './cron/cron-loop.js';
export { latestTick, nextTick, planCron, historyLimits, type CronPlan } from './cron/cron-planner.js';
export { readSchedulerConfig, type SchedulerConfig } from './config.js';
export { startSchedulerService } from './service.js';
export { WorkflowArchiver, type WorkflowArchiverOptions } from './workflow-archiver.js';
