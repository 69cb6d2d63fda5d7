import { loadConfig } from '../../../../libs/config/src/config.js';
import type { SecurityRepository } from '../../../../libs/persistence/src/repositories/security.repository.js';
import type { UserRepository } from '../../../../libs/persistence/src/repositories/user.repository.js';
import { AuthService } from './auth.service.js';
import { hashPassword } from './password.js';

/** The sign-in path's pure decisions, with in-memory stand-ins for the two repositories it talks to. */
describe(AuthService.name, () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_PASSWORD_HASH_COST: '10:8:1' });

  function service(users: Record<string, { passwordHash: string; active: boolean }>) {
    const events: { kind: string; details?: Record<string, unknown> }[] = [];
    const userRepo = {
      findByUsername: async (u: string) => (users[u] ? { id: `id-${u}`, username: u, fullName: u, roles: [], ...users[u] } : undefined),
    } as unknown as UserRepository;
    const securityRepo = {
      activeLock: async () => undefined,
      countAttempt: async () => ({ attempts: 1, admitted: true, retryAfterSeconds: 1 }),
      lock: async () => undefined,
      pruneThrottle: async () => undefined,
      record: async (e: { kind: string; details?: Record<string, unknown> }) => void events.push(e),
    } as unknown as SecurityRepository;
    return { svc: new AuthService(config, userRepo, securityRepo), events };
  }

  it('checks an unknown username against a decoy hash, so it costs the same work as a wrong password', async () => {
    const { svc, events } = service({});
    let decoyUsed = 0;
    const decoy = hashPassword('the-decoy-password', config.passwordHashCost);
    Object.defineProperty(svc, 'decoy', { get: () => (decoyUsed++, decoy) });
    // Even the decoy's own password does not sign in to an account that does not exist.
    await expect(svc.login('nobody', 'the-decoy-password', { address: '10.0.0.1' })).rejects.toMatchObject({ code: 'bad_credentials' });
    expect(decoyUsed).toBe(1);
    expect(events).toEqual([expect.objectContaining({ kind: 'login_failed', details: expect.objectContaining({ reason: 'unknown_user' }) })]);
  });

  it('gives an inactive account the same answer as a wrong password, after the same hashing', async () => {
    const { svc, events } = service({ off: { passwordHash: await hashPassword('right-password-1', config.passwordHashCost), active: false } });
    await expect(svc.login('off', 'right-password-1')).rejects.toMatchObject({ code: 'bad_credentials' });
    expect(events[0].details).toMatchObject({ reason: 'inactive' });
  });

  it('refuses passwords under 12 characters, counted in characters (not bytes)', () => {
    const { svc } = service({});
    expect(() => svc.checkPolicy('mười một kt')).toThrow(expect.objectContaining({ code: 'password_too_short' }));
    expect(() => svc.checkPolicy('mười hai ký!')).not.toThrow();
  });
});
