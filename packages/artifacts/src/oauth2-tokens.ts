// Argo's HTTP artifact `auth.oauth2`: the client-credentials grant (RFC 6749 §4.4). A token is asked of the
// token URL once and reused by every request with the same client until shortly before it expires, as Go's
// oauth2 TokenSource reuses one; the client secret goes only in the token request's body.
import { createHash } from 'node:crypto';
import { urlForMessages } from './url-for-messages.js';

/** One client's grant, Secrets read. */
export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  endpointParams: { key: string; value?: string }[];
}

/** A token is asked for again this long before its `expires_in` runs out, so no request carries one that expires in flight (Go's oauth2 uses 10 s too). */
const EXPIRY_MARGIN_MS = 10_000;
/** A token endpoint that does not answer in this long is a failure, not a hung artifact. */
const TOKEN_TIMEOUT_MS = 30_000;

interface CachedToken {
  token: Promise<string>;
  /** When it is to be asked for again; a token without `expires_in` is kept, as Go's oauth2 keeps one. */
  renewAt: number;
}

export class OAuth2Tokens {
  private readonly cache = new Map<string, CachedToken>();

  /** The client's access token: the one held while it is fresh, else a new one from the token URL. */
  token(grant: ClientCredentials): Promise<string> {
    const id = clientIdentity(grant);
    const held = this.cache.get(id);
    if (held && Date.now() < held.renewAt) return held.token;
    const entry: CachedToken = { token: Promise.resolve(''), renewAt: Infinity };
    entry.token = requestToken(grant).then(
      ({ token, expiresInS }) => {
        if (expiresInS !== undefined) entry.renewAt = Date.now() + expiresInS * 1000 - EXPIRY_MARGIN_MS;
        return token;
      },
      (error: unknown) => {
        this.cache.delete(id);
        throw error;
      },
    );
    this.cache.set(id, entry);
    return entry.token;
  }
}

/** The cache's key: the client and what it asks for, its secret only as a digest. */
function clientIdentity(grant: ClientCredentials): string {
  const secret = createHash('sha256').update(grant.clientSecret).digest('hex');
  return JSON.stringify([grant.tokenUrl, grant.clientId, secret, grant.scopes, grant.endpointParams]);
}

async function requestToken(grant: ClientCredentials): Promise<{ token: string; expiresInS?: number }> {
  const where = `the oauth2 token URL ${urlForMessages(grant.tokenUrl)}`;
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: grant.clientId, client_secret: grant.clientSecret });
  if (grant.scopes.length > 0) form.set('scope', grant.scopes.join(' '));
  for (const { key, value } of grant.endpointParams) form.append(key, value ?? '');
  let response: Response;
  try {
    response = await fetch(grant.tokenUrl, { method: 'POST', body: form, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    throw new Error(`${where} cannot be reached (${typeof cause?.code === 'string' ? cause.code : (error as Error).name})`);
  }
  // The answer's body may echo what was sent: only an error code of RFC 6749's form (`invalid_client`) is shown.
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
  if (!response.ok) throw new Error(`${where} answered ${response.status}${typeof body.error === 'string' && /^[a-z_]{1,64}$/.test(body.error) ? ` (${body.error})` : ''}`);
  if (typeof body.access_token !== 'string' || body.access_token === '') throw new Error(`${where} answered without an access_token`);
  const expiresIn = Number(body.expires_in);
  return { token: body.access_token, ...(Number.isFinite(expiresIn) && expiresIn > 0 && { expiresInS: expiresIn }) };
}
