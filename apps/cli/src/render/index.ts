export { formatDuration } from './duration.js';
export { renderNodeTree, type RenderOptions } from './tree.js';
export { renderWorkflow } from './workflow.js';
