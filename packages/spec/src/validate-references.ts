// Template references: the entrypoint, the exit handlers, hooks and every step and task name a
// template that exists, and names are unique where Argo looks things up by name (templates, steps,
// tasks). A WorkflowTemplate need not name an entrypoint: the workflows that use it may.
import type { IssueList } from './issues.js';
import { allHooks, allTemplates, callsOf, templateLabel, type SpecHolder } from './walk.js';

export function validateReferences(holder: SpecHolder, issues: IssueList, complete = true): void {
  const names = new Set<string>();
  (holder.spec.templates ?? []).forEach((template, i) => {
    if (names.has(template.name)) issues.add('DUPLICATE', ['spec', 'templates', i, 'name'], `template name "${template.name}" is used twice`);
    names.add(template.name);
  });
  const { entrypoint, onExit } = holder.spec;
  if (entrypoint === undefined) {
    if (complete) issues.add('REFERENCE', ['spec', 'entrypoint'], 'an entrypoint is required: name the template to start with');
  } else if (!names.has(entrypoint)) issues.add('REFERENCE', ['spec', 'entrypoint'], `template "${entrypoint}" not found`);
  if (onExit !== undefined && !names.has(onExit)) issues.add('REFERENCE', ['spec', 'onExit'], `template "${onExit}" not found`);
  for (const { template, path } of allTemplates(holder)) {
    const seen = new Set<string>();
    for (const { call, kind, path: at } of callsOf(template, path)) {
      if (seen.has(call.name)) issues.add('DUPLICATE', [...at, 'name'], `${kind} name "${call.name}" is used twice in ${templateLabel(template)}`);
      seen.add(call.name);
      // templateRef names a WorkflowTemplate, which is resolved at submission, not here.
      if (call.template !== undefined && call.inline === undefined && !names.has(call.template)) {
        issues.add('REFERENCE', [...at, 'template'], `template "${call.template}" not found`);
      }
      if (call.onExit !== undefined && !names.has(call.onExit)) issues.add('REFERENCE', [...at, 'onExit'], `template "${call.onExit}" not found`);
    }
  }
  for (const { hook, path } of allHooks(holder)) {
    if (hook.template !== undefined && !names.has(hook.template)) issues.add('REFERENCE', [...path, 'template'], `template "${hook.template}" not found`);
  }
}
