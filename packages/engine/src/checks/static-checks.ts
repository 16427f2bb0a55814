// Expression errors that can be found before a workflow runs: an unclosed `{{` anywhere in a template,
// `depends` logic or an expression (in a `{{=…}}` tag, an `expression` or a `fromExpression` field)
// that does not parse, an artifact taken both `from` and `fromExpression`.
// Found at submission, they change nothing and name the place. Also the cap on `{{=…}}` tags.
import type { Artifact, Template, Workflow } from '@regatta/spec';
import { ExpressionError, expressionTags, parseDepends, parseExpression, templateTags } from '@regatta/expr';

/** `{{=…}}` tags one workflow may hold: with each evaluation's budget and the event's shared one,
 * this bounds what its expressions can cost over a run (Argo has no limit; real workflows hold dozens). */
export const MAX_EXPRESSION_TAGS = 1_000;

function parseTags(spec: Workflow['spec']): void {
  const tags = expressionTags(spec);
  if (tags.length > MAX_EXPRESSION_TAGS) {
    throw new ExpressionError('EXPR', `${tags.length} expression tags ({{=…}}), over the limit of ${MAX_EXPRESSION_TAGS} per workflow`);
  }
  tags.forEach(parseExpression);
}

export interface ExpressionIssue {
  path: string;
  message: string;
}

export function expressionIssues(workflow: Workflow): ExpressionIssue[] {
  const issues: ExpressionIssue[] = [];
  const check = (path: string, run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      issues.push({ path, message: error.message });
    }
  };
  check('spec.arguments', () => templateTags(workflow.spec.arguments ?? {}));
  check('spec', () => parseTags(workflow.spec));
  for (const [name, hook] of Object.entries(workflow.spec.hooks ?? {})) {
    if (hook.expression !== undefined) check(`spec.hooks.${name}.expression`, () => parseExpression(hook.expression!));
  }
  (workflow.spec.templates ?? []).forEach((template, i) => checkTemplate(template, `spec.templates[${i}]`, check));
  return issues;
}

function checkTemplate(template: Template, path: string, check: (path: string, run: () => unknown) => void): void {
  check(path, () => templateTags(template));
  template.dag?.tasks.forEach((task, k) => {
    check(`${path}.dag.tasks[${k}].depends`, () => parseDepends({ depends: task.depends, dependencies: task.dependencies }, () => undefined));
  });
  if (template.retryStrategy?.expression !== undefined) check(`${path}.retryStrategy.expression`, () => parseExpression(template.retryStrategy!.expression!));
  template.outputs?.parameters?.forEach((parameter, k) => {
    const expression = parameter.valueFrom?.expression;
    if (expression !== undefined) check(`${path}.outputs.parameters[${k}].valueFrom.expression`, () => parseExpression(expression));
  });
  checkArtifactReferences(template.outputs?.artifacts, `${path}.outputs.artifacts`, check);
  (template.steps ?? []).forEach((group, g) =>
    group.forEach((step, s) => checkArtifactReferences(step.arguments?.artifacts, `${path}.steps[${g}][${s}].arguments.artifacts`, check)),
  );
  template.dag?.tasks.forEach((task, k) => checkArtifactReferences(task.arguments?.artifacts, `${path}.dag.tasks[${k}].arguments.artifacts`, check));
  const calls = [...(template.steps ?? []).flat(), ...(template.dag?.tasks ?? [])];
  for (const call of calls) {
    for (const [name, hook] of Object.entries(call.hooks ?? {})) {
      if (hook.expression !== undefined) check(`${path}: ${call.name}.hooks.${name}.expression`, () => parseExpression(hook.expression!));
    }
  }
}

/** Argo's conditional artifacts: `fromExpression` parses, and is not given beside a `from`. */
function checkArtifactReferences(artifacts: Artifact[] | undefined, path: string, check: (path: string, run: () => unknown) => void): void {
  artifacts?.forEach((artifact, i) => {
    const expression = artifact.fromExpression;
    if (expression === undefined) return;
    const at = `${path}[${i}].fromExpression`;
    check(at, () => {
      if (typeof expression !== 'string') throw new ExpressionError('EXPR', 'fromExpression must be a string');
      if (artifact.from !== undefined) throw new ExpressionError('EXPR', `artifact "${artifact.name}" shouldn't have both \`from\` and \`fromExpression\``);
      parseExpression(expression);
    });
  });
}
