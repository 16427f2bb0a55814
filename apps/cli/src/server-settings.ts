// Server mode: which Regatta server the CLI talks to instead of Redis, and with which token. Each
// setting comes from its global flag, else the environment, else the config file:
//   --server URL / REGATTA_SERVER / `server:`     --token T / REGATTA_TOKEN / `token:`
//   --insecure-skip-verify / REGATTA_INSECURE_SKIP_VERIFY=true / `insecureSkipVerify: true`
// The config file is REGATTA_CONFIG, else $XDG_CONFIG_HOME/regatta/config.yaml, else
// ~/.config/regatta/config.yaml; one that holds a token must be readable by its owner alone (0600).
// No server anywhere: local mode (Redis). The YAML parser loads only when a config file exists.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ServerSettings {
  /** e.g. https://regatta.example:2746 */
  url: string;
  token?: string;
  /** Accept a TLS certificate that does not verify (a self-signed one). */
  insecureSkipVerify: boolean;
}

export interface GlobalFlags {
  server?: string;
  token?: string;
  insecureSkipVerify?: boolean;
}

const VALUED = { '--server': 'server', '--token': 'token' } as const;

/** The global server flags, wherever they are before `--`, and the arguments without them. */
export function takeGlobalFlags(args: readonly string[]): { flags: GlobalFlags; rest: string[] } {
  const flags: GlobalFlags = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (name === '--insecure-skip-verify' && inline === undefined) flags.insecureSkipVerify = true;
    else if (Object.hasOwn(VALUED, name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new Error(`${name}: needs a value`);
      flags[VALUED[name as keyof typeof VALUED]] = value;
    } else rest.push(arg);
  }
  return { flags, rest };
}

export function configFilePath(env: NodeJS.ProcessEnv): string {
  return env.REGATTA_CONFIG ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'regatta', 'config.yaml');
}

interface FileSettings {
  server?: string;
  token?: string;
  insecureSkipVerify?: boolean;
}

async function readConfigFile(file: string): Promise<FileSettings> {
  const { parse } = await import('yaml');
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file}: must be a mapping of server, token, insecureSkipVerify`);
  const settings = parsed as Record<string, unknown>;
  for (const [key, value] of Object.entries(settings)) {
    const expected = key === 'insecureSkipVerify' ? 'boolean' : key === 'server' || key === 'token' ? 'string' : undefined;
    if (!expected) throw new Error(`${file}: unknown setting "${key}": use server, token, insecureSkipVerify`);
    if (typeof value !== expected) throw new Error(`${file}: ${key} must be a ${expected}`);
  }
  // A token others can read is a token others can use.
  const mode = statSync(file).mode & 0o777;
  if (settings.token !== undefined && (mode & 0o077) !== 0) {
    throw new Error(`${file}: holds a token but is readable by others (mode ${mode.toString(8)}): run chmod 600 ${file}`);
  }
  return settings as FileSettings;
}

/** The server to talk to, or undefined for local mode; throws naming the setting that is wrong. */
export async function readServerSettings(flags: GlobalFlags, env: NodeJS.ProcessEnv = process.env): Promise<ServerSettings | undefined> {
  const file = configFilePath(env);
  const fromFile = existsSync(file) ? await readConfigFile(file) : {};
  const [url, where] =
    flags.server !== undefined ? [flags.server, '--server'] : env.REGATTA_SERVER ? [env.REGATTA_SERVER, 'REGATTA_SERVER'] : [fromFile.server, `${file}: server`];
  if (url === undefined || url === '') return undefined;
  if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) throw new Error(`${where}: "${url}" is not an http:// or https:// URL`);
  const token = flags.token ?? (env.REGATTA_TOKEN || undefined) ?? fromFile.token;
  const insecureSkipVerify = flags.insecureSkipVerify ?? (env.REGATTA_INSECURE_SKIP_VERIFY ? env.REGATTA_INSECURE_SKIP_VERIFY === 'true' : undefined) ?? fromFile.insecureSkipVerify ?? false;
  return { url, ...(token && { token }), insecureSkipVerify };
}
