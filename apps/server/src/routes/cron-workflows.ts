// Argo Server's CronWorkflowService (pkg/apiclient/cronworkflow): CronWorkflows checked as `regatta
// cron create` checks them (schedules, expressions, and the workflowSpec as a child would be checked),
// shown with their status, deleted with the workflows they started, suspended and resumed.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { cronExpressionIssues, cronWorkflowSpecIssues, deleteCronWorkflow, suspendCronWorkflow } from '@regatta/client';
import { loadCronWorkflows } from '@regatta/spec';
import { badRequest } from '../http-error.js';
import { loadedResource } from '../loaded-resource.js';
import { decode } from '../request.js';
import type { ServerResources } from '../resources.js';
import { registerStoredResourceRoutes } from '../stored-resource-routes.js';

const named = z.strictObject({ namespace: z.string().min(1), name: z.string().min(1) });
/** Argo's CronWorkflowSuspendRequest and CronWorkflowResumeRequest: the path says it all. */
const controlBody = z.strictObject({ namespace: z.string().optional(), name: z.string().optional() }).optional();

export async function cronWorkflowRoutes(app: FastifyInstance, resources: ServerResources): Promise<void> {
  const { resourceStore, cronStore: crons, workflowStore: workflows, client, shards } = resources;

  registerStoredResourceRoutes(app, resources, {
    kind: 'CronWorkflow',
    base: '/api/v1/cron-workflows',
    namespaced: true,
    field: 'cronWorkflow',
    check: async (value, where) => {
      const cron = loadedResource(loadCronWorkflows, value, where);
      const issues = [...cronExpressionIssues(cron), ...(await cronWorkflowSpecIssues(client, cron, shards))];
      if (issues.length > 0) throw badRequest(issues.map(({ path, message }) => `${where}${path ? `.${path}` : ''}: ${message}`).join('\n'));
      return cron;
    },
    show: (cron) => crons.withStatus(cron),
    remove: (namespace, name) => deleteCronWorkflow({ resources: resourceStore, crons, workflows }, namespace, name),
  });

  for (const [verb, suspend] of [
    ['suspend', true],
    ['resume', false],
  ] as const) {
    app.put(`/api/v1/cron-workflows/:namespace/:name/${verb}`, async (request) => {
      const { namespace, name } = decode(named, request.params, 'path');
      await request.authorize(namespace, 'update');
      decode(controlBody, request.body, 'body');
      return crons.withStatus(await suspendCronWorkflow({ resources: resourceStore, crons }, namespace, name, suspend));
    });
  }
}
