import { checkImportRow, columnFor, importRouteShape, IMPORT_COLUMNS, parseImportFile, type ImportedStep } from '../../libs/domain/src/candidate-import.js';
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
function inputOf(row: Record<string, string>, over: { steps?: ImportedStep[]; stage?: Stage; routing?: Routing } = {}): CandidateWorkflowInput {
  const keys = IMPORT_COLUMNS.map((c) => c.key);
  const file = parseImportFile([keys.join(','), keys.map((k) => row[k] ?? '').join(',')].join('\n'));
  const routing = over.routing ?? ROUTING;
  const r = checkImportRow(file.rows[0], TODAY, importRouteShape(routing));
  expect(r.errors).toEqual([]);
  return {
    candidateId: 'cand-1',
    fullName: r.fullName,
    facts: { dateOfBirth: r.dateOfBirth!, youthUnionMember: r.profile!.youthUnionMember, education: r.profile!.education, hardshipArea: false },
    routing,
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
    // Business today 2026-03-02: the 12 months from the ceremony of 2025-05-26 end on 2026-05-26.
    const input = { ...inputOf({ ...ROW, ceremonyDate: '2025-05-26' }), clock: { anchorRealMs: T0, anchorBusinessMs: Date.UTC(2026, 2, 2, 2, 0, 0), speed: 1 } };
    input.imported!.stage = 'probation';
    const r = dryRunImport(input, T0);
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

/** Sworn in on 2025-05-26 (12 months to 2026-05-26), new-member class certificate of 2025-09-15, reviewed in June 2026. */
const REVIEWED: Record<string, string> = {
  ...ROW,
  ceremonyDate: '2025-05-26',
  newMemberCertificateNo: '45/CN-ĐVM',
  newMemberCertificateIssuedOn: '2025-09-15',
  probationSelfReviewOn: '2026-06-01',
  probationMentorReviewOn: '2026-06-02',
  probationOpinionsMassOrganizations: 'Công đoàn: tốt',
  probationOpinionsResidence: 'Nơi cư trú: tốt',
};
const CELL_RECOGNIZED = { ...REVIEWED, recognitionCellMeetingDate: '2026-06-08', recognitionCellOfficialMembers: '9', recognitionCellInFavour: '8' };
const GRASSROOTS_RECOGNIZED = { ...CELL_RECOGNIZED, recognitionGrassrootsResolutionDate: '2026-06-22', recognitionGrassrootsCommitteeMembers: '7', recognitionGrassrootsInFavour: '6' };

/** As the workflow starts an import after patch imported-recognition-v1 (and the patches before it). */
function started(row: Record<string, string>, routing: Routing = ROUTING): CandidateCase {
  const c = new CandidateCase(inputOf(row, { routing }), () => T0);
  c.remindersEnabled = c.derivedClocksEnabled = c.clocksRoutesEnabled = c.introductionRoutesEnabled = c.importedRecognitionEnabled = true;
  c.start();
  return c;
}

describe('an imported case past its probation (patch imported-recognition-v1)', () => {
  // Working days counted by hand (no public holiday between late May and July 2026): 30 working days after
  // Tue 2026-05-26 is Tue 2026-07-07 (T6); after Mon 2026-06-08 is Mon 2026-07-20 (T7).
  const T6_DUE = '2026-07-07';
  const T7_DUE = '2026-07-20';

  it('ends the 12 months on their real date and opens the probation review on T6, overdue at once', () => {
    const c = started({ ...ROW, ceremonyDate: '2025-05-26' });
    expect(c.stage).toBe('probation_review');
    const ended = c.events.find((e) => e.type === 'probation_ended')!;
    expect(ended).toMatchObject({ businessDate: '2026-05-26', data: { endsOn: '2026-05-26' } });
    const review = c.summary().openTasks.find((t) => t.type === 'probation_review')!;
    expect(review).toMatchObject({ dueDate: T6_DUE, notBefore: '2026-05-26', dueRule: { anchorDate: '2026-05-26', clock: expect.stringMatching(/^T6/) } });
    // The new-member class was never recorded: its task stays open, due at the end of the 12 months.
    expect(c.summary().openTasks.find((t) => t.type === 'record_new_member_training')).toMatchObject({ dueDate: '2026-05-26' });
    c.fireDueAlarms();
    expect(c.events.filter((e) => e.type === 'deadline_missed').map((e) => e.data.taskType).sort()).toEqual(['probation_review', 'record_new_member_training']);
  });

  it('records the certificate, the end of probation and the review as imported, in that order, and opens the cell vote on T6 from the end of probation', () => {
    const c = started(REVIEWED);
    expect(c.stage).toBe('cell_recognition_vote');
    const kinds = c.events.filter((e) => ['decision_recorded', 'probation_ended', 'probation_started'].includes(e.type)).slice(8).map((e) => `${e.type}:${e.data.taskType ?? ''}@${e.businessDate}`);
    expect(kinds).toEqual([
      'decision_recorded:admission_ceremony@2025-05-26',
      'probation_started:@2025-05-26',
      'decision_recorded:record_new_member_training@2025-09-15',
      'probation_ended:@2026-05-26',
      'decision_recorded:probation_review@2026-06-02',
    ]);
    expect(c.events.filter((e) => e.type === 'decision_recorded').every((e) => e.data.imported && e.actor === IMPORTER)).toBe(true);
    expect(c.summary().openTasks).toEqual([expect.objectContaining({ type: 'cell_recognition_vote', notBefore: '2026-06-02', dueDate: T6_DUE })]);
  });

  it('starts a case whose cell and grassroots committee recommended recognition at the competent committee, T7 from the cell resolution', () => {
    const r = dryRunImport(inputOf(GRASSROOTS_RECOGNIZED), T0);
    expect(r).toMatchObject({ ok: true, stage: 'superior_recognition_decision', probationEndsOn: '2026-05-26' });
    const [decision] = (r as { openTasks: { type: string; dueDate?: string; dueRule?: unknown }[] }).openTasks;
    expect(decision).toMatchObject({ type: 'superior_recognition_decision', dueDate: T7_DUE, dueRule: { anchorDate: '2026-06-08', clock: expect.stringMatching(/^T7/) } });
    const cell = dryRunImport(inputOf(CELL_RECOGNIZED), T0);
    expect(cell).toMatchObject({ ok: true, stage: 'grassroots_recognition_review', openTasks: [{ type: 'grassroots_recognition_review', dueDate: T7_DUE }] });
  });

  it('records the votes already held without two thirds: the cell votes again on the same clock, and after three the competent committee decides', () => {
    const two = started({ ...REVIEWED, recognitionInconclusiveVotes: '2026-06-08:9:5:3; 2026-06-22:9:5:2' });
    expect(two.stage).toBe('cell_recognition_vote');
    expect(two.summary().openTasks).toEqual([expect.objectContaining({ type: 'cell_recognition_vote', attempt: 3, notBefore: '2026-06-22', dueDate: T6_DUE })]);
    expect(two.state().inconclusiveRecognitionVotes).toBe(2);

    const three = started({ ...REVIEWED, recognitionInconclusiveVotes: '2026-06-08:9:5:3; 2026-06-22:9:5:2; 2026-07-06:9:4:4' });
    expect(three.stage).toBe('superior_recognition_decision');
    // T7 from the third vote, Mon 2026-07-06: 30 working days later is Mon 2026-08-17.
    expect(three.summary().openTasks).toEqual([expect.objectContaining({ type: 'superior_recognition_decision', dueDate: '2026-08-17' })]);
    expect(three.events.find((e) => e.type === 'recognition_escalated')).toMatchObject({ businessDate: '2026-07-06', data: { votes: 3 } });
  });

  it('refuses past recognition decisions by the rules of live ones, with the step and its place', () => {
    const below = dryRunImport(inputOf({ ...CELL_RECOGNIZED, recognitionCellInFavour: '5' }), T0);
    expect(below).toMatchObject({ ok: false, step: 'cell_recognition_vote', index: 11, violations: [{ code: 'two_thirds_not_reached', field: 'inFavour' }] });
    expect(columnFor('cell_recognition_vote', 'inFavour', 'recognize')).toBe('recognitionCellInFavour');
    // "Inconclusive" although 6 of 9 is two thirds.
    const notInconclusive = dryRunImport(inputOf({ ...REVIEWED, recognitionInconclusiveVotes: '2026-06-08:9:6:2' }), T0);
    expect(notInconclusive).toMatchObject({ ok: false, step: 'cell_recognition_vote', index: 11 });
    expect(columnFor('cell_recognition_vote', 'inFavour', 'inconclusive')).toBe('recognitionInconclusiveVotes');
    const grassroots = dryRunImport(inputOf({ ...GRASSROOTS_RECOGNIZED, recognitionGrassrootsInFavour: '4' }), T0);
    expect(grassroots).toMatchObject({ ok: false, step: 'grassroots_recognition_review', violations: [{ code: 'two_thirds_not_reached', field: 'inFavour' }] });
  });

  it('leaves a case imported before the patch as it started: in probation, the 12 months ended by the first timer', () => {
    const c = new CandidateCase(inputOf({ ...ROW, ceremonyDate: '2025-05-26' }, { stage: 'probation' }), () => T0);
    c.remindersEnabled = c.derivedClocksEnabled = c.clocksRoutesEnabled = c.introductionRoutesEnabled = true;
    c.start();
    expect(c.stage).toBe('probation');
    expect(c.events.some((e) => e.type === 'probation_ended')).toBe(false);
    expect(c.awaitingProbationEnd).toBe(true);
    // And the recognition steps cannot be imported without it.
    const before = new CandidateCase(inputOf(REVIEWED), () => T0);
    before.remindersEnabled = before.derivedClocksEnabled = before.clocksRoutesEnabled = before.introductionRoutesEnabled = true;
    expect(() => before.start()).toThrow(/probation_review/);
  });
});

/** A cell under a partial committee (đảng ủy bộ phận), and a cell of a grassroots committee authorised to admit. */
const UNDER_PARTIAL: Routing = { ...ROUTING, partialCommitteeId: 'pc-1' };
const AUTHORISED: Routing = { ...ROUTING, grassrootsAuthorised: true };
const drop = (row: Record<string, string>, ...keys: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));
const GRASSROOTS_ADMISSION = ['grassrootsResolutionDate', 'grassrootsCommitteeMembers', 'grassrootsInFavour'];
const CELL_VOTED = drop(ROW, ...GRASSROOTS_ADMISSION, 'admissionDecisionNo', 'admissionDecisionDate', 'superiorBoardMembers', 'superiorInFavour');
/** The partial committee's appraisals: of the admission (between 2025-04-07 and 2025-04-21), of the recognition (between 2026-06-08 and 2026-06-22). */
const ADMISSION_APPRAISAL = { partialAdmissionAppraisedOn: '2025-04-14', partialAdmissionOpinion: 'đồng ý', partialAdmissionReportNo: '05-BC/ĐUBP' };
const RECOGNITION_APPRAISAL = { partialRecognitionAppraisedOn: '2026-06-15', partialRecognitionOpinion: 'đồng ý', partialRecognitionReportNo: '09-BC/ĐUBP' };
type Open = { type: string; orgUnitId: string; role: string; route?: string; dueRule?: unknown };

describe('an imported case under a partial committee', () => {
  it('starts a row whose last step is the cell vote at the partial committee appraisal, on the chain\'s T3 from the cell meeting', () => {
    const r = dryRunImport(inputOf(CELL_VOTED, { routing: UNDER_PARTIAL }), T0);
    expect(r).toMatchObject({ ok: true, stage: 'partial_admission_appraisal' });
    const [task] = (r as { openTasks: Open[] }).openTasks;
    expect(task).toMatchObject({ type: 'partial_admission_appraisal', orgUnitId: 'pc-1', role: 'partial_committee', dueRule: { anchorDate: '2025-04-07', clock: expect.stringMatching(/^T3/) } });
  });

  it('applies the appraisals through the live transitions, recorded as imported decisions, up to the competent committee', () => {
    const c = started({ ...GRASSROOTS_RECOGNIZED, ...ADMISSION_APPRAISAL, ...RECOGNITION_APPRAISAL }, UNDER_PARTIAL);
    expect(c.stage).toBe('superior_recognition_decision');
    const appraisals = c.events.filter((e) => e.type === 'decision_recorded' && String(e.data.taskType).startsWith('partial_'));
    expect(appraisals.map((e) => [e.data.taskType, e.businessDate, e.data.outcome, e.data.decision])).toEqual([
      ['partial_admission_appraisal', '2025-04-14', 'submit', { appraisedOn: '2025-04-14', opinion: 'agree', reportNo: '05-BC/ĐUBP' }],
      ['partial_recognition_appraisal', '2026-06-15', 'submit', { appraisedOn: '2026-06-15', opinion: 'agree', reportNo: '09-BC/ĐUBP' }],
    ]);
    expect(appraisals.every((e) => e.actor === IMPORTER && e.data.imported)).toBe(true);
    expect(c.summary().openTasks).toEqual([expect.objectContaining({ type: 'superior_recognition_decision', orgUnitId: 'sup-1', role: 'superior_board' })]);
  });

  it('starts a row with the cell recognition resolution at the appraisal of the recognition, and one with that appraisal at the grassroots review', () => {
    const cell = dryRunImport(inputOf({ ...CELL_RECOGNIZED, ...ADMISSION_APPRAISAL }, { routing: UNDER_PARTIAL }), T0);
    expect(cell).toMatchObject({ ok: true, stage: 'partial_recognition_appraisal', openTasks: [{ type: 'partial_recognition_appraisal', orgUnitId: 'pc-1' }] });
    const appraised = dryRunImport(inputOf({ ...CELL_RECOGNIZED, ...ADMISSION_APPRAISAL, ...RECOGNITION_APPRAISAL }, { routing: UNDER_PARTIAL }), T0);
    expect(appraised).toMatchObject({ ok: true, stage: 'grassroots_recognition_review', openTasks: [{ type: 'grassroots_recognition_review', orgUnitId: 'gr-1' }] });
  });

  it('accepts a disagreeing appraisal (the grassroots committee decides), and refuses one dated before the cell vote by the live rule', () => {
    expect(dryRunImport(inputOf({ ...ROW, ...ADMISSION_APPRAISAL, partialAdmissionOpinion: 'không đồng ý' }, { routing: UNDER_PARTIAL }), T0)).toMatchObject({ ok: true, stage: 'ceremony' });
    // Dated before the cell meeting (the file check refuses it too; the dry run on its own, as a live decision).
    const steps = (inputOf({ ...ROW, ...ADMISSION_APPRAISAL }, { routing: UNDER_PARTIAL }).imported!.steps as ImportedStep[]).map((s) => (s.taskType === 'partial_admission_appraisal' ? { ...s, data: { ...s.data, appraisedOn: '2025-04-01' } } : s));
    const early = dryRunImport(inputOf({ ...ROW, ...ADMISSION_APPRAISAL }, { routing: UNDER_PARTIAL, steps }), T0);
    expect(early).toMatchObject({ ok: false, step: 'partial_admission_appraisal', violations: [{ code: 'date_before_previous_step', field: 'appraisedOn' }] });
    expect(columnFor('partial_admission_appraisal', 'appraisedOn')).toBe('partialAdmissionAppraisedOn');
  });

  it('refuses a row checked for a cell without its partial committee: the grassroots review is not the open step', () => {
    const plain = inputOf(ROW);
    const r = dryRunImport({ ...plain, routing: UNDER_PARTIAL }, T0);
    expect(r).toMatchObject({ ok: false, step: 'grassroots_admission_review', violations: [{ code: 'import_step_out_of_order' }] });
  });
});

describe('an imported case of a grassroots committee authorised to admit', () => {
  it('starts a row whose last step is the cell vote at the committee\'s own admission decision', () => {
    const r = dryRunImport(inputOf(CELL_VOTED, { routing: AUTHORISED }), T0);
    expect(r).toMatchObject({ ok: true, stage: 'superior_admission_decision' });
    expect((r as { openTasks: Open[] }).openTasks).toEqual([expect.objectContaining({ type: 'superior_admission_decision', orgUnitId: 'gr-1', role: 'grassroots_committee', route: 'authorised_grassroots' })]);
  });

  it('takes the admission decision by two thirds of all the committee\'s members, as a live decision: 6 of 9 admits, 5 of 9 is refused', () => {
    const row = drop(ROW, ...GRASSROOTS_ADMISSION);
    expect(dryRunImport(inputOf({ ...row, superiorBoardMembers: '9', superiorInFavour: '6' }, { routing: AUTHORISED }), T0)).toMatchObject({ ok: true, stage: 'ceremony' });
    const r = dryRunImport(inputOf({ ...row, superiorBoardMembers: '9', superiorInFavour: '5' }, { routing: AUTHORISED }), T0);
    expect(r).toMatchObject({ ok: false, step: 'superior_admission_decision', violations: [{ code: 'two_thirds_not_reached', field: 'inFavour' }] });
    expect(columnFor('superior_admission_decision', 'inFavour')).toBe('superiorInFavour');
    // The same 5 of 9 is a majority of a superior standing board.
    expect(dryRunImport(inputOf({ ...ROW, superiorInFavour: '5' }), T0)).toMatchObject({ ok: true, stage: 'ceremony' });
  });

  it('starts a row with the cell recognition resolution at the committee\'s recognition decision, on T7 from the resolution', () => {
    const c = started(drop(CELL_RECOGNIZED, ...GRASSROOTS_ADMISSION), AUTHORISED);
    expect(c.stage).toBe('superior_recognition_decision');
    expect(c.summary().openTasks).toEqual([
      expect.objectContaining({ type: 'superior_recognition_decision', orgUnitId: 'gr-1', role: 'grassroots_committee', route: 'authorised_grassroots', dueDate: '2026-07-20' }),
    ]);
  });

  it('with a partial committee too: the appraisals, then the committee\'s decisions', () => {
    const both: Routing = { ...UNDER_PARTIAL, grassrootsAuthorised: true };
    expect(dryRunImport(inputOf({ ...CELL_VOTED, ...ADMISSION_APPRAISAL }, { routing: both }), T0)).toMatchObject({ ok: true, stage: 'superior_admission_decision', openTasks: [{ orgUnitId: 'gr-1', route: 'authorised_grassroots' }] });
    const c = started({ ...drop(CELL_RECOGNIZED, ...GRASSROOTS_ADMISSION), ...ADMISSION_APPRAISAL, ...RECOGNITION_APPRAISAL }, both);
    expect(c.stage).toBe('superior_recognition_decision');
    expect(c.summary().openTasks).toEqual([expect.objectContaining({ type: 'superior_recognition_decision', orgUnitId: 'gr-1', route: 'authorised_grassroots' })]);
  });
});
