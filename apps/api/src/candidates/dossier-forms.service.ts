import { Inject, Injectable } from '@nestjs/common';
import {
  formCodeOf,
  FORMS,
  generatedFormSource,
  GENERATED_FORMS,
  lastDecisions,
  type DossierForm,
  type GeneratedFormCode,
} from '../../../../libs/domain/src/dossier-forms.js';
import { STEPS, type Routing, type TaskType } from '../../../../libs/domain/src/procedure.js';
import { AuditRepository } from '../../../../libs/persistence/src/repositories/audit.repository.js';
import { CandidateRepository, type HistoryEvent } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { CandidatesService } from './candidates.service.js';
import { DossierFormsReader } from './dossier-forms.reader.js';
import { FormSourceMissing, renderForm } from './form-documents.js';

/**
 * The routing in force when the event `uptoSeq` was recorded (after the transfers before it), from the history:
 * a resolution names the cell that voted it, even after the candidate moved.
 */
function routingAt(events: HistoryEvent[], fallback: Routing, uptoSeq: number): Routing {
  let r = fallback;
  for (const e of events) {
    if (e.seq > uptoSeq) break;
    const d = e.data as Record<string, any>;
    if (e.type === 'candidate_created' && d.routing) r = d.routing;
    if (e.type === 'candidate_transferred' && d.to) r = d.to;
  }
  return r;
}

/**
 * The dossier as the form catalogue (§3.1), and the organisation's forms printed from the recorded decisions.
 * Read as the dossier is (CandidatesService.dossier: not a training centre); every read is a personal-data read.
 */
@Injectable()
export class DossierFormsService {
  constructor(
    @Inject(CandidatesService) private readonly candidates: CandidatesService,
    @Inject(CandidateRepository) private readonly repo: CandidateRepository,
    @Inject(DossierFormsReader) private readonly reader: DossierFormsReader,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
  ) {}

  async catalogue(user: AuthUser, id: string) {
    const c = await this.candidates.dossier(user, id);
    await this.audit.logPiiRead(user.id, id, 'dossier-forms');
    const forms: DossierForm[] = await this.reader.formsOf(c);
    return {
      candidateId: id,
      forms: forms.map((f) => ({ ...f, ...(f.generated ? { download: `/api/candidates/${id}/forms/${encodeURIComponent(f.code)}.pdf` } : {}) })),
      summary: {
        present: forms.filter((f) => f.status === 'present').length,
        missing: forms.filter((f) => f.status === 'missing').length,
        notApplicable: forms.filter((f) => f.status === 'not_applicable').length,
      },
    };
  }

  /** One organisation form as a printable PDF; 404 for a form the organisation does not issue or not yet decided. */
  async pdf(user: AuthUser, id: string, rawCode: string): Promise<{ code: GeneratedFormCode; pdf: Buffer }> {
    const c = await this.candidates.dossier(user, id);
    const code = formCodeOf(rawCode);
    if (!code || !(GENERATED_FORMS as readonly string[]).includes(code)) throw new DomainError('form_not_generated', { code: code ?? rawCode.slice(0, 20) });
    const events = await this.repo.history(id);
    const decisions = lastDecisions(events);
    const notRecorded = (step: TaskType) => new DomainError('form_decision_not_recorded', { code, stepVi: STEPS[step].vi, stepEn: STEPS[step].en });
    const source = generatedFormSource(code, decisions);
    if (!source) throw notRecorded(code === '20-KNĐ' ? 'submit_application' : FORMS[code].step);
    const routing = routingAt(events, c.routing as unknown as Routing, source.seq ?? Number.MAX_SAFE_INTEGER);
    const [cell, grassroots, superior, partial] = await Promise.all([
      this.units.get(routing.cellId),
      this.units.get(routing.grassrootsId),
      this.units.get(routing.superiorId),
      routing.partialCommitteeId ? this.units.get(routing.partialCommitteeId) : undefined,
    ]);
    const started = events.filter((e) => e.type === 'probation_started').at(-1)?.data as { startsOn: string; endsOn: string } | undefined;
    try {
      const pdf = await renderForm(code as GeneratedFormCode, {
        candidate: { fullName: c.fullName, dateOfBirth: c.dateOfBirth, gender: c.gender, ethnicity: c.ethnicity, religion: c.religion },
        units: { cell: cell?.name ?? '…', grassroots: grassroots?.name ?? '…', superior: superior?.name ?? '…', grassrootsIsCell: routing.grassrootsIsCell, ...(partial ? { partial: partial.name } : {}) },
        decisions,
        probation: started,
        // Decided by a grassroots committee authorised to admit: its task was opened on that route.
        authorised: new Set(events.filter((e) => e.type === 'task_opened' && e.data?.route === 'authorised_grassroots').map((e) => e.data.taskType as TaskType)),
      });
      // Logged once the form is printed (a refusal writes nothing).
      await this.audit.logPiiRead(user.id, id, `form:${code}`);
      return { code: code as GeneratedFormCode, pdf };
    } catch (e) {
      if (e instanceof FormSourceMissing) throw notRecorded(e.step);
      throw e;
    }
  }
}
