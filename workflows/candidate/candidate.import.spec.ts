import { checkImportRow, IMPORT_COLUMNS, parseImportFile, type ImportedStep } from '../../libs/domain/src/candidate-import.js';
import { addWorkingDays, DEFAULT_CALENDAR } from '../../libs/domain/src/calendar/index.js';
import type { Routing, Stage } from '../../libs/domain/src/procedure.js';
import { CandidateCase } from './candidate.case.js';
import { dryRunImport } from './candidate.import.js';
import type { Actor, CandidateWorkflowInput } from './candidate.messages.js';

const T0 = Date.UTC(2030, 5, 1, 3, 0, 0);
const B0 = Date.UTC(2026, 11, 3, 2, 0, 0); // business now: 2026-12-03 09:00 in Vietnam
const TODAY = '2026-12-03';
const ROUTING: Routing = { cellId: 'cell-1', grassrootsId: 'gr-1', grassrootsIsCell: false, superiorId: 'sup-1', trainingCentreId: 'tc-1' };
const IMPORTER: Actor = { userId: 'u-9', username: 'nhaplieu', fullName: 'Đỗ Thị Nhập' };

const ROW: Record<string, string> = {
  fullName: 'Nguyễn Văn An', dateOfBirth: '1999-04-12', gender: 'nam', ethnicity: 'Kinh', education: 'university', youthUnionMember: 'có',
  cell: 'Chi bộ 1', sourceOrganization: 'Đoàn trường', introducedOn: '2025-01-06',
  sympathiserMeetingDate: '2025-01-06', mentorName: 'Trần Thị Bình', certificateNo: '12/CN-2025', certificateIssuedOn: '2025-01-20',
  applicationDate: '2025-02-03', cvSubmittedOn: '2025-02-03', backgroundConcludedOn: '2025-03-03', relativesChecked: 'father:clear',
  introducer1Name: 'Lê Văn Cường', introducer1MonthsTogether: '24', introducer2Name: 'Phạm Thị Dung', introducer2MonthsTogether: '14', youthUnionAtGrassroots: 'không',
  opinionsMassOrganizations: 'Nhất trí', opinionsResidence: 'Nhất trí', dossierCompiledOn: '2025-03-17',
  cellMeetingDate: '2025-04-07', cellOfficialMembers: '9', cellInFavour: '7',
  grassrootsResolutionDate: '2025-04-21', grassrootsCommitteeMembers: '7', grassrootsInFavour: '6',
  admissionDecisionNo: '123-QĐ/ĐU', admissionDecisionDate: '2025-05-12', superiorBoardMembers: '9', superiorInFavour: '7',
};

/** The workflow input the import job builds from a row (libs/domain/src/candidate-import.ts). */
function inputOf(row: Record<string, string>, over: { steps?: ImportedStep[]; stage?: Stage } = {}): CandidateWorkflowInput {
  const keys = IMPORT_COLUMNS.map((c) => c.key);
  const file = parseImportFile([keys.join(','), keys.map((k) => row[k] ?? '').join(',')].join('\n'));
  const r = checkImportRow(file.rows[0], TODAY);
  expect(r.errors).toEqual([]);
  return {
    candidateId: 'cand-1',
    fullName: r.fullName,
    facts: { dateOfBirth: r.dateOfBirth!, youthUnionMember: r.profile!.youthUnionMember, education: r.profile!.education, hardshipArea: false },
    routing: ROUTING,
    clock: { anchorRealMs: T0, anchorBusinessMs: B0, speed: 1 },
    source: r.source!,
    createdBy: IMPORTER,
    imported: { source: { fileName: 'dang-bo.csv', sha256: 'ab'.repeat(32), row: 2 }, importedBy: IMPORTER, stage: over.stage ?? r.stage!, steps: over.steps ?? r.steps },
  };
}

