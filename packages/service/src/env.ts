// Settings of a long-running process from its environment, validated by zod schemas whose refusals name
// the variable: a bad setting stops the process at start with that message, changing nothing.
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { resolveRedisUrl } from '@regatta/store';

const refuse = (ctx: z.RefinementCtx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** A variable holding a whole number from `min` to `max`; unset gives undefined, anything else names `what` was expected. */
function wholeNumber(name: string, min: number, max: number, what: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return undefined;
      const value = Number(raw);
      return Number.isInteger(value) && value >= min && value <= max ? value : refuse(ctx, `${name} must be ${what}, got "${raw}"`);
    });
}

/** A variable holding a positive integer; unset gives undefined. */
export const positiveInteger = (name: string) => wholeNumber(name, 1, Number.MAX_SAFE_INTEGER, 'a positive integer');

/** A variable holding a count of milliseconds, 0 allowed; unset gives undefined. */
export const milliseconds = (name: string) => wholeNumber(name, 0, Number.MAX_SAFE_INTEGER, 'a whole number of milliseconds');

/** A variable holding a TCP port (0: any free one); unset gives undefined. */
export const port = (name: string) => wholeNumber(name, 0, 65535, 'a port number');

/** A folder the processes of one host share: the variable's path, else `fallback` in the temporary folder. */
export function hostFolder(fallback: string) {
  return z
    .string()
    .optional()
    .transform((raw) => resolve(raw || join(tmpdir(), fallback)));
}

/** An address to listen on, as `--metrics-address` or REGATTA_METRICS_ADDRESS gives it. */
export function listenAddress(value: string, name: string): string {
  if (isIP(value) === 0) throw new Error(`${name} must be an IP address such as 127.0.0.1, 0.0.0.0 or ::, got "${value}"`);
  return value;
}

/** The first refusal's message, else the settings (of an environment, or of one flag's text). */
export function readEnv<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv | string): T {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new Error(parsed.error.issues[0]?.message ?? 'bad settings');
}

/** How long a stopping process lets its work in hand finish before it hands the rest on. */
const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;

const serviceEnv = z
  .object({
    REDIS_URL: z.string().optional(),
    REDIS_USERNAME: z.string().optional(),
    REDIS_PASSWORD: z.string().optional(),
    REGATTA_PREFIX: z.string().optional(),
    LOG_LEVEL: z.string().optional(),
    REGATTA_METRICS_ADDRESS: z.string().optional(),
    REGATTA_METRICS_PORT: port('REGATTA_METRICS_PORT'),
    REGATTA_SHUTDOWN_GRACE_MS: milliseconds('REGATTA_SHUTDOWN_GRACE_MS'),
  })
  .transform((env, ctx) => {
    let redisUrl: string;
    try {
      redisUrl = resolveRedisUrl(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { username: env.REDIS_USERNAME, password: env.REDIS_PASSWORD });
    } catch (error) {
      return refuse(ctx, `REDIS_URL ${(error as Error).message}`);
    }
    let metricsAddress: string;
    try {
      metricsAddress = listenAddress(env.REGATTA_METRICS_ADDRESS ?? '127.0.0.1', 'REGATTA_METRICS_ADDRESS');
    } catch (error) {
      return refuse(ctx, (error as Error).message);
    }
    return {
      /** With the credentials of REDIS_USERNAME/REDIS_PASSWORD written in: never show it unredacted. */
      redisUrl,
      prefix: env.REGATTA_PREFIX ?? 'regatta',
      logLevel: env.LOG_LEVEL ?? 'info',
      /** Where `--metrics-port` listens: loopback unless told (a container's needs 0.0.0.0). */
      metricsAddress,
      /** Serve Prometheus metrics on this port's /metrics; none unless set. */
      metricsPort: env.REGATTA_METRICS_PORT,
      shutdownGraceMs: env.REGATTA_SHUTDOWN_GRACE_MS ?? DEFAULT_SHUTDOWN_GRACE_MS,
    };
  });

/** What every long-running process reads: where Redis is, its key prefix, logging, metrics, shutdown. */
export type ServiceConfig = z.output<typeof serviceEnv>;

export function readServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return readEnv(serviceEnv, env);
}

/** The settings `read` gives; a refusal is the user's to fix: its message, not a stack trace, and exit 1. */
export function settingsOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
