import { Body, Controller, Get, Headers, HttpCode, Inject, Logger, Param, Post, Query, Res } from '@nestjs/common';
import { langFromAcceptLanguage, type Lang } from '../../../../libs/domain/src/messages.js';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { mapConcurrent } from '../common/concurrency.js';
import { DomainError } from '../common/domain-error.js';
import { errorBody, type ErrorBody } from '../common/error-body.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { parse } from '../common/parse.js';
import { BulkComplete, CompleteTask, ExtendBody, InboxQuery, type CompleteTaskDto } from './tasks.schemas.js';
import { TasksService } from './tasks.service.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

/** Decisions of one bulk request in flight at once (each is a Temporal update on its own candidate). */
const BULK_CONCURRENCY = 8;

@Controller('tasks')
export class TasksController {
  private readonly log = new Logger('tasks');

  constructor(
    @Inject(TasksService) private readonly tasks: TasksService,
    @Inject(IdempotencyService) private readonly idem: IdempotencyService,
  ) {}

  /** The caller's open inbox across their jurisdiction, earliest due first, paged. */
  @Get()
  @ApiDoc({ en: 'The caller’s open tasks across their jurisdiction, earliest due first, paged', vi: 'Nhiệm vụ đang mở trong phạm vi của người dùng, hạn sớm trước, theo trang', query: InboxQuery })
  inbox(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    return this.tasks.inbox(user, parse(InboxQuery, query));
  }

  @Get(':id')
  @ApiDoc({ en: 'An open or closed task: its type, due date and candidate', vi: 'Một nhiệm vụ: loại, hạn và quần chúng' })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.tasks.get(user, id);
  }

  @Post(':id/extend')
  @HttpCode(200)
  @ApiDoc({ en: 'Extend a task’s time limit by working days, with a reason', vi: 'Gia hạn nhiệm vụ thêm một số ngày làm việc, có lý do', body: ExtendBody, idempotent: true })
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
  @ApiDoc({ en: 'Decide a task: the outcome and the decision data of its step (see x-decisions)', vi: 'Quyết định một nhiệm vụ: kết quả và dữ liệu quyết định theo bước (xem x-decisions)', body: CompleteTask, decisions: 'one', idempotent: true })
  async complete(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) res: any) {
    const answer = await this.completeOnce(user, id, parse(CompleteTask, body), headers['idempotency-key'], langFromAcceptLanguage(headers['accept-language']));
    res.status(answer.statusCode);
    return answer.body;
  }

  /**
   * Several decisions at once (a class's certificates, one meeting's votes): each item goes through the same
   * path as POST /tasks/:id/complete with its own Idempotency-Key, so a retried request applies nothing twice,
   * and a refused item is reported in its place without stopping the others.
   */
  @Post('bulk-complete')
  @HttpCode(200)
  @ApiDoc({ en: 'Several decisions at once, each with its own Idempotency-Key; a refused item is reported in its place', vi: 'Nhiều quyết định cùng lúc, mỗi mục một khóa; mục bị từ chối được báo tại chỗ', body: BulkComplete, decisions: 'bulk' })
  async bulkComplete(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers() headers: Record<string, string>) {
    const { items } = parse(BulkComplete, body);
    const lang = langFromAcceptLanguage(headers['accept-language']);
    const results = await mapConcurrent(items, BULK_CONCURRENCY, async ({ taskId, idempotencyKey, outcome, data, note }) => {
      try {
        const answer = await this.completeOnce(user, taskId, { outcome, data, note }, idempotencyKey, lang);
        if (answer.statusCode < 300) return { taskId, ok: true as const, ...(answer.body as object) };
        const { code, message, violations } = answer.body as ErrorBody; // a refusal remembered under this key
        return { taskId, ok: false as const, status: answer.statusCode, error: { code, message, ...(violations ? { violations } : {}) } };
      } catch (e) {
        if (!(e instanceof DomainError)) this.log.error(`bulk item ${taskId}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        const { statusCode, code, message, violations } = errorBody(e instanceof DomainError ? e : new DomainError('internal'), lang);
        return { taskId, ok: false as const, status: statusCode, error: { code, message, ...(violations ? { violations } : {}) } };
      }
    });
    const accepted = results.filter((r) => r.ok).length;
    return { results, accepted, refused: results.length - accepted };
  }

  /** One decision, at most once per (user, Idempotency-Key); the key is also the Temporal update id. */
  private completeOnce(user: AuthUser, id: string, dto: CompleteTaskDto, key: string | undefined, lang: Lang) {
    return this.idem.run(user.id, key, IdempotencyService.hash(['POST /tasks/complete', id, dto]), lang, async () => {
      const s = await this.tasks.complete(user, id, dto, key);
      return { statusCode: 200, body: { candidateId: s.candidateId, stage: s.stage, status: s.status, openTasks: s.openTasks } };
    }, { rerunAfterSeconds: IdempotencyService.RERUN_AFTER_SECONDS });
  }
}
