// Argo Server's ClusterWorkflowTemplateService (pkg/apiclient/clusterworkflowtemplate): cluster-scoped
// templates, checked as `regatta cluster-template create` checks them; authorized with no namespace.
import type { FastifyInstance } from 'fastify';
import { loadClusterWorkflowTemplates } from '@regatta/spec';
import { loadedResource } from '../loaded-resource.js';
import type { ServerResources } from '../resources.js';
import { registerStoredResourceRoutes } from '../stored-resource-routes.js';

export async function clusterWorkflowTemplateRoutes(app: FastifyInstance, resources: ServerResources): Promise<void> {
  registerStoredResourceRoutes(app, resources, {
    kind: 'ClusterWorkflowTemplate',
    base: '/api/v1/cluster-workflow-templates',
    namespaced: false,
    field: 'template',
    check: async (value, where) => loadedResource(loadClusterWorkflowTemplates, value, where),
  });
}
