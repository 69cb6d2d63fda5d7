import type { Role } from '../../../../libs/domain/src/procedure.js';
import type { RoleGrant } from '../../../../libs/persistence/src/repositories/user.repository.js';

export interface AuthUser {
  id: string;
  username: string;
  fullName: string;
  roles: RoleGrant[];
  /** The session the request came with (sign-out ends it). */
  sessionId?: string;
}

/** A grant covers its org unit and everything below it. */
export function covers(grant: RoleGrant, unitPath: string): boolean {
  return unitPath.startsWith(grant.orgUnitPath);
}

export function hasRoleOver(user: AuthUser, roles: readonly Role[], unitPath: string): RoleGrant | undefined {
  return user.roles.find((g) => roles.includes(g.role) && covers(g, unitPath));
}

export function isAdmin(user: AuthUser): boolean {
  return user.roles.some((g) => g.role === 'admin');
}
