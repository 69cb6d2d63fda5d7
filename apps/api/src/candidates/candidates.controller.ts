import { Body, Controller, Get, Headers, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { z } from 'zod';
import { langFromAcceptLanguage } from '../../../../libs/domain/src/messages.js';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { businessDate, parse } from '../common/parse.js';
import { CandidatesService } from './candidates.service.js';
import { ExportService } from './export.service.js';
import { CreateCandidate, FactsBody, TransferBody, WithdrawBody } from './candidates.schemas.js';
import { RateLimit } from '../common/rate-limit.js';
import { uuid } from '../common/uuid.pipe.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const AsOfQuery = z.object({ asOf: businessDate() });
const ExportQuery = z.object({ format: z.enum(['json', 'pdf']).default('json') });

@Controller('candidates')
export class CandidatesController {
  constructor(
    @Inject(CandidatesService) private readonly service: CandidatesService,
    @Inject(IdempotencyService) private readonly idem: IdempotencyService,
    @Inject(ExportService) private readonly exports: ExportService,
  ) {}

  @Post()
  @ApiDoc({ en: 'Open a candidate’s case (starts its workflow)', vi: 'Lập hồ sơ quần chúng (bắt đầu quy trình)', body: CreateCandidate, idempotent: true })
  async create(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) res: any) {
    const dto = parse(CreateCandidate, body);
    const answer = await this.idem.run(user.id, headers['idempotency-key'], IdempotencyService.hash(['POST /candidates', dto]), langFromAcceptLanguage(headers['accept-language']), async () => {
      const s = await this.service.create(user, dto, headers['idempotency-key']);
      return { statusCode: 201, body: { id: s.candidateId, stage: s.stage, status: s.status, openTasks: s.openTasks } };
    }, { rerunAfterSeconds: IdempotencyService.RERUN_AFTER_SECONDS });
    res.status(answer.statusCode);
    return answer.body;
  }

  @Get(':id')
  @ApiDoc({ en: 'A candidate: profile, stage and open tasks (the training centre sees a reduced view)', vi: 'Thông tin quần chúng: lý lịch, giai đoạn, nhiệm vụ đang mở (trung tâm bồi dưỡng xem bản rút gọn)' })
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.service.view(user, id);
  }

  @Get(':id/history')
  @ApiDoc({ en: 'A candidate’s business history, with its hash chain', vi: 'Lịch sử nghiệp vụ của hồ sơ, kèm chuỗi băm' })
  history(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.service.history(user, id);
  }

  @Get(':id/state')
  @ApiDoc({ en: 'A candidate’s state as of a date', vi: 'Trạng thái hồ sơ tại một ngày', query: AsOfQuery })
  state(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Query() query: unknown) {
    const { asOf } = parse(AsOfQuery, query);
    return this.service.stateAsOf(user, id, asOf);
  }

  /** The full dossier and history: JSON with the chain hashes, or a printable PDF in Vietnamese. */
  @Get(':id/export')
  @RateLimit('candidate_export')
  @ApiDoc({ en: 'The full dossier and history: JSON with the chain hashes, or a printable PDF', vi: 'Xuất toàn bộ hồ sơ và lịch sử: JSON kèm chuỗi băm, hoặc PDF để in', query: ExportQuery, produces: ['application/json', 'application/pdf'] })
  async export(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Query() query: unknown, @Res({ passthrough: true }) res: any) {
    const { format } = parse(ExportQuery, query);
    if (format === 'json') {
      res.setHeader('Content-Disposition', `attachment; filename="ho-so-${id}.json"`);
      return this.exports.json(user, id);
    }
    const pdf = await this.exports.pdf(user, id);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="ho-so-${id}.pdf"`);
    res.end(pdf);
  }

  /** The candidate's facts changed over the path (issue 16): recorded in the history, the row follows. */
  @Patch(':id/facts')
  @ApiDoc({ en: 'Record a change of the candidate’s facts (education, youth union…)', vi: 'Ghi nhận thay đổi thông tin của quần chúng (trình độ, đoàn viên…)', body: FactsBody, idempotent: true })
  async updateFacts(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) res: any) {
    const dto = parse(FactsBody, body);
    const answer = await this.idem.run(user.id, headers['idempotency-key'], IdempotencyService.hash(['PATCH /candidates/facts', id, dto]), langFromAcceptLanguage(headers['accept-language']), async () => {
      const s = await this.service.updateFacts(user, id, dto, headers['idempotency-key']);
      return { statusCode: 200, body: { id: s.candidateId, stage: s.stage, status: s.status, facts: s.facts, openTasks: s.openTasks } };
    }, { rerunAfterSeconds: IdempotencyService.RERUN_AFTER_SECONDS });
    res.status(answer.statusCode);
    return answer.body;
  }

  /** Chuyển sinh hoạt: moves the candidate and their open steps to another cell (recorded in the history). */
  @Post(':id/transfer')
  @ApiDoc({ en: 'Transfer the candidate and their open steps to another cell', vi: 'Chuyển sinh hoạt: chuyển quần chúng và các bước đang mở sang chi bộ khác', body: TransferBody, idempotent: true })
  async transfer(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) res: any) {
    const dto = parse(TransferBody, body);
    const answer = await this.idem.run(user.id, headers['idempotency-key'], IdempotencyService.hash(['POST /candidates/transfer', id, dto]), langFromAcceptLanguage(headers['accept-language']), async () => {
      const s = await this.service.transfer(user, id, dto, headers['idempotency-key']);
      return { statusCode: 200, body: { id: s.candidateId, stage: s.stage, status: s.status, openTasks: s.openTasks } };
    }, { rerunAfterSeconds: IdempotencyService.RERUN_AFTER_SECONDS });
    res.status(answer.statusCode);
    return answer.body;
  }

  @Post(':id/withdraw')
  @ApiDoc({ en: 'Withdraw a candidate’s case', vi: 'Rút hồ sơ của quần chúng', body: WithdrawBody, idempotent: true })
  async withdraw(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) res: any) {
    const { reason } = parse(WithdrawBody, body);
    const answer = await this.idem.run(user.id, headers['idempotency-key'], IdempotencyService.hash(['POST /candidates/withdraw', id, reason]), langFromAcceptLanguage(headers['accept-language']), async () => {
      const s = await this.service.withdraw(user, id, reason, headers['idempotency-key']);
      return { statusCode: 200, body: { id: s.candidateId, stage: s.stage, status: s.status } };
    }, { rerunAfterSeconds: IdempotencyService.RERUN_AFTER_SECONDS });
    res.status(answer.statusCode);
    return answer.body;
  }
}
