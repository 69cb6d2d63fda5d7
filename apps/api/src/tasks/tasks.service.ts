import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { STEPS, type Role, type TaskType } from '../../../../libs/domain/src/procedure.js';
import { foldVietnamese } from '../../../../libs/domain/src/text.js';
import { CandidateRepository, type TaskRecord } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import { candidateWorkflowId, completeTaskUpdate, extendDeadlineUpdate, requestEnvelope, type CandidateSummary } from '../../../../workflows/candidate/candidate.messages.js';
import { addWorkingDays, type HolidayCalendar } from '../../../../libs/domain/src/calendar/index.js';
import { vnDateOf, type IsoDate } from '../../../../libs/domain/src/dates.js';
import { dueMarkers } from '../../../../libs/domain/src/due-state.js';
import { ClockService } from '../clock/clock.service.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { hasRoleOver, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { toDomainError } from '../common/workflow-errors.js';
import { requestIdFor } from '../common/request-id.js';
import type { CompleteTaskDto, ExtendDto, InboxQueryDto } from './tasks.schemas.js';
import { DossierFormsReader } from '../candidates/dossier-forms.reader.js';
import { tradeUnionRouteRefusal } from '../../../../libs/domain/src/introduction-policy.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';

/** What a task view is computed against: business now and today, and the working-day calendar in force. */
export interface DueContext {
  nowMs: number;
  today: IsoDate;
  calendar: HolidayCalendar;
}

/** Business now and today, and the calendar in force: fetched once per request, never per task. */
export async function dueContext(clock: ClockService, calendar: CalendarService): Promise<DueContext> {
  const nowMs = clock.nowMs();
  return { nowMs, today: vnDateOf(nowMs), calendar: await calendar.effective() };
}

export function taskView(t: TaskRecord, at: DueContext) {
  const { orgUnitPath: _p, ...rest } = t;
  const step = STEPS[t.type as TaskType];
  return {
    ...rest,
    stepName: { vi: step?.vi, en: step?.en },
    overdue: t.dueAt ? new Date(t.dueAt).getTime() < at.nowMs : false,
    ...dueMarkers(t, at.today, at.nowMs, at.calendar),
  };
}

@Injectable()
export class TasksService {
  constructor(
    @Inject(Client) private readonly temporal: Client,
    @Inject(CandidateRepository) private readonly candidates: CandidateRepository,
    @Inject(ClockService) private readonly clock: ClockService,
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(DossierFormsReader) private readonly dossierForms: DossierFormsReader,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
  ) {}

  dueContext(): Promise<DueContext> {
    return dueContext(this.clock, this.calendar);
  }

  async inbox(user: AuthUser, q: InboxQueryDto) {
    const grants = user.roles.filter((g) => g.role !== 'admin' && g.role !== 'auditor').map((g) => ({ role: g.role, path: g.orgUnitPath }));
    if (grants.length === 0) return { items: [], total: 0, limit: q.limit, offset: q.offset };
    const at = await this.dueContext();
    const { items, total } = await this.candidates.inbox({
      grants,
      type: q.type,
      orgUnitId: q.orgUnitId,
      due: q.due,
      search: q.search ? foldVietnamese(q.search) : undefined,
      dueBy: q.dueWithin !== undefined ? addWorkingDays(at.today, q.dueWithin, at.calendar) : undefined,
      sort: q.sort,
      nowIso: new Date(at.nowMs).toISOString(),
      limit: q.limit,
      offset: q.offset,
    });
    return { items: items.map((t) => taskView(t, at)), total, limit: q.limit, offset: q.offset };
  }

  /** Who may act on a task: the task's role over the task's org unit (a grant covers its subtree). */
  private authorise(user: AuthUser, task: TaskRecord) {
    const grant = hasRoleOver(user, [task.role as Role], task.orgUnitPath);
    if (!grant) throw new DomainError('out_of_jurisdiction', { role: task.role });
    return grant;
  }

