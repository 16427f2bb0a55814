export { Scheduler, type SchedulerOptions, type VolumeClaims } from './scheduler.js';
