// Argo features this engine does not run yet. A workflow that uses one is refused at submission with
// the place and the feature named, rather than run with the feature silently ignored.
import type { Template, Workflow } from '@regatta/spec';

const SPEC_FIELDS = [
  'retryStrategy',
] as const;

const TEMPLATE_FIELDS = [
  'resource',
  'data',
  'containerSet',
  'plugin',
  'initContainers',
  'hooks',
] as const;

export interface UnsupportedFeature {
  path: string;
  feature: string;
}

export function unsupportedFeatures(workflow: Workflow): UnsupportedFeature[] {
  const found: UnsupportedFeature[] = [];
  const spec = workflow.spec as Record<string, unknown>;
  for (const field of SPEC_FIELDS) if (spec[field] !== undefined) found.push({ path: `spec.${field}`, feature: field });
  (workflow.spec.templates ?? []).forEach((template, i) => checkTemplate(template, `spec.templates[${i}]`, found));
  return found;
}

function checkTemplate(template: Template, path: string, found: UnsupportedFeature[]): void {
  for (const field of TEMPLATE_FIELDS) if (template[field] !== undefined) found.push({ path: `${path}.${field}`, feature: field });
  if (template.inputs?.artifacts?.length) found.push({ path: `${path}.inputs.artifacts`, feature: 'artifacts' });
  if (template.outputs?.artifacts?.length) found.push({ path: `${path}.outputs.artifacts`, feature: 'artifacts' });
  const calls = [
    ...(template.steps ?? []).flatMap((group, g) => group.map((step, s) => ({ call: step, at: `${path}.steps[${g}][${s}]` }))),
    ...(template.dag?.tasks ?? []).map((task, k) => ({ call: task, at: `${path}.dag.tasks[${k}]` })),
  ];
  for (const { call, at } of calls) {
    if (call.arguments?.artifacts?.length) found.push({ path: `${at}.arguments.artifacts`, feature: 'artifacts' });
    if (call.inline) checkTemplate(call.inline, `${at}.inline`, found);
  }
}

