// Argo's key for a template of a WorkflowTemplate copied into a workflow's `status.storedTemplates`:
// submission writes under it and the engine reads by it, so both must spell it the same way.
import type { TemplateRef } from './types.js';

export function storedTemplateKey(ref: TemplateRef): string {
  return `${ref.clusterScope ? 'cluster' : 'namespaced'}/${ref.name}/${ref.template}`;
}
