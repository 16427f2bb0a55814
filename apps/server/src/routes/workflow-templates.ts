// Argo Server's WorkflowTemplateService (pkg/apiclient/workflowtemplate): WorkflowTemplates checked
// as `regatta template create` checks them, stored in the namespace of the path.
import type { FastifyInstance } from 'fastify';
import { loadWorkflowTemplates } from '@regatta/spec';
import { loadedResource } from '../loaded-resource.js';
import type { ServerResources } from '../resources.js';
import { registerStoredResourceRoutes } from '../stored-resource-routes.js';

export async function workflowTemplateRoutes(app: FastifyInstance, resources: ServerResources): Promise<void> {
  registerStoredResourceRoutes(app, resources, {
    kind: 'WorkflowTemplate',
    base: '/api/v1/workflow-templates',
    namespaced: true,
    field: 'template',
    check: async (value, where) => loadedResource(loadWorkflowTemplates, value, where),
  });
}