  async get(user: AuthUser, id: string) {
    const task = await this.candidates.task(id);
    if (!task) throw new DomainError('task_not_found');
    this.authorise(user, task);
    // A step that considers forms of the dossier says which are missing and whether the unit requires them.
    const dossier = task.status === 'open' ? await this.dossierForms.checkStep(task) : undefined;
    // The introductions say whether the trade union's resolution may replace an introducer here (§2.3).
    const tradeUnionRoute = task.status === 'open' && task.type === 'record_introductions' ? await this.units.tradeUnionRoute(task.orgUnitPath) : undefined;
    return { ...taskView(task, await this.dueContext()), ...(dossier ? { dossier } : {}), ...(tradeUnionRoute ? { tradeUnionRoute } : {}) };
  }

  /** The superior's authorised extension of a statutory clock: once, with a reason, recorded. */
  async extend(user: AuthUser, id: string, dto: ExtendDto): Promise<CandidateSummary> {
    const task = await this.candidates.task(id);
    if (!task) throw new DomainError('task_not_found');
    // The superior standing board over the candidate's units (its grant covers the task's unit); for the
    // ceremony (T4), the cell's direct superior committee — the grassroots committee for an ordinary cell — whose
    // agreement a late ceremony needs. The workflow checks the role against the candidate's routing.
    const roles: Role[] = task.type === 'admission_ceremony' ? ['grassroots_committee', 'superior_board'] : ['superior_board'];
    const grant = roles.map((r) => hasRoleOver(user, [r], task.orgUnitPath)).find((g) => g !== undefined);
    if (!grant) throw new DomainError('out_of_jurisdiction', { role: roles.join(', ') });
    if (task.status !== 'open') throw new DomainError('task_not_open');
    try {
      const workflowId = candidateWorkflowId(task.candidateId);
      return await this.temporal.workflow.getHandle(workflowId).executeUpdate(extendDeadlineUpdate, {
        args: [{ ...requestEnvelope(workflowId, randomUUID()), taskId: id, workingDays: dto.workingDays, reason: dto.reason, actor: { userId: user.id, username: user.username, fullName: user.fullName, role: grant.role, orgUnitId: grant.orgUnitId ?? undefined } }],
      });
    } catch (e) {
      throw toDomainError(e);
    }
  }

  async complete(user: AuthUser, id: string, dto: CompleteTaskDto, idempotencyKey?: string): Promise<CandidateSummary> {
    const task = await this.candidates.task(id);
    if (!task) throw new DomainError('task_not_found');
    const grant = this.authorise(user, task);
    // With a key, a closed task still goes to Temporal: the same key is the same update id, so a retry of a
    // decision already applied (its first answer lost with a dead API process) gets the first outcome back, and
    // any other request is refused there as here (task_not_open).
    if (task.status !== 'open' && !idempotencyKey) throw new DomainError('task_not_open');
    // Where the unit requires its documents, a decision on a step whose forms are missing is refused before it
    // is sent (a retry of a decision already applied, on a closed task, is not checked again).
    if (task.status === 'open') {
      const dossier = await this.dossierForms.checkStep(task);
      if (dossier?.policy === 'require' && dossier.missing.length) {
        const params = { forms: dossier.missing.map((f) => f.code).join(', ') };
        throw new DomainError('dossier_forms_missing', params, [{ code: 'dossier_forms_missing', field: 'dossier', params }]);
      }
      // The trade union's resolution replaces an introducer only where the organisation allows it (§2.3).
      if (task.type === 'record_introductions') {
        const refusal = tradeUnionRouteRefusal(dto.data, (await this.units.tradeUnionRoute(task.orgUnitPath)).allowed);
        if (refusal) throw new DomainError(refusal.code, refusal.params, [refusal]);
      }
    }
    // The same key always maps to the same update id, so Temporal itself refuses to apply it twice.
    const updateId = requestIdFor(user, idempotencyKey);
    try {
      const workflowId = candidateWorkflowId(task.candidateId);
      return await this.temporal.workflow.getHandle(workflowId).executeUpdate(completeTaskUpdate, {
        updateId,
        args: [
          {
            ...requestEnvelope(workflowId, updateId),
            taskId: id,
            outcome: dto.outcome,
            data: dto.data,
            note: dto.note,
            actor: { userId: user.id, username: user.username, fullName: user.fullName, role: grant.role, orgUnitId: grant.orgUnitId ?? undefined },
          },
        ],
      });
    } catch (e) {
      throw toDomainError(e);
    }
  }
}
