// The checks a CronWorkflow passes before it is stored, wherever it comes from (the CLI's `cron create`
// and `cron lint`, the server's create, update and lint): its expressions parse, and its workflowSpec
// passes the checks a workflow submitted from it would, with what it refers to resolved from the store.
import { expressionTags, parseExpression } from '@regatta/expr';
import { SpecError, workflowFromCron, type CronWorkflow } from '@regatta/spec';
import type { WorkflowClient } from './client.js';
import { prepareWorkflow } from './submit.js';

export interface CronIssue {
  /** The field, from the CronWorkflow's root (`spec.workflowSpec.templates[0]…`); '' for the whole. */
  path: string;
  message: string;
}

/** The stop strategy and the expressions in `when` parse. */
export function cronExpressionIssues(cron: CronWorkflow): CronIssue[] {
  const issues: CronIssue[] = [];
  const expression = cron.spec.stopStrategy?.expression;
  if (expression !== undefined) {
    try {
      parseExpression(expression);
    } catch (error) {
      issues.push({ path: 'spec.stopStrategy.expression', message: (error as Error).message });
    }
  }
  if (cron.spec.when !== undefined) {
    try {
      for (const source of expressionTags(cron.spec.when)) parseExpression(source);
    } catch (error) {
      issues.push({ path: 'spec.when', message: (error as Error).message });
    }
  }
  return issues;
}

/** The workflowSpec, checked as a child submitted now would be: what the engine cannot run, and the WorkflowTemplates, templates and ConfigMaps it refers to. */
export async function cronWorkflowSpecIssues(client: Pick<WorkflowClient, 'lintWorkflow'>, cron: CronWorkflow, shards: number): Promise<CronIssue[]> {
  const { name, namespace } = cron.metadata;
  try {
    const child = workflowFromCron(cron, Date.now(), `${name}-0`);
    await client.lintWorkflow(prepareWorkflow(JSON.stringify(child), 'workflowSpec', { namespace, shards }));
    return [];
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    return error.issues.map((issue) => ({ path: issue.path.replace(/^spec(?=\.|\[|$)/, 'spec.workflowSpec'), message: issue.message }));
  }
}
