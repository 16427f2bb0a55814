// Starting the server as `regatta server` does: refuse auth mode `server` (everyone may do
// everything) beyond loopback unless explicitly allowed, warn whenever it is on, listen, and close in
// order on request: stop accepting, end event streams, let in-flight requests finish, close Redis.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { WorkflowArchive } from '@regatta/archive';
import type { Logger } from '@regatta/telemetry';
import { buildServer } from './app.js';
import type { AuthMode } from './auth/authorize.js';
import { openServerResources } from './resources.js';

export interface StartOptions {
  redisUrl: string;
  prefix: string;
  shards: number;
  port: number;
  address: string;
  authMode: AuthMode;
  /** Auth mode `server` on an address beyond loopback: only when this says so. */
  allowServerAuthBeyondLoopback?: boolean;
  maxBodyBytes?: number;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** ARCHIVE_DATABASE_URL: serves the archived-workflows paths (501 without it). */
  archiveDatabaseUrl?: string;
  /** REGATTA_ARTIFACTS_DIR: the workers' local artifact folder, where DELETE removes local artifacts. */
  artifactsDir?: string;
  logger: Logger;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function isLoopback(address: string): boolean {
  if (address === 'localhost' || address === '::1') return true;
  return isIP(address) === 4 && address.startsWith('127.');
}

/** Why these options cannot start a server; undefined when they can. */
export function startRefusal(options: Pick<StartOptions, 'authMode' | 'address' | 'allowServerAuthBeyondLoopback' | 'tlsCertFile' | 'tlsKeyFile'>): string | undefined {
  if (options.authMode === 'server' && !isLoopback(options.address) && !options.allowServerAuthBeyondLoopback) {
    return `--auth-mode server lets anyone who reaches ${options.address} do anything: listen on 127.0.0.1, use --auth-mode client (tokens), or add --allow-server-auth-beyond-loopback`;
  }
  if ((options.tlsCertFile === undefined) !== (options.tlsKeyFile === undefined)) return '--tls-cert and --tls-key go together';
  return undefined;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const refused = startRefusal(options);
  if (refused) throw new Error(refused);
  const { logger } = options;
  if (options.authMode === 'server') logger.warn({ address: options.address }, 'auth mode server: requests are not authenticated, every caller may do everything');
  const tls = options.tlsCertFile && options.tlsKeyFile ? { cert: readFileSync(options.tlsCertFile), key: readFileSync(options.tlsKeyFile) } : undefined;
  const archive = options.archiveDatabaseUrl ? await WorkflowArchive.open({ url: options.archiveDatabaseUrl }) : undefined;
  const resources = { ...openServerResources({ redisUrl: options.redisUrl, prefix: options.prefix, shards: options.shards, authMode: options.authMode, logger, artifactsDir: options.artifactsDir }), archive };
  const app = await buildServer(resources, { ...(options.maxBodyBytes !== undefined && { maxBodyBytes: options.maxBodyBytes }), ...(tls && { tls }) });
  try {
    const url = await app.listen({ port: options.port, host: options.address });
    logger.info({ url, authMode: options.authMode }, 'serving the Argo Server API');
    return {
      url,
      close: async () => {
        await app.close();
        await resources.close();
        await archive?.close();
      },
    };
  } catch (error) {
    await app.close();
    await resources.close();
    await archive?.close();
    throw error;
  }
}
