import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { z } from 'zod';
import { ROLES } from '../../../../libs/domain/src/procedure.js';
import { clientInfo } from '../auth/client-info.js';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { MAX_PASSWORD_LENGTH } from '../auth/password.js';
import { parse } from '../common/parse.js';
import { UsersService } from './users.service.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const Roles = z.array(z.object({ role: z.enum(ROLES), orgUnitId: z.uuid().nullable().optional() })).min(1).max(50);
// The length rule (at least 12 characters) is checked apart, with its own message.
const Password = z.string().min(1).max(MAX_PASSWORD_LENGTH);

const CreateUser = z.object({
  username: z.string().trim().regex(/^[a-zA-Z0-9._-]{3,64}$/, 'letters, digits, . _ - (3 to 64)'),
  password: Password,
  fullName: z.string().trim().min(1).max(200),
  email: z.email().max(200).optional(),
  roles: Roles,
});
const UpdateUser = z
  .object({
    fullName: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(200).nullable().optional(),
    active: z.boolean().optional(),
    roles: Roles.optional(),
  })
  .strict();
const ResetPassword = z.object({ password: Password });
const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
const ListUsers = Paging.extend({ search: z.string().trim().max(100).optional() });
const ListSecurityLog = Paging.extend({ userId: z.uuid().optional(), kind: z.string().regex(/^[a-z_]{1,40}$/).optional() });
const Id = z.object({ id: z.uuid() });

/** User administration: admins only. Grants of `admin` are global (no unit); every other grant covers a unit's subtree. */
@Controller('users')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Post()
  @ApiDoc({ en: 'Create a user with their roles (administrators)', vi: 'Tạo người dùng và vai trò (quản trị)', body: CreateUser })
  create(@CurrentUser() user: AuthUser, @Body() body: unknown, @Req() req: any) {
    return this.users.create(user, parse(CreateUser, body), clientInfo(req));
  }

  @Get()
  @ApiDoc({ en: 'Users, paged (administrators)', vi: 'Danh sách người dùng, theo trang (quản trị)', query: ListUsers })
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    return this.users.list(user, parse(ListUsers, query));
  }

  @Get(':id')
  @ApiDoc({ en: 'A user (administrators)', vi: 'Một người dùng (quản trị)', params: Id })
  get(@CurrentUser() user: AuthUser, @Param() params: unknown) {
    return this.users.get(user, parse(Id, params).id);
  }

  /** Name, e-mail, active, roles. Deactivating or changing roles ends the user's sessions at once. */
  @Patch(':id')
  @ApiDoc({ en: 'Change a user’s name, e-mail, active flag or roles; deactivating or changing roles ends their sessions', vi: 'Sửa họ tên, thư điện tử, trạng thái hoặc vai trò; khóa hoặc đổi vai trò thì kết thúc các phiên', params: Id, body: UpdateUser })
  update(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Req() req: any) {
    return this.users.update(user, parse(Id, params).id, parse(UpdateUser, body), clientInfo(req));
  }

  @Post(':id/password')
  @HttpCode(204)
  @ApiDoc({ en: 'Set a user’s password (administrators); their sessions end', vi: 'Đặt lại mật khẩu (quản trị); các phiên kết thúc', params: Id, body: ResetPassword })
  async resetPassword(@CurrentUser() user: AuthUser, @Param() params: unknown, @Body() body: unknown, @Req() req: any): Promise<void> {
    await this.users.resetPassword(user, parse(Id, params).id, parse(ResetPassword, body).password, clientInfo(req));
  }

  @Post(':id/revoke-sessions')
  @HttpCode(200)
  @ApiDoc({ en: 'End every session of a user (administrators)', vi: 'Kết thúc mọi phiên của người dùng (quản trị)', params: Id })
  revokeSessions(@CurrentUser() user: AuthUser, @Param() params: unknown, @Req() req: any) {
    return this.users.revokeSessions(user, parse(Id, params).id, clientInfo(req));
  }
}

/** The append-only security log: sign-ins, failures, lockouts, sign-outs and every change to a user. Admins only. */
@Controller('security-log')
export class SecurityLogController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  @ApiDoc({ en: 'The security log: sign-ins, refusals, role changes (administrators)', vi: 'Nhật ký an ninh: đăng nhập, từ chối, đổi vai trò (quản trị)', query: ListSecurityLog })
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    return this.users.securityLog(user, parse(ListSecurityLog, query));
  }
}
