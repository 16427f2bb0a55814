// Kubernetes API calls that survive a busy or restarting API server: 429 and 5xx answers, and a
// connection that failed, are tried again after the server's Retry-After, else an exponential backoff
// with jitter; any other answer (404, 409, 422…) is the caller's to handle.
import { ApiException } from '@kubernetes/client-node';

export interface RetryOptions {
  /** Tries in all, the first included (default 6). */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The status code of a refused Kubernetes call (an ApiException, or a watch's error), if any. */
export function statusCode(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  const code = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** How long the server asked us to wait, or undefined where it did not say. */
function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const header = Object.entries(error.headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
  const seconds = Number(header);
  return header !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export function isRetryable(error: unknown): boolean {
  const code = statusCode(error);
  if (code !== undefined) return code === 429 || code >= 500;
  const errno = (error as { code?: unknown; cause?: { code?: unknown } } | undefined) ?? {};
  return NETWORK_ERRORS.has(String(errno.code)) || NETWORK_ERRORS.has(String(errno.cause?.code));
}

/** The delay before try `attempt + 1` (full jitter, as client-go's backoff managers). */
export function backoffMs(attempt: number, baseDelayMs = 200, maxDelayMs = 10_000): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export async function withRetries<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt + 1 >= attempts || !isRetryable(error)) throw error;
      const delay = retryAfterMs(error) ?? backoffMs(attempt, options.baseDelayMs, options.maxDelayMs);
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, options.maxDelayMs ?? 10_000)));
    }
  }
}
