import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CandidateRepository } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import { ReplayService } from './replay.service.js';
import { z } from 'zod';
import { AuditRepository } from '../../../../libs/persistence/src/repositories/audit.repository.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { CurrentUser } from '../auth/decorators.js';
import { hasRoleOver, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { parse } from '../common/parse.js';

const CsvQuery = z.object({ orgUnitId: z.uuid(), from: z.iso.date(), to: z.iso.date() });

const CSV_COLUMNS = ['at', 'candidateId', 'candidateName', 'cellName', 'seq', 'type', 'recordedOn', 'businessDate', 'actor', 'ruleSetId', 'data', 'hash'] as const;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const UnitQuery = z.object({
  orgUnitId: z.uuid(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Auditors (and administrators) read everything in their subtree; nothing here writes. */
@Controller('audit')
export class AuditController {
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
  async verify(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const q = parse(UnitQuery, query);
    return this.audit.verify(await this.unitPath(user, q.orgUnitId));
  }

  /** Replays the candidate's Temporal history on the deployed code and compares it with the business history. */
  @Post('replay/:candidateId')
  @HttpCode(200)
  async replay(@CurrentUser() user: AuthUser, @Param('candidateId', new ParseUUIDPipe()) candidateId: string) {
    const c = await this.candidates.get(candidateId);
    if (!c) throw new DomainError('candidate_not_found');
    await this.unitPath(user, c.cellId);
    return this.replays.replay(candidateId);
  }

  /** A jurisdiction's history for a date range as CSV (UTF-8 with BOM for spreadsheets), streamed. */
  @Get('history.csv')
  async historyCsv(@CurrentUser() user: AuthUser, @Query() query: unknown, @Res() res: any) {
    const q = parse(CsvQuery, query);
    const path = await this.unitPath(user, q.orgUnitId);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="lich-su-${q.from}-${q.to}.csv"`);
    const write = (chunk: string) => (res.write(chunk) ? Promise.resolve() : new Promise<void>((r) => res.once('drain', () => r())));
    await write(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
    for await (const page of this.audit.historyRows(path, q.from, q.to)) {
      await write(page.map((row) => CSV_COLUMNS.map((c) => csvCell(row[c])).join(',')).join('\r\n') + '\r\n');
    }
    res.end();
  }

  /** Who read which candidate's personal data, and when. */
  @Get('pii-reads')
  async piiReads(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const q = parse(UnitQuery, query);
    return { items: await this.audit.piiReads(await this.unitPath(user, q.orgUnitId), q.limit, q.offset) };
  }
}
