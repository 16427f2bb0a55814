// The CLI's pictures of a workflow, as Argo's `argo get` and `argo watch` draw them; pure, given the time.
export { formatDuration } from './humanize.js';
export { renderNodeTree, type RenderOptions } from './tree.js';
export { renderWorkflow } from './workflow.js';
