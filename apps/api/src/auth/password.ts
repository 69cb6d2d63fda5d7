import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import bcrypt from 'bcryptjs';

/**
 * Password hashes: scrypt from Node's own crypto (native, memory-hard, and run on libuv's thread pool, so a
 * sign-in never holds the event loop that serves every other request). Stored as
 * `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>`, so the cost can be raised later and old hashes still
 * verify. Hashes made before (bcrypt, `$2a$`/`$2b$`) still verify and are flagged for an upgrade at the next
 * sign-in.
 */
export interface ScryptCost {
  log2N: number;
  r: number;
  p: number;
}

/**
 * N = 2^15, r = 8, p = 3: one of the equivalent settings OWASP's Password Storage Cheat Sheet lists for scrypt
 * (N = 2^17, r = 8, p = 1 at 128 MiB is another), chosen for 32 MiB of memory per hash.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { log2N: 15, r: 8, p: 3 };

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** cost.log2N, r: cost.r, p: cost.p, maxmem: 256 * 2 ** cost.log2N * cost.r };
  return new Promise((resolve, reject) => scrypt(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, cost);
  return ['scrypt', cost.log2N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export interface VerifyResult {
  ok: boolean;
  /** The hash is of an older kind or cost: store a new one now that the password is known. */
  needsRehash: boolean;
}

const SCRYPT_HASH = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

export async function verifyPassword(password: string, stored: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<VerifyResult> {
  const m = SCRYPT_HASH.exec(stored);
  if (m) {
    const storedCost = { log2N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
    const expected = Buffer.from(m[5], 'base64');
    const key = await scryptAsync(password, Buffer.from(m[4], 'base64'), storedCost);
    const ok = key.length === expected.length && timingSafeEqual(key, expected);
    const weaker = storedCost.log2N < cost.log2N || storedCost.r < cost.r || storedCost.p < cost.p;
    return { ok, needsRehash: ok && weaker };
  }
  if (/^\$2[aby]\$/.test(stored)) {
    const ok = await bcrypt.compare(password, stored);
    return { ok, needsRehash: ok };
  }
  return { ok: false, needsRehash: false };
}

/**
 * A hash of a random password, verified against when the account does not exist or is inactive, so an
 * unknown username costs the same work as a wrong password (no user enumeration by timing).
 */
export function decoyHash(cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  return hashPassword(randomBytes(24).toString('base64'), cost);
}
