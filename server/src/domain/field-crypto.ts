// Field-level encryption of personal data (phone and ID numbers): AES-256-GCM
// with a random IV per value, so a database dump or backup alone reveals
// nothing; plus a keyed hash (HMAC-SHA-256) for exact-match lookups without
// decrypting. Both keys are derived from one master key (HKDF), so the
// lookup hash cannot be used to attack the cipher key or the other way round.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_LENGTH = 12;

export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** Deterministic keyed hash of a normalised value, for `WHERE phone_hash = $1`. */
  lookupHash(plain: string): string;
  /** A key for other server-side MACs (CSRF tokens), derived for that purpose only. */
  deriveKey(purpose: string): Buffer;
}

export class FieldKeyError extends Error {
  override name = 'FieldKeyError';
}

/** Parses a base64 master key; it must be exactly 32 bytes. */
export function parseFieldKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new FieldKeyError(`FIELD_KEY must be 32 bytes in base64 (openssl rand -base64 32), got ${key.length} bytes`);
  return key;
}

export function newFieldKey(): Buffer {
  return randomBytes(32);
}

const normalise = (value: string) => value.replace(/[\s-]/g, '').toUpperCase();

/**
 * Fresh random IVs, drawn from the CSPRNG 4 KiB at a time: a report seals its phone on the
 * hot path, and one randomBytes(12) call per value cost more than the AES itself. Every
 * IV is still used once (GCM must never reuse one under a key).
 */
function ivSource(length: number): () => Buffer {
  const chunk = length * 341;
  let pool = randomBytes(chunk);
  let at = 0;
  return () => {
    if (at + length > pool.length) {
      pool = randomBytes(chunk);
      at = 0;
    }
    const iv = Buffer.from(pool.subarray(at, at + length));
    at += length;
    return iv;
  };
}

export function createFieldCipher(masterKey: Buffer): FieldCipher {
  if (masterKey.length !== 32) throw new FieldKeyError('field master key must be 32 bytes');
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `gridcc/${purpose}`, 32));
  const encKey = derive('field-encryption');
  const macKey = derive('field-lookup');
  const nextIv = ivSource(IV_LENGTH);
  return {
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new FieldKeyError('not an encrypted field value');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      // final() throws when the tag does not match: a tampered value or the wrong key.
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    lookupHash(plain) {
      return createHmac('sha256', macKey).update(normalise(plain)).digest('base64url');
    },
    deriveKey: derive,
  };
}
