import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { z } from 'zod';
import { ROLES } from '../../../../libs/domain/src/procedure.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { UserRepository } from '../../../../libs/persistence/src/repositories/user.repository.js';
import { AuthService } from '../auth/auth.service.js';
import { CurrentUser } from '../auth/decorators.js';
import { isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { parse } from '../common/parse.js';

const CreateUser = z.object({
  username: z.string().trim().regex(/^[a-zA-Z0-9._-]{3,64}$/, 'letters, digits, . _ - (3 to 64)'),
  password: z.string().min(8).max(200),
  fullName: z.string().trim().min(1).max(200),
  email: z.email().max(200).optional(),
  roles: z.array(z.object({ role: z.enum(ROLES), orgUnitId: z.uuid().nullable().optional() })).min(1).max(50),
});

@Controller('users')
export class UsersController {
  constructor(
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  @Post()
  async create(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const dto = parse(CreateUser, body);
    for (const r of dto.roles) {
      if (r.role !== 'admin' && !r.orgUnitId) throw new DomainError('missing_field', { field: 'roles.orgUnitId' });
      if (r.orgUnitId && !(await this.units.get(r.orgUnitId))) throw new DomainError('org_unit_not_found', { id: r.orgUnitId });
    }
    if (await this.users.findByUsername(dto.username)) throw new DomainError('username_taken', { username: dto.username });
    const roles = dto.roles.map((r) => ({ role: r.role, orgUnitId: r.orgUnitId ?? null }));
    const id = await this.users.create({ username: dto.username, passwordHash: await this.auth.hash(dto.password), fullName: dto.fullName, email: dto.email ?? null, roles });
    return { id, username: dto.username, fullName: dto.fullName, email: dto.email ?? null, roles };
  }

  @Get()
  async list(@CurrentUser() user: AuthUser) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    return { items: await this.users.list() };
  }
}
