import { describe, expect, it } from 'vitest';
import { createFieldCipher, newFieldKey, parseFieldKey } from './field-crypto.ts';

describe('field encryption', () => {
  const cipher = createFieldCipher(newFieldKey());

  it('round-trips a value and never stores it in clear', () => {
    const sealed = cipher.encrypt('13812345678');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('13812345678');
    expect(cipher.decrypt(sealed)).toBe('13812345678');
  });
  it('encrypts the same value differently each time (random IV)', () => {
    expect(cipher.encrypt('13812345678')).not.toBe(cipher.encrypt('13812345678'));
  });
  it('never uses an IV twice, across many refills of its random pool', () => {
    const ivs = new Set(Array.from({ length: 5_000 }, () => cipher.encrypt('x').split(':')[1]));
    expect(ivs.size).toBe(5_000);
  });
  it('detects tampering', () => {
    const [v, iv, tag, body] = cipher.encrypt('13812345678').split(':');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([v, iv, tag, flipped.toString('base64url')].join(':'))).toThrow();
  });
  it('cannot be read with another key', () => {
    const other = createFieldCipher(newFieldKey());
    expect(() => other.decrypt(cipher.encrypt('32118119900101123X'))).toThrow();
  });
  it('hashes for lookup deterministically, normalising spaces, dashes and case, and per key', () => {
    expect(cipher.lookupHash('138-1234 5678')).toBe(cipher.lookupHash('13812345678'));
    expect(cipher.lookupHash('32118119900101123x')).toBe(cipher.lookupHash('32118119900101123X'));
    expect(cipher.lookupHash('13812345678')).not.toBe(createFieldCipher(newFieldKey()).lookupHash('13812345678'));
  });
  it('parses a base64 key of 32 bytes and refuses others', () => {
    const key = newFieldKey();
    expect(parseFieldKey(key.toString('base64')).equals(key)).toBe(true);
    expect(() => parseFieldKey('c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
