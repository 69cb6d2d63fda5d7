import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { langFromAcceptLanguage } from '../../../../libs/domain/src/messages.js';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { parse } from '../common/parse.js';
import { CompleteTask, ExtendBody, InboxQuery } from './tasks.schemas.js';
import { TasksService } from './tasks.service.js';

@Controller('tasks')
export class TasksController {
  constructor(
    @Inject(TasksService) private readonly tasks: TasksService,
    @Inject(IdempotencyService) private readonly idem: IdempotencyService,
  ) {}

  /** The caller's open inbox across their jurisdiction, earliest due first, paged. */
  @Get()
  inbox(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    return this.tasks.inbox(user, parse(InboxQuery, query));
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.tasks.get(user, id);
  }

  @Post(':id/extend')
  @HttpCode(200)
  async extend(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) res: any) {
    const dto = parse(ExtendBody, body);
    const answer = await this.idem.run(user.id, headers['idempotency-key'], IdempotencyService.hash(['POST /tasks/extend', id, dto]), langFromAcceptLanguage(headers['accept-language']), async () => {
      const s = await this.tasks.extend(user, id, dto);
      return { statusCode: 200, body: { candidateId: s.candidateId, stage: s.stage, status: s.status, openTasks: s.openTasks } };
    });
    res.status(answer.statusCode);
    return answer.body;
  }

  @Post(':id/complete')
  @HttpCode(200)
  async complete(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) res: any) {
    const dto = parse(CompleteTask, body);
    const key = headers['idempotency-key'];
    const answer = await this.idem.run(user.id, key, IdempotencyService.hash(['POST /tasks/complete', id, dto]), langFromAcceptLanguage(headers['accept-language']), async () => {
      const s = await this.tasks.complete(user, id, dto, key);
      return { statusCode: 200, body: { candidateId: s.candidateId, stage: s.stage, status: s.status, openTasks: s.openTasks } };
    });
    res.status(answer.statusCode);
    return answer.body;
  }
}
