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
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.service.view(user, id);
  }

  @Get(':id/history')
  history(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.service.history(user, id);
  }

  @Get(':id/state')
  state(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Query() query: unknown) {
    const { asOf } = parse(AsOfQuery, query);
    return this.service.stateAsOf(user, id, asOf);
  }

  /** The full dossier and history: JSON with the chain hashes, or a printable PDF in Vietnamese. */
  @Get(':id/export')
  @RateLimit('candidate_export')
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
