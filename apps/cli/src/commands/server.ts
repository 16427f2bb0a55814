// `regatta server`: Argo Server's REST API (port 2746) over this Redis, until SIGTERM or SIGINT,
// then a graceful close (stop accepting, end event streams, finish in-flight requests).
import type { Command } from 'commander';
import { port, positiveInteger, readEnv, runUntilSignal } from '@regatta/service';
import { createLogger } from '@regatta/telemetry';
import { listenAddress, type CliConfig } from '../config.js';
import { summaryOf } from '../summaries.js';

interface Flags {
  port: number;
  address: string;
  authMode: string;
  allowServerAuthBeyondLoopback?: boolean;
  maxBodyBytes: number;
  tlsCert?: string;
  tlsKey?: string;
}

export function registerServer(program: Command, config: CliConfig): void {
  program
    .command('server')
    .description(summaryOf('server'))
    .option('--port <port>', 'port to listen on', (value: string) => readEnv(port('--port'), value), 2746)
    .option('--address <ip>', 'address to listen on (0.0.0.0 in a container)', (value: string) => listenAddress(value, '--address'), '127.0.0.1')
    .option('--auth-mode <mode>', 'client: bearer tokens (regatta auth token create); server: no authentication', 'client')
    .option('--allow-server-auth-beyond-loopback', 'allow --auth-mode server on an address other than loopback')
    .option('--max-body-bytes <n>', 'larger request bodies are refused (413)', (value: string) => readEnv(positiveInteger('--max-body-bytes'), value), 1024 * 1024)
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'the PEM key of --tls-cert')
    .action(async (flags: Flags) => {
      if (flags.authMode !== 'client' && flags.authMode !== 'server') throw new Error(`--auth-mode must be client or server, got "${flags.authMode}"`);
      const authMode = flags.authMode;
      // Loaded here, so that other commands do not load fastify.
      const { startRefusal, startServer } = await import('@regatta/server');
      const refused = startRefusal({ authMode, address: flags.address, allowServerAuthBeyondLoopback: flags.allowServerAuthBeyondLoopback, tlsCertFile: flags.tlsCert, tlsKeyFile: flags.tlsKey });
      if (refused) throw new Error(refused);
      const logger = createLogger('server', { level: config.logLevel });
      await runUntilSignal(logger, () =>
        startServer({
          redisUrl: config.redisUrl,
          prefix: config.prefix,
          shards: config.shards,
          port: flags.port,
          address: flags.address,
          authMode,
          allowServerAuthBeyondLoopback: flags.allowServerAuthBeyondLoopback,
          maxBodyBytes: flags.maxBodyBytes,
          tlsCertFile: flags.tlsCert,
          tlsKeyFile: flags.tlsKey,
          archiveDatabaseUrl: process.env.ARCHIVE_DATABASE_URL || undefined,
          // The workers' local artifact folder (a single-host install's store), as they read it.
          artifactsDir: config.artifactsDir,
          secretsEnv: process.env,
          logger,
        }),
      );
    });
}
