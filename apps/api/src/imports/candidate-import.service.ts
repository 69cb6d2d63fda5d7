import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../../libs/config/src/config.js';
import { checkImportRow, columnFor, importRouteShape, importRowKey, parseImportFile, parseImportRows, rowError, type ParsedImportFile, type RowError } from '../../../../libs/domain/src/candidate-import.js';
import type { Lang } from '../../../../libs/domain/src/messages.js';
import type { Role, Routing, Stage, TaskType } from '../../../../libs/domain/src/procedure.js';
import { foldVietnamese } from '../../../../libs/domain/src/text.js';
import { CandidateRepository } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import { OrgUnitRepository, type OrgUnit } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { dryRunImport } from '../../../../workflows/candidate/candidate.import.js';
import type { Actor, CandidateWorkflowInput } from '../../../../workflows/candidate/candidate.messages.js';
import { hasRoleOver, isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { CandidatesService } from '../candidates/candidates.service.js';
import { ClockService } from '../clock/clock.service.js';
import { DomainError } from '../common/domain-error.js';
import { jobView, JobsService } from '../jobs/jobs.service.js';
import { looksLikeXlsx, readFirstSheet, XlsxError } from './xlsx-reader.js';

/** Who may import cases into a unit: the roles that create candidates over it (auditors and centres do not). */
const IMPORTER_ROLES: readonly Role[] = ['cell_secretary', 'grassroots_committee', 'superior_board'];

/** The largest file accepted (a CSV of a few thousand rows is well under it). */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

export interface ImportQuery {
  orgUnitId: string;
  filename: string;
}

export interface ImportPreviewRow {
  /** Line in the file (the header is line 1). */
  row: number;
  fullName: string;
  cell?: { id: string; name: string };
  /** The case's id: a name-based UUID of the row key (grassroots organisation, folded name, date of birth). */
  candidateId?: string;
  stage?: Stage;
  status: 'ok' | 'error' | 'already_imported';
  errors: RowError[];
  /** Not an error: the row was imported before and will be skipped. */
  notice?: RowError;
  /** The steps that will be open, with their due dates; `overdue` when the limit has already passed. */
  openTasks?: { type: TaskType; dueDate?: string; overdue: boolean }[];
}

export interface ImportPreview {
  fileName: string;
  sha256: string;
  orgUnitId: string;
  total: number;
  ok: number;
  errors: number;
  alreadyImported: number;
  /** Problems with the file as a whole (header): no row is read then. */
  fileErrors: RowError[];
  rows: ImportPreviewRow[];
}

/** What the import job (apps/worker/src/candidate-import.chunk.ts) needs per row; the rest is in `common`. */
export interface ImportJobRow {
  candidateId: string;
  row: number;
  fullName: string;
  input: Omit<CandidateWorkflowInput, 'clock' | 'calendar' | 'reminders' | 'remindersByTaskType' | 'reminderSpreadSeconds'>;
}

export interface ImportJobInput {
  subject: { fileName: string; sha256: string; orgUnitId: string; rows: number };
  lang: Lang;
  common: Pick<CandidateWorkflowInput, 'clock' | 'calendar' | 'reminders' | 'remindersByTaskType' | 'reminderSpreadSeconds'>;
  rows: ImportJobRow[];
}

/** A name-based UUID (version-5 layout over SHA-256), as JobsService.jobId. */
export function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Imports cases already under way from a CSV file (issue 16). `preview` reads and checks every row — fields,
 * dates, order, then a dry run of the case (the rules of each step, as live decisions) — and writes nothing;
 * `start` does the same and, when no row has an error, starts a durable job (`candidate_import`) that starts
 * each row's workflow at its stage. A row's case has a deterministic id, so importing the same file again
 * creates nothing twice (rows already imported are reported as such).
 */
@Injectable()
export class CandidateImportService {
  private readonly log = new Logger('candidate-import');

  constructor(
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(CandidateRepository) private readonly candidates: CandidateRepository,
    @Inject(CandidatesService) private readonly cases: CandidatesService,
    @Inject(ClockService) private readonly clock: ClockService,
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(JobsService) private readonly jobs: JobsService,
  ) {}

  /** The unit the file is imported into, if the caller may import there (403 otherwise), with the grant used. */
  async unit(user: AuthUser, orgUnitId: string): Promise<{ unit: OrgUnit; actor: Actor }> {
    const unit = await this.units.get(orgUnitId);
    if (!unit) throw new DomainError('org_unit_not_found', { id: orgUnitId });
    const grant = hasRoleOver(user, IMPORTER_ROLES, unit.path);
    if (!grant && !isAdmin(user)) throw new DomainError('out_of_jurisdiction', { role: 'cell_secretary' });
    const actor: Actor = { userId: user.id, username: user.username, fullName: user.fullName };
    if (grant) Object.assign(actor, { role: grant.role, orgUnitId: grant.orgUnitId ?? undefined });
    return { unit, actor };
  }

  async preview(user: AuthUser, q: ImportQuery, content: Buffer): Promise<ImportPreview> {
    return (await this.prepare(user, q, content)).preview;
  }

  async start(user: AuthUser, q: ImportQuery, content: Buffer, lang: Lang, idempotencyKey?: string) {
    const again = await this.jobs.existing(user, 'candidate_import', idempotencyKey);
    if (again) return jobView(again);
    const { preview, job } = await this.prepare(user, q, content, lang);
    if (preview.fileErrors.length) throw new DomainError(preview.fileErrors[0].code, preview.fileErrors[0].params);
    if (preview.errors) throw new DomainError('import_has_errors', { rows: preview.errors });
    if (!preview.total) throw new DomainError('import_file_empty');
    const started = await this.jobs.start(
      user,
      { kind: 'candidate_import', orgUnitId: preview.orgUnitId, input: job as unknown as ImportJobInput & Record<string, unknown>, items: { ids: job.rows.map((r) => r.candidateId) } },
      idempotencyKey,
    );
    this.log.log(`import ${q.filename} (${preview.sha256.slice(0, 12)}) into ${preview.orgUnitId} by ${user.username}: job ${started.id}, ${preview.total} row(s), ${preview.alreadyImported} already imported`);
    return jobView(started);
  }

  /** CSV (UTF-8, BOM tolerated) or, by its zip signature, the first sheet of an XLSX workbook. */
  private read(content: Buffer): ParsedImportFile {
    if (!looksLikeXlsx(content)) return parseImportFile(content.toString('utf8'));
    try {
      return parseImportRows(readFirstSheet(content));
    } catch (e) {
      if (!(e instanceof XlsxError)) throw e;
      return { rows: [], errors: [rowError('import_file_unreadable', { detail: e.message })] };
    }
  }

  private async prepare(user: AuthUser, q: ImportQuery, content: Buffer, lang: Lang = 'vi'): Promise<{ preview: ImportPreview; job: ImportJobInput }> {
    const { unit, actor } = await this.unit(user, q.orgUnitId);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const today = this.clock.today();
    const calendar = await this.calendar.overrides();
    const common: ImportJobInput['common'] = { clock: this.clock.current() };
    if (calendar.length) common.calendar = calendar;
    if (this.config.reminders?.default) common.reminders = this.config.reminders.default;
    if (this.config.reminders && Object.keys(this.config.reminders.byTaskType).length) common.remindersByTaskType = this.config.reminders.byTaskType;
    if (this.config.reminderSpreadSeconds) common.reminderSpreadSeconds = this.config.reminderSpreadSeconds;
    const preview: ImportPreview = { fileName: q.filename, sha256, orgUnitId: unit.id, total: 0, ok: 0, errors: 0, alreadyImported: 0, fileErrors: [], rows: [] };
    const job: ImportJobInput = { subject: { fileName: q.filename, sha256, orgUnitId: unit.id, rows: 0 }, lang, common, rows: [] };

    const file = this.read(content);
    preview.fileErrors = file.errors;
    const cells = await this.units.cellsUnder(unit.path);
    const byId = new Map(cells.map((c) => [c.id, c]));
    const byName = new Map<string, OrgUnit[]>();
    for (const c of cells) byName.set(foldVietnamese(c.name), [...(byName.get(foldVietnamese(c.name)) ?? []), c]);
    const routings = new Map<string, Routing>();
    const keys = new Map<string, number>();
    const now = Date.now();

    for (const raw of file.rows) {
      const out: ImportPreviewRow = { row: raw.row, fullName: raw.values.fullName ?? '', status: 'error', errors: [] };
      preview.rows.push(out);
      const named = raw.values.cell ?? '';
      const found = byId.get(named) ? [byId.get(named)!] : (byName.get(foldVietnamese(named)) ?? []);
      let routing: Routing | undefined;
      if (named && found.length === 1) {
        const cell = found[0];
        out.cell = { id: cell.id, name: cell.name };
        routing = routings.get(cell.id);
        if (!routing) {
          try {
            routing = await this.cases.routingFor(cell);
            routings.set(cell.id, routing);
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            out.errors.push(rowError(e.code, e.params, 'cell'));
          }
        }
      } else if (named) {
        out.errors.push(rowError(found.length > 1 ? 'import_cell_ambiguous' : 'import_cell_not_found', { cell: named }, 'cell'));
      }
      // The route's shape (grassroots cell, partial committee, authorised committee) decides which steps it has.
      const checked = checkImportRow(raw, today, importRouteShape(routing));
      out.errors.push(...checked.errors);
      if (out.errors.length || !routing || !checked.profile) continue;

      const key = importRowKey(routing.grassrootsId, checked.fullName, checked.dateOfBirth!);
      const earlier = keys.get(key);
      if (earlier !== undefined) {
        out.errors.push(rowError('import_duplicate_row', { row: earlier }, 'fullName'));
        continue;
      }
      keys.set(key, raw.row);
      const candidateId = nameUuid(key);
      const p = checked.profile;
      const input: ImportJobRow['input'] = {
        candidateId,
        fullName: checked.fullName,
        facts: { dateOfBirth: checked.dateOfBirth!, youthUnionMember: p.youthUnionMember, education: p.education, hardshipArea: p.hardshipArea },
        routing,
        source: checked.source!,
        createdBy: actor,
        profile: { gender: p.gender, ethnicity: p.ethnicity, religion: p.religion, occupation: null, sector: null, professionalQualification: null, placeId: null },
        imported: { source: { fileName: q.filename, sha256, row: raw.row }, importedBy: actor, stage: checked.stage!, steps: checked.steps },
      };
      const dry = dryRunImport({ ...input, ...common }, now);
      if (!dry.ok) {
        const outcome = dry.index !== undefined ? checked.steps[dry.index]?.outcome : undefined;
        for (const v of dry.violations) out.errors.push(rowError(v.code, v.params, dry.step ? columnFor(dry.step, v.field, outcome) : undefined));
        continue;
      }
      Object.assign(out, {
        candidateId,
        stage: dry.stage,
        openTasks: dry.openTasks.map((t) => ({ type: t.type, dueDate: t.dueDate, overdue: Boolean(t.dueDate && t.dueDate < today) })),
      });
      const existing = await this.candidates.get(candidateId);
      out.status = existing ? 'already_imported' : 'ok';
      if (existing) out.notice = rowError('import_already_imported', { candidateId });
      job.rows.push({ candidateId, row: raw.row, fullName: checked.fullName, input });
    }
    preview.total = preview.rows.length;
    preview.ok = preview.rows.filter((r) => r.status === 'ok').length;
    preview.alreadyImported = preview.rows.filter((r) => r.status === 'already_imported').length;
    preview.errors = preview.rows.filter((r) => r.status === 'error').length;
    job.subject.rows = preview.total;
    return { preview, job };
  }
}
