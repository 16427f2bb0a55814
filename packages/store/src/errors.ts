// Store errors with a code, so callers branch on what happened rather than on message text.

export type StoreErrorCode = 'FENCED' | 'STALE' | 'MISSING' | 'EXISTS' | 'DATA_LOST' | 'ROLLED_BACK';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

const APPLY_CODES: Record<number, StoreErrorCode> = { [-1]: 'FENCED', [-2]: 'STALE', [-3]: 'MISSING' };

/** The one place where Lua return codes become typed errors. */
export function checkScriptResult(result: unknown, what: string): number {
  const value = Number(result);
  const code = APPLY_CODES[value];
  if (code) throw new StoreError(code, `${what}: ${code.toLowerCase()}`);
  return value;
}
