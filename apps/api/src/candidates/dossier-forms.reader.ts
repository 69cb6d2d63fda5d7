import { Inject, Injectable } from '@nestjs/common';
import { dossierForms, FORMS, FORMS_REQUIRED_BY, missingFormsFor, type DossierForm, type FormCode } from '../../../../libs/domain/src/dossier-forms.js';
import type { TaskType } from '../../../../libs/domain/src/procedure.js';
import { CandidateFileRepository } from '../../../../libs/persistence/src/repositories/candidate-file.repository.js';
import { CandidateRepository } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';

/** What a step's decision is checked against: the forms it considers that the dossier lacks, and the policy. */
export interface StepDossierCheck {
  policy: 'warn' | 'require';
  /** The unit whose setting is in force (null: the default, `warn`). */
  policySetOn: string | null;
  required: FormCode[];
  missing: { code: FormCode; title: { vi: string; en: string } }[];
}

/**
 * The catalogue status of a case from its history and scans (no jurisdiction check, no read log: callers do
 * that), and the dossier check of a step. Shared by the dossier routes and the decision path.
 */
@Injectable()
export class DossierFormsReader {
  constructor(
    @Inject(CandidateRepository) private readonly repo: CandidateRepository,
    @Inject(CandidateFileRepository) private readonly files: CandidateFileRepository,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
  ) {}

  async formsOf(candidate: { id: string; youthUnionMember: boolean }): Promise<DossierForm[]> {
    const [events, attachments] = await Promise.all([this.repo.history(candidate.id), this.files.attachments(candidate.id)]);
    return dossierForms({ events, attachments, youthUnionMember: candidate.youthUnionMember });
  }

  /** Undefined for a step that considers no forms of the catalogue. */
  async checkStep(task: { candidateId: string; type: string; orgUnitPath: string }): Promise<StepDossierCheck | undefined> {
    const required = FORMS_REQUIRED_BY[task.type as TaskType];
    if (!required) return undefined;
    const candidate = await this.repo.get(task.candidateId);
    if (!candidate) return undefined;
    const [forms, { policy, setOn }] = await Promise.all([this.formsOf(candidate), this.units.dossierFormsPolicy(task.orgUnitPath)]);
    const missing = missingFormsFor(task.type as TaskType, forms).map((code) => ({ code, title: { vi: FORMS[code].vi, en: FORMS[code].en } }));
    return { policy, policySetOn: setOn, required: [...required], missing };
  }
}
