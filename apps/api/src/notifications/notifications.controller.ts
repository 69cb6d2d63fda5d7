import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { NotificationRepository } from '../../../../libs/persistence/src/repositories/notification.repository.js';
import { CurrentUser } from '../auth/decorators.js';
import { isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { parse } from '../common/parse.js';
import { uuid } from '../common/uuid.pipe.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const ListQuery = z.object({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const FailuresQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/**
 * The caller's in-app feed of reminders and escalations; for administrators, the e-mails of the outbox that
 * failed for good or are in doubt (README, Notifications), and re-queueing one.
 */
@Controller('notifications')
export class NotificationsController {
  constructor(@Inject(NotificationRepository) private readonly notifications: NotificationRepository) {}

  @Get()
  @ApiDoc({ en: 'The caller’s notifications, newest first', vi: 'Thông báo của người dùng, mới trước', query: ListQuery })
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const q = parse(ListQuery, query);
    return this.notifications.list(user.id, { unreadOnly: q.unread === 'true', limit: q.limit, offset: q.offset });
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiDoc({ en: 'Mark all of the caller’s notifications read', vi: 'Đánh dấu đã đọc mọi thông báo' })
  async readAll(@CurrentUser() user: AuthUser) {
    return { marked: await this.notifications.markAllRead(user.id) };
  }

  /** E-mails failed after every attempt or claimed and never confirmed (in doubt), newest first. Admins only. */
  @Get('email-failures')
  @ApiDoc({ en: 'E-mails failed or in doubt (administrators)', vi: 'Thư điện tử gửi lỗi hoặc chưa rõ (quản trị)', query: FailuresQuery })
  emailFailures(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    return this.notifications.emailFailures(parse(FailuresQuery, query));
  }

  /** Re-queues a failed or in-doubt e-mail (an in-doubt one may then reach its recipient twice). Admins only. */
  @Post('email-failures/:id/retry')
  @HttpCode(200)
  @ApiDoc({ en: 'Re-queue a failed or in-doubt e-mail (administrators)', vi: 'Gửi lại thư lỗi hoặc chưa rõ (quản trị)' })
  async retryEmail(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const outcome = await this.notifications.retryEmail(id);
    if (outcome === 'not_found') throw new DomainError('not_found');
    if (outcome === 'not_retryable') throw new DomainError('email_not_retryable');
    return { id, status: 'pending' };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiDoc({ en: 'Mark one of the caller’s notifications read', vi: 'Đánh dấu một thông báo đã đọc' })
  async read(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    if (!(await this.notifications.markRead(user.id, id))) throw new DomainError('not_found');
    return { id, read: true };
  }
}
