import bcrypt from 'bcryptjs';
import { hashPassword, verifyPassword } from './password.js';

const CHEAP = { log2N: 10, r: 8, p: 1 };

describe('password hashes (scrypt)', () => {
  it('verifies the password a hash was made from, and no other', async () => {
    const h = await hashPassword('mật khẩu đủ dài 1', CHEAP);
    expect(h).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('mật khẩu đủ dài 1', h, CHEAP)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword('mật khẩu đủ dài 2', h, CHEAP)).toEqual({ ok: false, needsRehash: false });
  });

  it('salts every hash: the same password twice gives two different hashes', async () => {
    expect(await hashPassword('same-password-123', CHEAP)).not.toBe(await hashPassword('same-password-123', CHEAP));
  });

  it('asks for a new hash when the stored one is cheaper than the configured cost', async () => {
    const h = await hashPassword('upgrade-me-please', CHEAP);
    expect(await verifyPassword('upgrade-me-please', h, { log2N: 11, r: 8, p: 1 })).toEqual({ ok: true, needsRehash: true });
  });

  it('still verifies a bcrypt hash made before scrypt, and asks for it to be replaced', async () => {
    const legacy = await bcrypt.hash('legacy-password-1', 4);
    expect(await verifyPassword('legacy-password-1', legacy, CHEAP)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword('wrong-password-00', legacy, CHEAP)).toEqual({ ok: false, needsRehash: false });
  });

  it('refuses anything that is not a hash it knows (an empty or tampered one)', async () => {
    expect((await verifyPassword('x', '', CHEAP)).ok).toBe(false);
    expect((await verifyPassword('x', 'plain-text-password', CHEAP)).ok).toBe(false);
    const h = await hashPassword('tamper-with-me-1', CHEAP);
    const tampered = h.slice(0, -4) + (h.endsWith('AAA=') ? 'BBB=' : 'AAA=');
    expect((await verifyPassword('tamper-with-me-1', tampered, CHEAP)).ok).toBe(false);
  });
});
