export type * from './types.js';
export { fnv1a32, nodeId } from './naming.js';
