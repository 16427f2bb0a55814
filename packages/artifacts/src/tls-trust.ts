// A store's private CA (Argo's S3 `caSecret`) is trusted besides the system's CAs, as Argo's Go client
// adds it to the system pool; and a certificate that is not trusted is named as that, not by an OpenSSL code alone.
import { rootCertificates } from 'node:tls';

/** Node's `ca` option replaces the system's CAs: these are the system's and `pem`'s. */
export function trustingAlso(pem: string): string[] {
  return [...rootCertificates, pem];
}

/** Node's codes for a server certificate no trusted CA signed. */
const UNTRUSTED_CODES = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED']);

/** "the server's TLS certificate is not trusted (<code>)" where that is what went wrong, else undefined. */
export function untrustedCertificate(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && UNTRUSTED_CODES.has(code) ? `the server's TLS certificate is not trusted (${code})` : undefined;
}
