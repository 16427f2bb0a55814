// Argo's JoinWorkflowSpec for a workflow with `workflowTemplateRef`: the WorkflowTemplate's spec is the
// base and the workflow's own spec is laid over it, so that the stored workflow runs on its own.
import { isRecord, type Arguments, type Parameter, type Template, type WorkflowSpec } from '@regatta/spec';

interface Named {
  name: string;
}

/**
 * Lays `spec` over `base` in place. The workflow's fields win; maps (hooks, podGC, …) are joined by
 * key with the workflow's entries winning; templates and argument parameters and artifacts are joined
 * by name. The workflow's own templates and parameters keep their places, so issues found in them
 * still point into its file. Returns the templates taken from the WorkflowTemplate.
 */
export function joinWorkflowSpec(spec: WorkflowSpec, base: WorkflowSpec): Template[] {
  for (const [field, value] of Object.entries(base)) {
    if (field === 'templates' || field === 'arguments') continue;
    const own = spec[field];
    if (own === undefined) spec[field] = value;
    else if (isRecord(own) && isRecord(value)) spec[field] = { ...value, ...own };
  }
  const taken = unnamedIn(spec.templates, base.templates);
  spec.templates = [...(spec.templates ?? []), ...taken];
  if (base.arguments) spec.arguments = joinArguments(spec.arguments ?? {}, base.arguments);
  return taken;
}

function joinArguments(own: Arguments, base: Arguments): Arguments {
  const joined: Arguments = { ...base, ...own };
  const parameters = [
    ...(own.parameters ?? []).map((parameter) => {
      const under = base.parameters?.find((p) => p.name === parameter.name);
      // As in Argo, a parameter with a value of its own replaces the template's whole; one without
      // (a description, an enum) takes the template's value.
      return under && !hasValue(parameter) ? { ...under, ...parameter } : parameter;
    }),
    ...unnamedIn(own.parameters, base.parameters),
  ];
  if (parameters.length > 0) joined.parameters = parameters;
  const artifacts = [...(own.artifacts ?? []), ...unnamedIn(own.artifacts, base.artifacts)];
  if (artifacts.length > 0) joined.artifacts = artifacts;
  return joined;
}

/** The items of `base` whose names `own` does not use. */
function unnamedIn<T extends Named>(own: T[] | undefined, base: T[] | undefined): T[] {
  const names = new Set((own ?? []).map((item) => item.name));
  return (base ?? []).filter((item) => !names.has(item.name));
}

function hasValue(parameter: Parameter): boolean {
  return parameter.value !== undefined || parameter.default !== undefined || parameter.valueFrom !== undefined;
}
