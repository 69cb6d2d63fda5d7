import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { NotificationRepository } from '../../../../libs/persistence/src/repositories/notification.repository.js';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { parse } from '../common/parse.js';
import { uuid } from '../common/uuid.pipe.js';

const ListQuery = z.object({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The caller's in-app feed of reminders and escalations. */
@Controller('notifications')
export class NotificationsController {
  constructor(@Inject(NotificationRepository) private readonly notifications: NotificationRepository) {}

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const q = parse(ListQuery, query);
    return this.notifications.list(user.id, { unreadOnly: q.unread === 'true', limit: q.limit, offset: q.offset });
  }

  @Post('read-all')
  @HttpCode(200)
  async readAll(@CurrentUser() user: AuthUser) {
    return { marked: await this.notifications.markAllRead(user.id) };
  }

  @Post(':id/read')
  @HttpCode(200)
  async read(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    if (!(await this.notifications.markRead(user.id, id))) throw new DomainError('not_found');
    return { id, read: true };
  }
}
