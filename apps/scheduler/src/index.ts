export { Scheduler, type SchedulerOptions, type VolumeClaims } from './scheduler.js';
export { LostJobReaper, type LostJobReaperOptions } from './lost-job-reaper.js';
export { CronLoop, type CronLoopOptions, type CronSubmit } from './cron/cron-loop.js';
export { cronExpressionIssues, latestTick, nextTick, planCron, historyLimits, type CronPlan } from './cron/cron-planner.js';
export { WorkflowArchiver, type WorkflowArchiverOptions } from './workflow-archiver.js';
