import { Inject, Injectable, Logger } from '@nestjs/common';
import { addDays } from '../../../../libs/domain/src/dates.js';
import { certificateExpiresOn } from '../../../../libs/domain/src/decisions.js';
import { type Lang, type MessageCode } from '../../../../libs/domain/src/messages.js';
import { STEPS, type TaskType } from '../../../../libs/domain/src/procedure.js';
import { certificateNumber } from '../../../../libs/domain/src/reports.js';
import { ruleSetFor } from '../../../../libs/domain/src/rule-sets.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { AuditRepository } from '../../../../libs/persistence/src/repositories/audit.repository.js';
import { TrainingRepository, type ClassKind, type ClassScope, type Enrolment, type TrainingClass } from '../../../../libs/persistence/src/repositories/training.repository.js';
import { hasRoleOver, isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { ClockService } from '../clock/clock.service.js';
import { DomainError } from '../common/domain-error.js';
import { jobView, JobsService } from '../jobs/jobs.service.js';
import { readsUnit } from '../reports/reports.service.js';
import type { CertifyDto, CreateClassDto } from './training.schemas.js';

/** The workflow step a class's result completes. */
export const STEP_OF_CLASS: Record<ClassKind, TaskType> = {
  party_awareness: 'record_training_certificate',
  new_member: 'record_new_member_training',
};

@Injectable()
export class TrainingService {
  private readonly log = new Logger('training');

  constructor(
    @Inject(TrainingRepository) private readonly classes: TrainingRepository,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(ClockService) private readonly clock: ClockService,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(JobsService) private readonly jobs: JobsService,
  ) {}

  /** The centre's staff (or the superior board where there is no centre) run the class. */
  private runner(user: AuthUser, cls: { orgUnitPath: string }) {
    if (isAdmin(user)) return;
    if (!hasRoleOver(user, ['training_centre'], cls.orgUnitPath)) throw new DomainError('out_of_jurisdiction', { role: 'training_centre' });
  }

  /**
   * Who sees a class: the centre that runs it (and auditors over its unit), and the units whose candidates
   * are in it or wait on its step at its centre — nobody else, wherever the class's unit sits. A class
   * someone may not see does not exist for them (404), like a certificate.
   */
  private scope(user: AuthUser): ClassScope | null {
    if (isAdmin(user)) return null;
    return {
      runnerPaths: user.roles.filter((g) => g.role === 'training_centre' || g.role === 'auditor').map((g) => g.orgUnitPath),
      memberPaths: user.roles.filter((g) => g.role !== 'training_centre').map((g) => g.orgUnitPath),
    };
  }

  private async load(user: AuthUser, id: string): Promise<TrainingClass> {
    const [cls] = await this.classes.visible(this.scope(user), { classId: id });
    if (!cls) throw new DomainError('training_class_not_found');
    return cls;
  }

  /** The centre running the class (and an administrator) sees every enrolment; others those of their own cells. */
  private enrolmentsFor(user: AuthUser, cls: TrainingClass): Promise<Enrolment[]> {
    const all = isAdmin(user) || hasRoleOver(user, ['training_centre'], cls.orgUnitPath);
    return this.classes.enrolments(cls.id, all ? null : this.scope(user)!.memberPaths);
  }

  private view(cls: TrainingClass) {
    const { orgUnitPath: _p, ...rest } = cls;
    return { ...rest, step: STEP_OF_CLASS[cls.kind] };
  }

  async create(user: AuthUser, dto: CreateClassDto) {
    const unit = await this.units.get(dto.orgUnitId);
    if (!unit) throw new DomainError('org_unit_not_found', { id: dto.orgUnitId });
    if (unit.kind !== 'training_centre' && unit.kind !== 'superior' && unit.kind !== 'province') throw new DomainError('forbidden');
    this.runner(user, { orgUnitPath: unit.path });
    const id = await this.classes.create({ ...dto, createdBy: user.id });
    return this.view((await this.classes.get(id))!);
  }

  async list(user: AuthUser, kind?: ClassKind) {
    return { items: (await this.classes.visible(this.scope(user), { kind })).map((c) => this.view(c)) };
  }

  /** The class with the enrolments the caller may see; each listed candidate's name is a logged personal-data read. */
  async get(user: AuthUser, id: string) {
    const cls = await this.load(user, id);
    const enrolments = await this.enrolmentsFor(user, cls);
    await this.audit.logPiiReads(user.id, enrolments.map((e) => e.candidateId), `training-class:${id}`);
    return { ...this.view(cls), enrolments };
  }

  /** The candidates the caller may propose for the class (grassroots committee or superior board over their cells). */
  async eligible(user: AuthUser, id: string) {
    const cls = await this.load(user, id);
    const paths = isAdmin(user) ? null : user.roles.filter((g) => g.role === 'grassroots_committee' || g.role === 'superior_board').map((g) => g.orgUnitPath);
    if (paths && paths.length === 0) return { items: [] };
    return { items: await this.classes.eligible(id, STEP_OF_CLASS[cls.kind], cls.kind, cls.orgUnitPath, paths) };
  }

  /**
   * A grassroots committee proposes candidates of its subtree whose case waits on the class's training step
   * at this centre; the class must have room for all of them.
   */
  async propose(user: AuthUser, id: string, candidateIds: string[]) {
    const cls = await this.load(user, id);
    const step = STEP_OF_CLASS[cls.kind];
    const stepName = STEPS[step].vi;
    const rows = await this.classes.trainingCandidates(candidateIds, step, cls.kind, id);
    const byId = new Map(rows.map((r) => [r.candidateId, r]));
    const violations: { code: MessageCode; field: string; params: Record<string, string> }[] = [];
    for (const [i, candidateId] of candidateIds.entries()) {
      const c = byId.get(candidateId);
      const field = `candidateIds.${i}`;
      if (!c) throw new DomainError('candidate_not_found');
      if (!isAdmin(user) && !hasRoleOver(user, ['grassroots_committee', 'superior_board'], c.cellPath)) {
        throw new DomainError('out_of_jurisdiction', { role: 'grassroots_committee' });
      }
      if (!c.taskId || c.status !== 'active') violations.push({ code: 'training_candidate_not_at_step', field, params: { fullName: c.fullName, step: stepName } });
      else if (!c.taskUnitPath!.startsWith(cls.orgUnitPath)) violations.push({ code: 'training_candidate_other_centre', field, params: { fullName: c.fullName } });
      else if (c.otherClassId) violations.push({ code: 'training_candidate_in_other_class', field, params: { fullName: c.fullName } });
    }
    if (violations.length) throw new DomainError(violations[0].code, violations[0].params, violations);
    const r = await this.classes.propose(id, candidateIds, user.id);
    if (!r.ok) throw new DomainError('training_class_full', { name: cls.name, capacity: r.capacity, taken: r.taken, requested: r.added });
    return this.get(user, id);
  }

  async setEnrolment(user: AuthUser, id: string, candidateIds: string[], status: 'enrolled' | 'declined') {
    const cls = await this.load(user, id);
    this.runner(user, cls);
    const changed = await this.classes.setStatus(id, candidateIds, status);
    return { changed, ...(await this.get(user, id)) };
  }

  async attendance(user: AuthUser, id: string, records: { candidateId: string; attendance: string; result?: string }[]) {
    const cls = await this.load(user, id);
    this.runner(user, cls);
    const changed = await this.classes.recordAttendance(id, records);
    return { changed, ...(await this.get(user, id)) };
  }

  /**
   * Issues the class's certificates in one action (one transaction: numbers are never issued twice), then
   * starts a job (workflows/jobs) that hands each result to the candidate's workflow by completing its open
   * training task — a Temporal update whose ID is fixed per class and candidate, so nothing is applied twice
   * however often a chunk is retried. The job runs in the worker and survives the API process; the answer
   * names it (GET /api/jobs/:id: progress, then each participant's line). Failures are reported per candidate
   * and retried by the next certify. A retry with the same Idempotency-Key gets the same job.
   */
  async certify(user: AuthUser, id: string, dto: CertifyDto, lang: Lang, idempotencyKey?: string) {
    const cls = await this.load(user, id);
    this.runner(user, cls);
    const again = await this.jobs.existing(user, 'class_certify', idempotencyKey);
    if (again) return jobView(again);
    const today = this.clock.today();
    if (dto.issuedOn > today) throw new DomainError('date_in_future', { field: 'issuedOn', date: dto.issuedOn, today });
    if (dto.issuedOn < cls.endsOn) throw new DomainError('training_issued_before_end', { issuedOn: dto.issuedOn, endsOn: cls.endsOn });
    let enrolments = await this.classes.enrolments(id);
    const results =
      dto.results ??
      enrolments.filter((e) => e.status === 'enrolled' && e.result && !e.issuedOn).map((e) => ({ candidateId: e.candidateId, result: e.result! }));
    if (!results.length && !enrolments.some((e) => e.issuedOn && !e.appliedAt)) throw new DomainError('training_no_results');
    if (results.length) {
      const validUntil = cls.kind === 'party_awareness' ? addDays(certificateExpiresOn(dto.issuedOn, ruleSetFor(dto.issuedOn)), -1) : null;
      const out = await this.classes.recordResults({ classId: id, kind: cls.kind, centreId: cls.orgUnitId, issuedOn: dto.issuedOn, validUntil, results, number: certificateNumber });
      if (!out.ok) {
        if (out.notEnrolled.length) throw new DomainError('training_not_enrolled', { count: out.notEnrolled.length, candidateId: out.notEnrolled[0] });
        const c = out.conflicts[0];
        throw new DomainError('training_result_conflict', { count: out.conflicts.length, candidateId: c.candidateId, recorded: c.recorded });
      }
      enrolments = await this.classes.enrolments(id);
    }
    const certified = enrolments.filter((e) => e.issuedOn);
    const job = await this.jobs.start(
      user,
      {
        kind: 'class_certify',
        orgUnitId: cls.orgUnitId,
        input: {
          subject: { classId: id, className: cls.name, issuedOn: dto.issuedOn },
          step: STEP_OF_CLASS[cls.kind],
          lang,
          actor: { userId: user.id, username: user.username, fullName: user.fullName },
          grants: user.roles.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId, orgUnitPath: g.orgUnitPath })),
        },
        items: { ids: certified.map((e) => e.candidateId) },
      },
      idempotencyKey,
    );
    this.log.log(`certify ${id} by ${user.username}: job ${job.id} applies ${job.total} result(s)`);
    return jobView(job);
  }

  /** Looks a certificate up by number, within the caller's jurisdiction (the centre, or the holder's units). */
  async certificate(user: AuthUser, number: string, centreId?: string) {
    const all = (await this.classes.certificates(number)).filter(
      (c) => (!centreId || c.orgUnitId === centreId) && (readsUnit(user, c.orgUnitPath) || readsUnit(user, c.cellPath)),
    );
    if (!all.length) throw new DomainError('certificate_not_found', { number });
    if (all.length > 1) throw new DomainError('certificate_number_ambiguous', { number, count: all.length });
    const { orgUnitPath: _p, cellPath: _c, ...c } = all[0];
    // Holder's name and date of birth: a logged personal-data read.
    await this.audit.logPiiRead(user.id, c.candidateId, `certificate:${c.number}`);
    const today = this.clock.today();
    return { ...c, validOn: today, valid: c.validUntil === null || today <= c.validUntil };
  }
}
