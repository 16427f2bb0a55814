// `request.authorize(namespace, verb)`: every route asks it before doing anything. In client mode the
// request's bearer token must be valid (401 otherwise) and its role and namespace must allow the verb
// there (403); in server mode everything is allowed (chosen explicitly, see docs/server.md).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { permissionDenied, unauthenticated } from '../http-error.js';
import { roleAllows, type Verb } from './roles.js';
import type { TokenRecord, TokenStore } from './token-store.js';

export type AuthMode = 'client' | 'server';

declare module 'fastify' {
  interface FastifyRequest {
    /** Throws 401 or 403 (Argo's shapes) unless this request may do `verb` in `namespace` (undefined: cluster-scoped). */
    authorize(namespace: string | undefined, verb: Verb): Promise<void>;
    /** The request's valid token (401 otherwise); undefined in server mode. */
    authenticate(): Promise<TokenRecord | undefined>;
    /** The token that authorized the request, once authorize ran; undefined in server mode. */
    principal: TokenRecord | undefined;
  }
}

/**
 * The request's token: `Authorization: Bearer <token>`, or, for a GET only, the `authorization`
 * cookie Argo's UI sets (a browser's EventSource cannot send headers). Never the cookie for a
 * request that changes something: another site could make a browser send it (CSRF).
 */
function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? (request.method === 'GET' ? cookieOf(request.headers.cookie, 'authorization') : undefined);
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function cookieOf(cookies: string | undefined, name: string): string | undefined {
  for (const part of cookies?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function installAuthorize(app: FastifyInstance, mode: AuthMode, tokens: TokenStore): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('authenticate', async function authenticate(this: FastifyRequest): Promise<TokenRecord | undefined> {
    if (mode === 'server') return undefined;
    if (!this.principal) {
      const token = bearerOf(this);
      if (!token) throw unauthenticated();
      this.principal = await tokens.verify(token);
      if (!this.principal) throw unauthenticated();
    }
    return this.principal;
  });
  app.decorateRequest('authorize', async function authorize(this: FastifyRequest, namespace: string | undefined, verb: Verb): Promise<void> {
    const principal = await this.authenticate();
    if (!principal) return;
    const { id, role, namespace: scope } = principal;
    const where = namespace === undefined ? 'cluster-scoped resources' : `namespace "${namespace}"`;
    if (scope !== undefined && scope !== namespace) {
      throw permissionDenied(`permission denied: token ${id} is for namespace "${scope}" and cannot ${verb} in ${where}`);
    }
    if (!roleAllows(role, verb)) throw permissionDenied(`permission denied: token ${id} (role ${role}) cannot ${verb} in ${where}`);
  });
}