describe('an imported case (CandidateCase with input.imported)', () => {
  it('starts at its current stage with each past step recorded as an imported decision by the importer', () => {
    const c = new CandidateCase(inputOf(ROW), () => T0);
    c.remindersEnabled = true;
    c.start();
    expect(c.stage).toBe('ceremony');
    const imported = c.events.find((e) => e.type === 'case_imported')!;
    expect(imported.actor).toEqual(IMPORTER);
    expect(imported.data).toMatchObject({ source: { fileName: 'dang-bo.csv', sha256: 'ab'.repeat(32), row: 2 }, stage: 'ceremony' });
    const decisions = c.events.filter((e) => e.type === 'decision_recorded');
    expect(decisions).toHaveLength(8);
    for (const d of decisions) {
      expect(d.actor).toEqual(IMPORTER);
      expect(d.data.imported).toEqual({ fileName: 'dang-bo.csv', sha256: 'ab'.repeat(32), row: 2 });
    }
    // Business dates are the real past ones; the rule set is the one in force on each.
    expect(decisions.map((d) => d.businessDate)).toEqual(['2025-01-06', '2025-01-20', '2025-02-03', '2025-03-03', '2025-03-17', '2025-04-07', '2025-04-21', '2025-05-12']);
    expect(decisions[7].ruleSetId).toBe('QD232-2025');
  });

  it('runs the clocks from the past dates: a ceremony due 30 working days after a decision of May 2025 is overdue at once', () => {
    const c = new CandidateCase(inputOf(ROW), () => T0);
    c.remindersEnabled = true;
    c.start();
    const [ceremony] = c.summary().openTasks;
    expect(ceremony.type).toBe('admission_ceremony');
    expect(ceremony.dueDate).toBe(addWorkingDays('2025-05-12', 30, DEFAULT_CALENDAR));
    expect(ceremony.dueRule).toMatchObject({ clock: expect.stringMatching(/^T4/), anchorDate: '2025-05-12' });
    // The next alarm is already due: the workflow's loop fires it without waiting.
    expect(c.nextAlarmMs()!).toBeLessThanOrEqual(B0);
    c.fireDueAlarms();
    expect(c.events.filter((e) => e.type === 'deadline_missed').map((e) => e.data.taskType)).toEqual(['admission_ceremony']);
    expect(c.summary().openTasks.map((t) => t.type).sort()).toEqual(['admission_ceremony', 'overdue_escalation']);
  });

  it('puts a case whose ceremony was held in probation, the 12 months counted from the ceremony date', () => {
    const steps = inputOf({ ...ROW, ceremonyDate: '2025-05-26' });
    const r = dryRunImport(steps, T0);
    expect(r).toMatchObject({ ok: true, stage: 'probation', probationEndsOn: '2026-05-26' });
  });

  it('refuses, with the step, a past cell vote below two thirds — the rule a live decision gets', () => {
    const r = dryRunImport(inputOf({ ...ROW, cellInFavour: '5' }), T0);
    expect(r).toMatchObject({ ok: false, step: 'cell_admission_vote', violations: [{ code: 'two_thirds_not_reached', field: 'inFavour' }] });
  });

  it('checks imported introductions with the routes of §2.3 (patch introduction-routes-v1), and as before for a case imported earlier', () => {
    // Born 1999-04-12: 25 at the introductions of 2025-03-17, youth age; two members, the Youth Union organisation unstated.
    const { youthUnionAtGrassroots: _y, ...unstated } = ROW;
    expect(dryRunImport(inputOf(unstated), T0)).toMatchObject({ ok: false, step: 'record_introductions', violations: [{ code: 'youth_union_organisation_unstated' }] });
    expect(dryRunImport(inputOf({ ...ROW, youthUnionAtGrassroots: 'có' }), T0)).toMatchObject({ ok: false, step: 'record_introductions', violations: [{ code: 'youth_union_route_required' }] });
    // A workflow started before the patch (its stored history) replays the same import without these rules.
    const before = new CandidateCase(inputOf(unstated), () => T0);
    before.remindersEnabled = true;
    before.start();
    expect(before.stage).toBe('ceremony');
    const after = new CandidateCase(inputOf(unstated), () => T0);
    after.introductionRoutesEnabled = true;
    expect(() => after.start()).toThrow(/Youth Union|Đoàn/);
  });

  it('refuses a standing board decision without a majority, and a candidate under 18 at the cell meeting', () => {
    expect(dryRunImport(inputOf({ ...ROW, superiorInFavour: '4' }), T0)).toMatchObject({ ok: false, step: 'superior_admission_decision', violations: [{ code: 'majority_not_reached' }] });
    expect(dryRunImport(inputOf({ ...ROW, dateOfBirth: '2007-06-01' }), T0)).toMatchObject({ ok: false, step: 'cell_admission_vote', violations: [{ code: 'age_below_minimum' }] });
  });

  it('checks an old certificate on the cell meeting date when the cell vote is imported, and on today otherwise', () => {
    // Issued 2020-06-01: valid on the cell meeting of 2025-04-07, lapsed by today (60 months).
    const old = { ...ROW, certificateIssuedOn: '2020-06-01' };
    expect(dryRunImport(inputOf(old), T0)).toMatchObject({ ok: true, stage: 'ceremony' });
    const upToApplication = Object.fromEntries(Object.entries(old).filter(([k]) => ['recognize_sympathiser', 'record_training_certificate', 'submit_application', undefined].includes(IMPORT_COLUMNS.find((c) => c.key === k)?.step)));
    expect(dryRunImport(inputOf(upToApplication), T0)).toMatchObject({ ok: false, step: 'record_training_certificate', violations: [{ code: 'certificate_expired' }] });
  });

  it('refuses a stage that the steps do not lead to', () => {
    expect(dryRunImport(inputOf(ROW, { stage: 'probation' }), T0)).toMatchObject({ ok: false, violations: [{ code: 'import_stage_mismatch' }] });
  });

  it('leaves a case without input.imported as before: no imported event, the first step open', () => {
    const { imported: _i, ...input } = inputOf(ROW);
    const c = new CandidateCase(input, () => T0);
    c.start();
    expect(c.events.map((e) => e.type)).toEqual(['candidate_created', 'task_opened']);
    expect(c.stage).toBe('source_review');
  });
});
