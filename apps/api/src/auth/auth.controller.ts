import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { z } from 'zod';
import { parse } from '../common/parse.js';
import { UsersService } from '../users/users.service.js';
import { AuthService } from './auth.service.js';
import { clientInfo } from './client-info.js';
import { CurrentUser, Public } from './decorators.js';
import type { AuthUser } from './jurisdiction.js';
import { MAX_PASSWORD_LENGTH } from './password.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(MAX_PASSWORD_LENGTH) });
const ChangePasswordBody = z.object({ currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH), newPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH) });

@Controller('auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiDoc({ en: 'Sign in: answers the session’s bearer token (accessToken)', vi: 'Đăng nhập: trả về mã phiên (accessToken)', body: LoginBody })
  login(@Body() body: unknown, @Req() req: any) {
    const { username, password } = parse(LoginBody, body);
    return this.auth.login(username, password, clientInfo(req));
  }

  /** Ends the session of the token sent; the token is refused from then on. */
  @Post('logout')
  @HttpCode(204)
  @ApiDoc({ en: 'End the session of the token sent', vi: 'Đăng xuất: kết thúc phiên của mã đã gửi' })
  async logout(@CurrentUser() user: AuthUser, @Req() req: any): Promise<void> {
    await this.auth.logout(user, clientInfo(req));
  }

  /** The signed-in user changes their own password: every other session of theirs ends. */
  @Post('password')
  @HttpCode(204)
  @ApiDoc({ en: 'Change one’s own password; every other session ends', vi: 'Đổi mật khẩu của mình; các phiên khác kết thúc', body: ChangePasswordBody })
  async changePassword(@CurrentUser() user: AuthUser, @Body() body: unknown, @Req() req: any): Promise<void> {
    const dto = parse(ChangePasswordBody, body);
    await this.users.changeOwnPassword(user, dto.currentPassword, dto.newPassword, clientInfo(req));
  }

  @Get('me')
  @ApiDoc({ en: 'The signed-in user: name and roles with their scope', vi: 'Người dùng đang đăng nhập: họ tên, vai trò và phạm vi' })
  me(@CurrentUser() user: AuthUser) {
    return {
      id: user.id,
      username: user.username,
      fullName: user.fullName,
      roles: user.roles.map(({ role, orgUnitId }) => ({ role, orgUnitId, scope: orgUnitId ? 'subtree' : 'global' })),
    };
  }
}
