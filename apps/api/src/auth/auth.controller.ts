import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { z } from 'zod';
import { parse } from '../common/parse.js';
import { AuthService } from './auth.service.js';
import { CurrentUser, Public } from './decorators.js';
import type { AuthUser } from './jurisdiction.js';

const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });

@Controller('auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: unknown) {
    const { username, password } = parse(LoginBody, body);
    return this.auth.login(username, password);
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles.map(({ role, orgUnitId }) => ({ role, orgUnitId })) };
  }
}
