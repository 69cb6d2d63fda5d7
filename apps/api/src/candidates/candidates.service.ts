import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../../libs/config/src/config.js';
import type { Role, Routing } from '../../../../libs/domain/src/procedure.js';
import { foldVietnamese } from '../../../../libs/domain/src/text.js';
import { readmissionViolations } from '../../../../libs/domain/src/readmission.js';
import { CandidateRepository, type CandidateRecord } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import { AuditRepository } from '../../../../libs/persistence/src/repositories/audit.repository.js';
import { PlanningRepository } from '../../../../libs/persistence/src/repositories/planning.repository.js';
import { TrainingRepository } from '../../../../libs/persistence/src/repositories/training.repository.js';
import { stateAsOf } from '../../../../libs/domain/src/history-fold.js';
import { OrgReorganisationRepository } from '../../../../libs/persistence/src/repositories/org-reorganisation.repository.js';
import { OrgUnitRepository, routingOfCell, type OrgUnit } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import {
  CANDIDATE_WORKFLOW_TYPE,
  candidateWorkflowId,
  syncUpdate,
  requestEnvelope,
  transferUpdate,
  updateFactsUpdate,
  withdrawUpdate,
  type CandidateSummary,
  type CandidateWorkflowInput,
} from '../../../../workflows/candidate/candidate.messages.js';
import { hasRoleOver, isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { ClockService } from '../clock/clock.service.js';
import { DomainError } from '../common/domain-error.js';
import { toDomainError } from '../common/workflow-errors.js';
import { keyedUuid, requestIdFor } from '../common/request-id.js';
import type { CreateCandidateDto, FactsDto, TransferDto } from './candidates.schemas.js';
import { dueContext, taskView } from '../tasks/tasks.service.js';

/** The roles that act on a candidate's case over its cell's units (auditors only read). */
const CASE_ROLES: readonly Role[] = ['cell_secretary', 'grassroots_committee', 'superior_board'];

/**
 * How much of a candidate a user may read: `full` (administrator, or a case role or auditor over the cell),
 * or `training_centre` (only the centre the candidate's training is routed to): name, date of birth, its own
 * open steps and the classes — never the history, verification, comments, attachments, exports or state.
 */
export type CandidateAccess = 'full' | 'training_centre';

@Injectable()
export class CandidatesService {
  private readonly log = new Logger('candidates');

  constructor(
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
    @Inject(Client) private readonly temporal: Client,
    @Inject(CandidateRepository) private readonly candidates: CandidateRepository,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(ClockService) private readonly clock: ClockService,
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(PlanningRepository) private readonly places: PlanningRepository,
    @Inject(TrainingRepository) private readonly training: TrainingRepository,
    @Inject(OrgReorganisationRepository) private readonly reorganisations: OrgReorganisationRepository,
  ) {}

  /** Resolves the cell's grassroots organisation, direct superior and training centre from the org tree. */
  async routingFor(cell: OrgUnit): Promise<Routing> {
    if (cell.kind !== 'cell' && cell.kind !== 'grassroots_cell') throw new DomainError('not_a_cell');
    if (await this.units.isDissolved(cell.id)) throw new DomainError('org_unit_dissolved', { id: cell.id });
    const routing = await this.units.routingOf(cell);
    if (!routing) throw new DomainError('routing_incomplete', { cellId: cell.id });
    return routing;
  }

  async create(user: AuthUser, dto: CreateCandidateDto, idempotencyKey?: string): Promise<CandidateSummary> {
    const cell = await this.units.get(dto.cellId);
    if (!cell) throw new DomainError('org_unit_not_found', { id: dto.cellId });
    if (!isAdmin(user) && !hasRoleOver(user, ['cell_secretary', 'grassroots_committee', 'superior_board'], cell.path)) {
      throw new DomainError('out_of_jurisdiction', { role: 'cell_secretary' });
    }
    const today = this.clock.today();
    for (const [field, date] of [['dateOfBirth', dto.dateOfBirth], ['source.introducedOn', dto.source.introducedOn]] as const) {
      if (date > today) throw new DomainError('date_in_future', { field, date, today }, [{ code: 'date_in_future', field, params: { field, date, today } }]);
    }
    const routing = await this.routingFor(cell);
    if (dto.readmission) {
      // T11 and the exclusions (§2.4), on today's date; the province standing board approves in the workflow.
      const violations = readmissionViolations(dto.readmission, today);
      if (violations.length) throw new DomainError(violations[0].code, violations[0].params ?? {}, violations);
      if (!routing.provinceId) throw new DomainError('readmission_needs_province', {});
    }
    if (dto.placeId) {
      const place = await this.places.place(dto.placeId);
      if (!place) throw new DomainError('place_not_found', { id: dto.placeId });
      // The place must lie on the cell's own line (the cell or a unit above it: the commune's hamlets) or in
      // the caller's subtree; a place of another ward is neither read nor written through a candidate.
      const onLine = cell.path.startsWith(place.orgUnitPath);
      if (!onLine && !isAdmin(user) && !user.roles.some((g) => place.orgUnitPath.startsWith(g.orgUnitPath))) {
        throw new DomainError('place_out_of_jurisdiction', { id: dto.placeId });
      }
    }
    // With an Idempotency-Key the case's id comes from it: a retry after an API process died mid-request
    // (IdempotencyService.RERUN_AFTER_SECONDS) reaches the same workflow instead of starting a second case.
    const id = idempotencyKey ? keyedUuid(`candidate:${user.id}:${idempotencyKey}`) : randomUUID();
    const workflowId = candidateWorkflowId(id);
    const calendar = await this.calendar.overrides();
    // The routing is fixed here and the case's row is written by the workflow's first projection: both happen
    // while no reorganisation of the tree is in its transaction (its lock, shared). A reorganisation that comes
    // first is seen (its dissolved cell refused, its new routing taken); one that comes later waits for the row
    // and lists the case among those it moves. Only the lock's connection is used meanwhile (no second one
    // from the pool), held for the start's round trip.
    return this.reorganisations.whileTreeSteady(async (m) => {
      const now = await this.reorganisations.get(dto.cellId, m);
      if (!now) throw new DomainError('org_unit_not_found', { id: dto.cellId });
      if (now.dissolvedAt) throw new DomainError('org_unit_dissolved', { id: now.id });
      if (now.path !== cell.path && !isAdmin(user) && !hasRoleOver(user, ['cell_secretary', 'grassroots_committee', 'superior_board'], now.path)) {
        throw new DomainError('out_of_jurisdiction', { role: 'cell_secretary' });
      }
      const steady = await routingOfCell(m, now);
      if (!steady) throw new DomainError('routing_incomplete', { cellId: now.id });
      if (dto.readmission && !steady.provinceId) throw new DomainError('readmission_needs_province', {});
      return this.start(id, workflowId, user, dto, steady, calendar, idempotencyKey);
    });
  }

  /** Starts the case's workflow on `routing` (see create: called under the tree's lock). */
  private async start(
    id: string,
    workflowId: string,
    user: AuthUser,
    dto: CreateCandidateDto,
    routing: Routing,
    calendar: Awaited<ReturnType<CalendarService['overrides']>>,
    idempotencyKey?: string,
  ): Promise<CandidateSummary> {
    const input: CandidateWorkflowInput = {
      candidateId: id,
      fullName: dto.fullName,
      facts: { dateOfBirth: dto.dateOfBirth, youthUnionMember: dto.youthUnionMember, education: dto.education, hardshipArea: dto.hardshipArea ?? false },
      routing,
      clock: this.clock.current(),
      source: dto.source,
      ...(dto.readmission ? { readmission: dto.readmission } : {}),
      createdBy: { userId: user.id, username: user.username, fullName: user.fullName },
      // Kept in the history for a rebuild of the read model from Temporal (npm run reconcile -- --rebuild).
      profile: {
        gender: dto.gender,
        ethnicity: dto.ethnicity,
        religion: dto.religion ?? null,
        occupation: dto.occupation ?? null,
        sector: dto.sector ?? null,
        professionalQualification: dto.professionalQualification ?? null,
        placeId: dto.placeId ?? null,
      },
    };
    if (calendar.length) input.calendar = calendar;
    // Reminder points are pinned per case when it starts.
    if (this.config.reminders?.default) input.reminders = this.config.reminders.default;
    if (this.config.reminders && Object.keys(this.config.reminders.byTaskType).length) input.remindersByTaskType = this.config.reminders.byTaskType;
    if (this.config.reminderSpreadSeconds) input.reminderSpreadSeconds = this.config.reminderSpreadSeconds;
    try {
      // Start and `sync` in one call (update-with-start): one RPC, and the first workflow task already
      // carries the update. Returns once the first task is in the read model, so the inbox shows it.
      const start = new WithStartWorkflowOperation(CANDIDATE_WORKFLOW_TYPE, {
        taskQueue: this.config.temporal.taskQueue,
        workflowId,
        args: [input],
        // A keyed retry joins the case its first attempt started (never a closed one: that is a 409).
        workflowIdConflictPolicy: idempotencyKey ? 'USE_EXISTING' : 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      // The read-model row is written by the workflow's first projection, in the same call: nothing is written
      // here, so a start that fails (Temporal or PostgreSQL down, the API killed) leaves no case without a workflow.
      return await this.temporal.workflow.executeUpdateWithStart(syncUpdate, { startWorkflowOperation: start });
    } catch (e) {
      this.log.error(`could not start ${workflowId}: ${(e as Error).message}`);
      throw toDomainError(e);
    }
  }

  /** A user may see a candidate when a grant covers the cell (or, for a training centre, its centre). */
  async visible(user: AuthUser, id: string): Promise<CandidateRecord & { access: CandidateAccess }> {
    const c = await this.candidates.get(id);
    if (!c) throw new DomainError('candidate_not_found');
    if (isAdmin(user)) return { ...c, access: 'full' };
    const cell = await this.units.get(c.cellId);
    if (cell && hasRoleOver(user, [...CASE_ROLES, 'auditor'], cell.path)) return { ...c, access: 'full' };
    const centre = await this.units.get((c.routing as unknown as Routing).trainingCentreId);
    if (centre && hasRoleOver(user, ['training_centre'], centre.path)) return { ...c, access: 'training_centre' };
    throw new DomainError('out_of_jurisdiction', { role: 'cell_secretary' });
  }

  /**
   * The dossier beyond name, date of birth and classes (history, verification, state, comments,
   * attachments, exports): whoever sees the candidate except a training centre, which gets 403.
   */
  async dossier(user: AuthUser, id: string): Promise<CandidateRecord> {
    const c = await this.visible(user, id);
    if (c.access !== 'full') throw new DomainError('training_centre_limited_view');
    return c;
  }

  /** Who may add to the dossier (comments, attachments): whoever reads it, except as an auditor (read-only). */
  async contributor(user: AuthUser, id: string): Promise<CandidateRecord> {
    const c = await this.dossier(user, id);
    if (isAdmin(user) || (await this.covers(user, c, CASE_ROLES))) return c;
    throw new DomainError('forbidden');
  }

  private async covers(user: AuthUser, c: CandidateRecord, cellRoles: readonly Role[]): Promise<boolean> {
    const cell = await this.units.get(c.cellId);
    return Boolean(cell && hasRoleOver(user, cellRoles, cell.path));
  }

  /**
   * The profile is personal data (date of birth, ethnicity, religion): every read is logged, as `readAs`.
   * A training centre gets its reduced view: name, date of birth, its own open steps and the classes.
   */
  async view(user: AuthUser, id: string, readAs = 'profile') {
    const c = await this.visible(user, id);
    const at = await dueContext(this.clock, this.calendar);
    const tasks = await this.candidates.tasksOf(id, 'open');
    if (c.access === 'training_centre') {
      await this.audit.logPiiRead(user.id, id, `${readAs}:training_centre`);
      return {
        id: c.id,
        fullName: c.fullName,
        dateOfBirth: c.dateOfBirth,
        view: 'training_centre' as const,
        openTasks: tasks.filter((t) => t.role === 'training_centre' && hasRoleOver(user, ['training_centre'], t.orgUnitPath)).map((t) => taskView(t, at)),
        classes: (await this.training.classesOf(id)).filter((k) => hasRoleOver(user, ['training_centre'], k.orgUnitPath)).map(({ orgUnitPath: _p, ...k }) => k),
      };
    }
    await this.audit.logPiiRead(user.id, id, readAs);
    const { searchName: _s, workflowId: _w, access: _a, ...rest } = c;
    return { ...rest, view: 'full' as const, openTasks: tasks.map((t) => taskView(t, at)) };
  }

  /** The full profile, for exports (never the training centre's reduced view). */
  async fullView(user: AuthUser, id: string, readAs: string) {
    await this.dossier(user, id);
    const v = await this.view(user, id, readAs);
    if (v.view !== 'full') throw new DomainError('training_centre_limited_view');
    return v;
  }

  async history(user: AuthUser, id: string) {
    await this.dossier(user, id);
    // The history holds the verification (relatives checked): every read is logged.
    await this.audit.logPiiRead(user.id, id, 'history');
    return { events: await this.candidates.history(id) };
  }

  /** The stage, open tasks and clocks the candidate had at the end of `asOf`, folded from the history. */
  async stateAsOf(user: AuthUser, id: string, asOf: string) {
    await this.dossier(user, id);
    // Folded from the history (stage, open steps, probation): as personal as the history itself.
    await this.audit.logPiiRead(user.id, id, `state:${asOf}`);
    return stateAsOf(await this.candidates.history(id), asOf);
  }

  /**
   * Chuyển sinh hoạt: the candidate moves to another cell. Whoever does it must hold the grassroots or
   * superior committee's role over both cells (or be an administrator); the workflow moves the open steps.
   */
  async transfer(user: AuthUser, id: string, dto: TransferDto, idempotencyKey?: string): Promise<CandidateSummary> {
    const c = await this.visible(user, id);
    const [from, to] = await Promise.all([this.units.get(c.cellId), this.units.get(dto.toCellId)]);
    if (!to) throw new DomainError('org_unit_not_found', { id: dto.toCellId });
    const roles = ['grassroots_committee', 'superior_board'] as const;
    const grant = isAdmin(user) ? user.roles.find((r) => r.role === 'admin') : from && hasRoleOver(user, [...roles], from.path);
    if (!grant || (!isAdmin(user) && !hasRoleOver(user, [...roles], to.path))) throw new DomainError('transfer_out_of_jurisdiction');
    if (c.status !== 'active') throw new DomainError('candidate_ended', { stage: c.stage });
    const routing = await this.routingFor(to);
    try {
      const updateId = requestIdFor(user, idempotencyKey);
      return await this.temporal.workflow.getHandle(c.workflowId).executeUpdate(transferUpdate, {
        updateId,
        args: [{ ...requestEnvelope(c.workflowId, updateId), routing, reason: dto.reason, effectiveOn: dto.effectiveOn, actor: { userId: user.id, username: user.username, fullName: user.fullName, role: grant.role, orgUnitId: grant.orgUnitId ?? undefined } }],
      });
    } catch (e) {
      throw toDomainError(e);
    }
  }

  /**
   * The candidate's facts changed over the path (issue 16): by whoever may create a candidate over the cell (the
   * cell secretary, the grassroots or superior committee, an administrator). The workflow records the change
   * (who, when, from → to) and checks every later decision against the facts in force; the row follows.
   */
  async updateFacts(user: AuthUser, id: string, dto: FactsDto, idempotencyKey?: string): Promise<CandidateSummary> {
    const c = await this.visible(user, id);
    const cell = await this.units.get(c.cellId);
    const grant = isAdmin(user) ? user.roles.find((r) => r.role === 'admin') : cell && hasRoleOver(user, [...CASE_ROLES], cell.path);
    if (!grant || !cell) throw new DomainError('out_of_jurisdiction', { role: 'cell_secretary' });
    if (c.status !== 'active' && !idempotencyKey) throw new DomainError('candidate_ended', { stage: c.stage });
    if (dto.placeId) await this.checkPlace(user, cell, dto.placeId);
    const today = this.clock.today();
    if (dto.effectiveOn && dto.effectiveOn > today) {
      throw new DomainError('date_in_future', { field: 'effectiveOn', date: dto.effectiveOn, today }, [{ code: 'date_in_future', field: 'effectiveOn', params: { field: 'effectiveOn', date: dto.effectiveOn, today } }]);
    }
    const { reason, effectiveOn, ...changes } = dto;
    try {
      const updateId = requestIdFor(user, idempotencyKey);
      return await this.temporal.workflow.getHandle(c.workflowId).executeUpdate(updateFactsUpdate, {
        updateId,
        args: [{ ...requestEnvelope(c.workflowId, updateId), changes, reason, effectiveOn, actor: { userId: user.id, username: user.username, fullName: user.fullName, role: grant.role, orgUnitId: grant.orgUnitId ?? undefined } }],
      });
    } catch (e) {
      throw toDomainError(e);
    }
  }

  /** A place on the cell's own line (the cell or a unit above it) or in the caller's subtree. */
  private async checkPlace(user: AuthUser, cell: OrgUnit, placeId: string): Promise<void> {
    const place = await this.places.place(placeId);
    if (!place) throw new DomainError('place_not_found', { id: placeId });
    const onLine = cell.path.startsWith(place.orgUnitPath);
    if (!onLine && !isAdmin(user) && !user.roles.some((g) => place.orgUnitPath.startsWith(g.orgUnitPath))) {
      throw new DomainError('place_out_of_jurisdiction', { id: placeId });
    }
  }

  async withdraw(user: AuthUser, id: string, reason: string, idempotencyKey?: string): Promise<CandidateSummary> {
    const c = await this.visible(user, id);
    const cell = await this.units.get(c.cellId);
    const grant = cell && hasRoleOver(user, ['cell_secretary', 'grassroots_committee', 'superior_board'], cell.path);
    if (!grant) throw new DomainError('out_of_jurisdiction', { role: 'cell_secretary' });
    // With a key, an ended case still goes to Temporal: the same key is the same update id, so the retry of a
    // withdrawal already applied (its answer lost with a dead API process) gets the first outcome back.
    if (c.status !== 'active' && !idempotencyKey) throw new DomainError('candidate_ended', { stage: c.stage });
    try {
      const updateId = requestIdFor(user, idempotencyKey);
      return await this.temporal.workflow
        .getHandle(c.workflowId)
        .executeUpdate(withdrawUpdate, { updateId, args: [{ ...requestEnvelope(c.workflowId, updateId), reason, actor: { userId: user.id, username: user.username, fullName: user.fullName, role: grant.role, orgUnitId: grant.orgUnitId ?? undefined } }] });
    } catch (e) {
      throw toDomainError(e);
    }
  }
}
