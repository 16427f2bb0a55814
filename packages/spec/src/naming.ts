// Argo's naming rules: users' tools and Argo's own tests address nodes by these exact ids and names.
import type { NodeStatus } from './types.js';

/** 32-bit FNV-1a over the UTF-8 bytes of `text` (Go's hash/fnv New32a). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Node names are ASCII in practice; anything else is hashed over its UTF-8 bytes, as Go does.
    if (code >= 0x80) return fnv1a32Bytes(new TextEncoder().encode(text));
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return hash >>> 0;
}

function fnv1a32Bytes(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}

/** Argo's `Workflow.NodeID`: the root node's id is the workflow name, others `<wf>-<fnv1a32(name)>`. */
export function nodeId(workflowName: string, nodeName: string): string {
  return nodeName === workflowName ? workflowName : `${workflowName}-${fnv1a32(nodeName)}`;
}

/**
 * Argo's id for a new node unless another node already holds it: 32-bit hashes of 10,000 names
 * collide about once in a hundred workflows, and Argo then confuses the two nodes (one is never
 * created and its workflow never ends). Here the later node takes `<wf>-<fnv1a32(name#k)>` for the
 * first free k, the same on every replay of the same creations.
 */
export function freeNodeId(workflowName: string, nodeName: string, holderOf: (id: string) => string | undefined): string {
  let id = nodeId(workflowName, nodeName);
  for (let k = 1; ; k++) {
    const holder = holderOf(id);
    if (holder === undefined || holder === nodeName) return id;
    id = `${workflowName}-${fnv1a32(`${nodeName}#${k}`)}`;
  }
}

/**
 * Argo's v2 pod names: `<workflow>-<template>-<fnv32a(node name)>`, the workflow's own name for a
 * workflow that is one pod; the template part is left out when the workflow name already holds it.
 */
export function podName(workflowName: string, nodeName: string, templateName: string): string {
  if (workflowName === nodeName) return workflowName;
  let prefix = workflowName.includes(templateName) || templateName === '' ? workflowName : `${workflowName}-${templateName}`;
  // Kubernetes names are at most 253 characters; Argo keeps the prefix to leave room for the hash.
  if (prefix.length > 242) prefix = prefix.slice(0, 242);
  return `${prefix}-${fnv1a32(nodeName)}`;
}

/**
 * The pod a node's output comes from, as `argo get` (PODNAME) and `argo logs` name it: a pod node's own,
 * a container set container's that of its pod (the node `<pod name>.<container>`); '' for nodes that
 * run no pod.
 */
export function nodePodName(workflowName: string, node: NodeStatus, nodes: Readonly<Record<string, NodeStatus>>): string {
  if (node.type === 'Pod') return podName(workflowName, node.name, node.templateName ?? '');
  if (node.type !== 'Container') return '';
  const pod = nodes[nodeId(workflowName, node.name.slice(0, -node.displayName.length - 1))];
  return pod?.type === 'Pod' ? podName(workflowName, pod.name, pod.templateName ?? '') : '';
}
