/**
 * CRM login passwords: scrypt from node:crypto in a self-describing text form,
 * `scrypt$N$r$p$saltBase64$hashBase64`, so the cost can be raised later without breaking
 * stored hashes.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const COST = 16384; // N = 2^14: about 50 ms and 16 MiB per check.
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Bounds for parameters read from a stored hash, so a crafted hash cannot make a check
// take minutes or gigabytes.
const MAX_COST = 1 << 20;
const MAX_BLOCK_SIZE = 32;
const MAX_PARALLELISM = 16;

function derive(password: string, salt: Buffer, n: number, r: number, p: number, len: number) {
  return scryptSync(password.normalize('NFC'), salt, len, {
    N: n,
    r,
    p,
    maxmem: 128 * n * r * p + 1024 * 1024,
  });
}

/** A new salted hash of the password. */
export function hashPassword(password: string): string {
  const salt = randomBytes(SALT_BYTES);
  const key = derive(password, salt, COST, BLOCK_SIZE, PARALLELISM, KEY_BYTES);
  return [
    'scrypt',
    COST,
    BLOCK_SIZE,
    PARALLELISM,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

interface ParsedHash {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(hash: string): ParsedHash | undefined {
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const isPowerOfTwo = Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
  if (!isPowerOfTwo || n > MAX_COST) return undefined;
  if (!Number.isInteger(r) || r < 1 || r > MAX_BLOCK_SIZE) return undefined;
  if (!Number.isInteger(p) || p < 1 || p > MAX_PARALLELISM) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const key = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length < 8 || key.length < 16 || key.length > 128) return undefined;
  return { n, r, p, salt, key };
}

/** True when the password matches the stored hash; false for a wrong or unreadable hash. */
export function verifyPassword(password: string, hash: string): boolean {
  const parsed = parseHash(hash);
  if (!parsed) return false;
  const key = derive(password, parsed.salt, parsed.n, parsed.r, parsed.p, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** Burns the same time as a real check, so an unknown login cannot be told by the delay. */
export function simulatePasswordCheck(password: string): void {
  derive(password, Buffer.alloc(SALT_BYTES), COST, BLOCK_SIZE, PARALLELISM, KEY_BYTES);
}
