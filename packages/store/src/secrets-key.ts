// The key Secrets are encrypted with at rest: 32 bytes the operator provides, as REGATTA_SECRETS_KEY
// (base64 or hex) or in a file named by REGATTA_SECRETS_KEY_FILE. Read when a Secret is first written or
// read, not at start: a worker or scheduler that never touches a Secret needs no key. Its id (the first
// bytes of its SHA-256) goes into every record, so a record written under another key is told apart
// from a damaged one.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const SECRETS_KEY_VARIABLE = 'REGATTA_SECRETS_KEY';
export const SECRETS_KEY_FILE_VARIABLE = 'REGATTA_SECRETS_KEY_FILE';
const KEY_BYTES = 32;

export interface SecretsKey {
  bytes: Buffer;
  /** 16 hex digits naming the key (never the key itself). */
  id: string;
}

/** No usable key: what to set, never the key's text. */
export class SecretsKeyError extends Error {
  readonly code = 'SECRETS_KEY';
}

/** Where the key comes from, read on first use and kept; a failed read is tried again next time. */
export class SecretsKeySource {
  private key?: SecretsKey;

  constructor(private readonly env: Partial<Record<typeof SECRETS_KEY_VARIABLE | typeof SECRETS_KEY_FILE_VARIABLE, string>>) {}

  /** The configured variables, taken once (at start, as configuration is); nothing is checked yet. */
  static fromEnv(env: NodeJS.ProcessEnv): SecretsKeySource {
    return new SecretsKeySource({ [SECRETS_KEY_VARIABLE]: env[SECRETS_KEY_VARIABLE], [SECRETS_KEY_FILE_VARIABLE]: env[SECRETS_KEY_FILE_VARIABLE] });
  }

  get(): SecretsKey {
    this.key ??= this.read();
    return this.key;
  }

  private read(): SecretsKey {
    const inline = this.env[SECRETS_KEY_VARIABLE];
    const file = this.env[SECRETS_KEY_FILE_VARIABLE];
    if (inline && file) throw new SecretsKeyError(`${SECRETS_KEY_VARIABLE} and ${SECRETS_KEY_FILE_VARIABLE} are both set: set one`);
    if (file) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new SecretsKeyError(`${SECRETS_KEY_FILE_VARIABLE}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      return withId(decodeKey(text.trim(), `${SECRETS_KEY_FILE_VARIABLE} (${file})`));
    }
    if (!inline) {
      throw new SecretsKeyError(
        `${SECRETS_KEY_VARIABLE} is not set: Secrets are stored encrypted with a key of ${KEY_BYTES} bytes the operator provides, ` +
          `as ${SECRETS_KEY_VARIABLE} (base64 or hex) or in a file named by ${SECRETS_KEY_FILE_VARIABLE} (make one with: openssl rand -base64 32)`,
      );
    }
    return withId(decodeKey(inline.trim(), SECRETS_KEY_VARIABLE));
  }
}

/** 64 hex digits, or base64 (standard or URL-safe) of exactly 32 bytes. */
function decodeKey(text: string, where: string): Buffer {
  const bytes = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (bytes?.length !== KEY_BYTES) {
    throw new SecretsKeyError(`${where} must be ${KEY_BYTES} bytes written as 64 hex digits or as base64${bytes ? ` (it decodes to ${bytes.length} bytes)` : ''}`);
  }
  return bytes;
}

function withId(bytes: Buffer): SecretsKey {
  return { bytes, id: createHash('sha256').update(bytes).digest('hex').slice(0, 16) };
}
