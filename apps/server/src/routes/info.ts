// Argo Server's InfoService: /api/v1/info (what the UI shows), /api/v1/version, /api/v1/userinfo
// (who the token is). Info and version hold nothing secret and answer anyone; userinfo needs a token.
import type { FastifyInstance } from 'fastify';
import type { ServerResources } from '../resources.js';
import { VERSION } from '../version.js';


export async function infoRoutes(app: FastifyInstance, resources: ServerResources): Promise<void> {
  app.get('/api/v1/info', async () => ({ links: [], columns: [], modals: {} }));

  app.get('/api/v1/version', async () => ({
    version: `v${VERSION}`,
    buildDate: '',
    gitCommit: '',
    gitTag: `v${VERSION}`,
    gitTreeState: '',
    goVersion: '',
    compiler: `node ${process.version}`,
    platform: `${process.platform}/${process.arch}`,
  }));

  app.get('/api/v1/userinfo', async (request) => {
    const principal = await request.authenticate();
    if (!principal) return { subject: 'server', issuer: 'regatta', serviceAccountName: `auth-mode-${resources.authMode}` };
    return {
      subject: `token:${principal.id}`,
      issuer: 'regatta',
      groups: [`role:${principal.role}`],
      ...(principal.namespace !== undefined && { serviceAccountNamespace: principal.namespace }),
    };
  });
}
