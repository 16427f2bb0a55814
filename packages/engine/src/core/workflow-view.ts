// The part of a WorkflowState that the modules it is built from read: its spec, templates and nodes.
// They take this view instead of the class, so the state can use them without an import cycle.
import type { NodeStatus, Workflow } from '@regatta/spec';
import type { TemplateIndex } from '../templates/template-index.js';

export interface WorkflowView {
  readonly workflow: Workflow;
  readonly templates: TemplateIndex;
  node(id: string): NodeStatus | undefined;
}
