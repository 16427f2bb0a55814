// `regatta event-binding …`: the WorkflowEventBindings that decide which events sent to the server
// (`POST /api/v1/events/{namespace}/{discriminator}`) submit which WorkflowTemplates, kept as
// `kubectl apply -f` keeps them. Every expression is parsed before anything is stored.
import type { Command } from 'commander';
import { bindingExpressionIssues } from '@regatta/client';
import { loadWorkflowEventBindings, type WorkflowEventBinding } from '@regatta/spec';
import type { CliConfig } from '../config.js';
import { registerAppliedResource } from './applied-resources.js';

export function registerEventBindings(program: Command, config: CliConfig): void {
  registerAppliedResource(program, config, {
    kind: 'WorkflowEventBinding',
    command: 'event-binding',
    description: 'manage WorkflowEventBindings: which events submit which WorkflowTemplates',
    printedAs: 'workfloweventbinding.argoproj.io',
    load: loadChecked,
    columns: [['TEMPLATE', ({ spec }) => (spec.submit ? `${spec.submit.workflowTemplateRef.clusterScope ? 'cluster/' : ''}${spec.submit.workflowTemplateRef.name}` : '')]],
  });
}

/** The bindings of a file, each expression parsed; each issue names the binding and the field (readResourceFiles adds the file to the first). */
function loadChecked(text: string, file: string): WorkflowEventBinding[] {
  const bindings = loadWorkflowEventBindings(text, file);
  const problems = bindings.flatMap((binding) => bindingExpressionIssues(binding).map(({ path, message }) => `WorkflowEventBinding "${binding.metadata.name}": ${path}: ${message}`));
  if (problems.length > 0) throw new Error(problems.join(`\n${file}: `));
  return bindings;
}
