// Expression errors that can be found before a workflow runs: an unclosed `{{` anywhere in a template,
// and `depends` logic that does not parse. Found at submission, they change nothing and name the place.
import type { Template, Workflow } from '@regatta/spec';
import { ExpressionError, parseDepends, templateTags } from '@regatta/expr';

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
  (workflow.spec.templates ?? []).forEach((template, i) => checkTemplate(template, `spec.templates[${i}]`, check));
  return issues;
}

function checkTemplate(template: Template, path: string, check: (path: string, run: () => unknown) => void): void {
  check(path, () => templateTags(template));
  template.dag?.tasks.forEach((task, k) => {
    check(`${path}.dag.tasks[${k}].depends`, () => parseDepends({ depends: task.depends, dependencies: task.dependencies }, () => undefined));
  });
}
