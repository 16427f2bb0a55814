// One Secret value encrypted at rest: AES-256-GCM with a random 96-bit IV per value and its 128-bit tag,
// bound (as additional data) to the place it belongs, `<namespace>/<name>/<key>`, so a value copied into
// another Secret or key does not decrypt. Stored as `<iv>.<tag>.<ciphertext>`, each base64.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';

export function sealValue(key: Buffer, place: string, plain: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(place));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64')).join('.');
}

/** The value, or undefined where it does not decrypt under `key` at `place` (another key, a moved or damaged value). */
export function openValue(key: Buffer, place: string, sealed: string): Buffer | undefined {
  const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64'));
  if (!iv || !tag || !data || iv.length !== 12 || tag.length !== 16) return undefined;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv);
    decipher.setAAD(Buffer.from(place));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return undefined;
  }
}
