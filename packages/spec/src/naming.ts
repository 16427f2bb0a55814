// Argo's naming rules: users' tools and Argo's own tests address nodes by these exact ids and names.

/** 32-bit FNV-1a over the UTF-8 bytes of `text` (Go's hash/fnv New32a). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Argo's `Workflow.NodeID`: the root node's id is the workflow name, others `<wf>-<fnv1a32(name)>`. */
export function nodeId(workflowName: string, nodeName: string): string {
  return nodeName === workflowName ? workflowName : `${workflowName}-${fnv1a32(nodeName)}`;
}
