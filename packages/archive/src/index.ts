export { WorkflowArchive, type ArchiveOptions, type ArchiveListOptions, type ArchivePage, type ArchivedWorkflowSummary, type ArchivedLogLine } from './workflow-archive.js';
export { migrate } from './migrate.js';
export { readArchiveConfig, type ArchiveConfig } from './config.js';
export type { NameMatch } from './list-query.js';
