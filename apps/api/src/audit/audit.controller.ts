import { Controller, Get, HttpCode, Inject, Logger, Param, Post, Query, Res } from '@nestjs/common';
import { CandidateRepository } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import { ReplayService } from './replay.service.js';
import { z } from 'zod';
import { AuditRepository } from '../../../../libs/persistence/src/repositories/audit.repository.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { CurrentUser } from '../auth/decorators.js';
import { hasRoleOver, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { streamCsv } from '../common/csv.js';
import { businessDate, paging, parse } from '../common/parse.js';
import { RateLimit } from '../common/rate-limit.js';
import { uuid } from '../common/uuid.pipe.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const CsvQuery = z.object({ orgUnitId: z.uuid(), from: businessDate(), to: businessDate() });

const CSV_COLUMNS = ['at', 'candidateId', 'candidateName', 'cellName', 'seq', 'type', 'recordedOn', 'businessDate', 'actor', 'ruleSetId', 'data', 'hash'] as const;

/** One call verifies at most this many candidates' chains; the answer's `next` is the following page. */
const VerifyQuery = z.object({ orgUnitId: z.uuid(), ...paging(100, 1000) });

const UnitQuery = z.object({
  orgUnitId: z.uuid(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Auditors (and administrators) read everything in their subtree; nothing here writes. */
@Controller('audit')
export class AuditController {
  private readonly log = new Logger('audit');

  constructor(
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(CandidateRepository) private readonly candidates: CandidateRepository,
    @Inject(ReplayService) private readonly replays: ReplayService,
  ) {}

  private async unitPath(user: AuthUser, orgUnitId: string): Promise<string> {
    const unit = await this.units.get(orgUnitId);
    if (!unit) throw new DomainError('org_unit_not_found', { id: orgUnitId });
    if (!hasRoleOver(user, ['auditor', 'admin'], unit.path)) throw new DomainError('out_of_jurisdiction', { role: 'auditor' });
    return unit.path;
  }

  /** Recomputes the hash chain of every candidate's history in the subtree; names the first altered event. */
  @Get('verify')
  @RateLimit('audit_verify')
  @ApiDoc({ en: 'Verify the hash chain of every candidate’s history in a subtree; names the first altered event', vi: 'Kiểm tra chuỗi băm lịch sử hồ sơ của mọi quần chúng trong đơn vị; chỉ ra sự kiện đầu tiên bị sửa', query: VerifyQuery })
  async verify(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const q = parse(VerifyQuery, query);
    return this.audit.verify(await this.unitPath(user, q.orgUnitId), { limit: q.limit, offset: q.offset });
  }

  /** Replays the candidate's Temporal history on the deployed code and compares it with the business history. */
  @Post('replay/:candidateId')
  @RateLimit('audit_replay')
  @HttpCode(200)
  @ApiDoc({ en: 'Replay a candidate’s Temporal history on the deployed code and compare it with the business history', vi: 'Chạy lại lịch sử Temporal của hồ sơ trên mã đang chạy và đối chiếu với lịch sử nghiệp vụ' })
  async replay(@CurrentUser() user: AuthUser, @Param('candidateId', uuid) candidateId: string) {
    const c = await this.candidates.get(candidateId);
    if (!c) throw new DomainError('candidate_not_found');
    await this.unitPath(user, c.cellId);
    const report = await this.replays.replay(candidateId);
    // A divergence carries the recorded and replayed event data (decisions, verification): a personal-data read.
    await this.audit.logPiiRead(user.id, candidateId, 'replay');
    return report;
  }

  /** A jurisdiction's history for a date range as CSV (UTF-8 with BOM for spreadsheets), streamed. */
  @Get('history.csv')
  @RateLimit('history_export')
  @ApiDoc({ en: 'A jurisdiction’s history for a date range, as CSV (UTF-8 with BOM)', vi: 'Lịch sử các hồ sơ của đơn vị trong một khoảng ngày, tệp CSV', query: CsvQuery, produces: ['text/csv'] })
  async historyCsv(@CurrentUser() user: AuthUser, @Query() query: unknown, @Res() res: any) {
    const q = parse(CsvQuery, query);
    if (q.from > q.to) throw new DomainError('report_period_invalid', { from: q.from, to: q.to });
    const path = await this.unitPath(user, q.orgUnitId);
    // Logged before the first byte leaves, one row per candidate in the export, naming the filter.
    await this.audit.logHistoryExport(user.id, path, q.from, q.to, `history-csv:${q.orgUnitId}:${q.from}..${q.to}`);
    await streamCsv(res, `lich-su-${q.from}-${q.to}.csv`, [...CSV_COLUMNS], this.csvPages(path, q.from, q.to), (e) =>
      this.log.error(`history.csv ${q.orgUnitId} ${q.from}..${q.to} cut short: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    );
  }

  private async *csvPages(path: string, from: string, to: string): AsyncGenerator<unknown[][]> {
    for await (const page of this.audit.historyRows(path, from, to)) yield page.map((row) => CSV_COLUMNS.map((c) => row[c]));
  }

  /** Who read which candidate's personal data, and when. */
  @Get('pii-reads')
  @ApiDoc({ en: 'Who read which candidate’s personal data, and when', vi: 'Ai đã xem dữ liệu cá nhân của quần chúng nào, khi nào', query: UnitQuery })
  async piiReads(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const q = parse(UnitQuery, query);
    return { items: await this.audit.piiReads(await this.unitPath(user, q.orgUnitId), q.limit, q.offset) };
  }
}
