import { checkImportRow, importRouteShape, importRowKey, importTemplateCsv, IMPORT_COLUMNS, parseCsv, parseImportDate, parseImportFile, stageAfter, type ImportRouteShape } from './candidate-import.js';

const TODAY = '2026-12-03';

/** A complete row up to the admission decision (a case waiting for its ceremony). */
const ADMITTED: Record<string, string> = {
  fullName: 'Nguyễn Văn An',
  dateOfBirth: '12/04/1999',
  gender: 'nam',
  ethnicity: 'Kinh',
  education: 'university',
  youthUnionMember: 'có',
  cell: 'Chi bộ giáo viên',
  sourceOrganization: 'Đoàn trường',
  introducedOn: '06/01/2025',
  sympathiserMeetingDate: '06/01/2025',
  mentorName: 'Trần Thị Bình',
  certificateNo: '12/CN-2025',
  certificateIssuedOn: '20/01/2025',
  applicationDate: '03/02/2025',
  cvSubmittedOn: '03/02/2025',
  backgroundConcludedOn: '03/03/2025',
  relativesChecked: 'father:clear; mother:clear',
  introducer1Name: 'Lê Văn Cường',
  introducer1MonthsTogether: '24',
  introducer2Name: 'Phạm Thị Dung',
  introducer2MonthsTogether: '14',
  opinionsMassOrganizations: 'Công đoàn: nhất trí',
  opinionsResidence: 'Chi ủy nơi cư trú: nhất trí',
  dossierCompiledOn: '17/03/2025',
  cellMeetingDate: '07/04/2025',
  cellOfficialMembers: '9',
  cellInFavour: '7',
  grassrootsResolutionDate: '21/04/2025',
  grassrootsCommitteeMembers: '7',
  grassrootsInFavour: '6',
  admissionDecisionNo: '123-QĐ/ĐU',
  admissionDecisionDate: '12/05/2025',
  superiorBoardMembers: '9',
  superiorInFavour: '7',
};

function csv(rows: Record<string, string>[], sep = ','): string {
  const keys = IMPORT_COLUMNS.map((c) => c.key);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return [keys.map((k) => q(`${IMPORT_COLUMNS.find((c) => c.key === k)!.vi} [${k}]`)).join(sep), ...rows.map((r) => keys.map((k) => q(r[k] ?? '')).join(sep))].join('\r\n');
}

/** The shapes of route a row's cell may have (`importRouteShape` of its routing). */
const GRASSROOTS_CELL: ImportRouteShape = { grassrootsIsCell: true };
const UNDER_PARTIAL: ImportRouteShape = { grassrootsIsCell: false, partialCommittee: true };
const AUTHORISED: ImportRouteShape = { grassrootsIsCell: false, grassrootsAuthorised: true };

function check(row: Record<string, string>, route: ImportRouteShape = {}) {
  const file = parseImportFile(csv([row]));
  expect(file.errors).toEqual([]);
  return checkImportRow(file.rows[0], TODAY, route);
}

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and ignores a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('takes ";" as the separator when the header uses it (Excel in vi-VN)', () => {
    expect(parseCsv('a;b;c\n1;2,5;3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2,5', '3'],
    ]);
  });
});

describe('parseImportFile', () => {
  it('reads the downloadable template (header only, BOM) as a file without rows or errors', () => {
    expect(parseImportFile(importTemplateCsv())).toEqual({ rows: [], errors: [] });
  });

  it('recognises columns by key or by Vietnamese label, in any order', () => {
    const f = parseImportFile('Ngày sinh,fullName\n01/01/2000,Nguyễn Văn An\n');
    expect(f.errors.map((e) => e.code)).toEqual(expect.arrayContaining(['import_missing_column']));
    expect(f.errors.some((e) => e.column === 'fullName' || e.column === 'dateOfBirth')).toBe(false);
  });

  it('refuses an unknown column, naming it in Vietnamese and English', () => {
    const f = parseImportFile(csv([]).replace('\r\n', '') + ',"Ghi chú"\n');
    const e = f.errors.find((x) => x.code === 'import_unknown_column')!;
    expect(e.message.vi).toContain('Ghi chú');
    expect(e.message.en).toBe('Column "Ghi chú" is not in the template');
  });

  it('numbers data rows as the spreadsheet does (the header is line 1)', () => {
    const f = parseImportFile(csv([ADMITTED, ADMITTED], ';'));
    expect(f.rows.map((r) => r.row)).toEqual([2, 3]);
    expect(f.rows[0].values.fullName).toBe('Nguyễn Văn An');
  });
});

describe('checkImportRow', () => {
  it('builds the steps of a case waiting for its ceremony, each with its approving outcome and data', () => {
    const r = check(ADMITTED);
    expect(r.errors).toEqual([]);
    expect(r.stage).toBe('ceremony');
    expect(r.steps.map((s) => s.taskType)).toEqual([
      'recognize_sympathiser',
      'record_training_certificate',
      'submit_application',
      'verify_background',
      'record_introductions',
      'cell_admission_vote',
      'grassroots_admission_review',
      'superior_admission_decision',
    ]);
    expect(r.steps[7]).toEqual({ taskType: 'superior_admission_decision', outcome: 'approve', data: { boardMembers: 9, inFavour: 7, decisionNo: '123-QĐ/ĐU', decisionDate: '2025-05-12' } });
    expect(r.steps[3].data.relativesChecked).toEqual([
      { relation: 'father', result: 'clear' },
      { relation: 'mother', result: 'clear' },
    ]);
    expect(r.profile).toMatchObject({ gender: 'male', youthUnionMember: true, education: 'university', hardshipArea: false });
    expect(r.source).toEqual({ organization: 'Đoàn trường', introducedOn: '2025-01-06' });
  });

  it('carries the day the cell received the admission decision (the ceremony clock runs from it), after the decision', () => {
    expect(check({ ...ADMITTED, admissionDecisionReceivedOn: '15/05/2025' }).steps[7].data.receivedOn).toBe('2025-05-15');
    expect(check(ADMITTED).steps[7].data).not.toHaveProperty('receivedOn');
    expect(check({ ...ADMITTED, admissionDecisionReceivedOn: '10/05/2025' }).errors.map((e) => [e.code, e.column])).toEqual([['date_before_previous_step', 'admissionDecisionReceivedOn']]);
  });

  it('starts a row with no step taken at the source review, one with the ceremony in probation, and one whose 12 months ended at the probation review', () => {
    const bare = Object.fromEntries(Object.entries(ADMITTED).filter(([k]) => !IMPORT_COLUMNS.find((c) => c.key === k)?.step));
    expect(check(bare)).toMatchObject({ errors: [], steps: [], stage: 'source_review' });
    // Ceremony 05/12/2025: the 12 months end on 05/12/2026, two days after today (03/12/2026).
    expect(check({ ...ADMITTED, ceremonyDate: '05/12/2025' })).toMatchObject({ errors: [], stage: 'probation' });
    // Ceremony 03/12/2025: they end today.
    expect(check({ ...ADMITTED, ceremonyDate: '03/12/2025' })).toMatchObject({ errors: [], stage: 'probation_review' });
    expect(check({ ...ADMITTED, ceremonyDate: '26/05/2025' })).toMatchObject({ errors: [], stage: 'probation_review' });
  });

  it('sends a grassroots cell from the cell vote straight to the superior, and refuses grassroots columns there', () => {
    const { grassrootsResolutionDate: _a, grassrootsCommitteeMembers: _b, grassrootsInFavour: _c, ...row } = ADMITTED;
    expect(check(row, GRASSROOTS_CELL)).toMatchObject({ errors: [], stage: 'ceremony' });
    expect(check(ADMITTED, GRASSROOTS_CELL).errors.map((e) => e.code)).toContain('import_step_not_applicable');
    expect(stageAfter(['recognize_sympathiser', 'record_training_certificate', 'submit_application', 'verify_background', 'record_introductions', 'cell_admission_vote'], GRASSROOTS_CELL)).toBe('superior_admission_decision');
  });

  it('refuses a date in the future, naming the column', () => {
    const r = check({ ...ADMITTED, admissionDecisionDate: '04/12/2026' });
    expect(r.errors).toEqual([expect.objectContaining({ code: 'date_in_future', column: 'admissionDecisionDate' })]);
    expect(r.errors[0].message.en).toBe('Date admissionDecisionDate (2026-12-04) cannot be later than today (2026-12-03)');
    expect(r.steps).toEqual([]);
  });

  it('refuses dates out of the order of the procedure', () => {
    const r = check({ ...ADMITTED, cellMeetingDate: '01/03/2025' });
    expect(r.errors.map((e) => [e.code, e.column])).toEqual([['date_before_previous_step', 'cellMeetingDate']]);
    expect(check({ ...ADMITTED, certificateIssuedOn: '04/02/2025' }).errors.map((e) => e.code)).toEqual(['import_certificate_after_application']);
  });

  it('accepts a certificate issued before the candidate was listed as a sympathiser (an earlier class)', () => {
    expect(check({ ...ADMITTED, certificateIssuedOn: '20/10/2024' }).errors).toEqual([]);
  });

  it('refuses a step skipped before a later one, and a taken step with a value missing', () => {
    const r = check({ ...ADMITTED, backgroundConcludedOn: '', relativesChecked: '' });
    expect(r.errors.map((e) => [e.code, e.column])).toEqual([['import_step_missing', 'backgroundConcludedOn']]);
    expect(check({ ...ADMITTED, cellInFavour: '' }).errors.map((e) => [e.code, e.column])).toEqual([['import_missing_value', 'cellInFavour']]);
  });

  it('refuses values it cannot read: a date, a number, a yes/no, a relative', () => {
    const r = check({ ...ADMITTED, dateOfBirth: '31/02/1999', cellInFavour: 'bảy', youthUnionMember: 'có lẽ', relativesChecked: 'uncle:clear' });
    expect(r.errors.map((e) => [e.code, e.column]).sort()).toEqual(
      [
        ['import_invalid_choice', 'relativesChecked'],
        ['import_invalid_choice', 'youthUnionMember'],
        ['import_invalid_date', 'dateOfBirth'],
        ['import_invalid_number', 'cellInFavour'],
      ].sort(),
    );
  });
});

describe('parseImportDate', () => {
  it('reads dd/mm/yyyy and YYYY-MM-DD, and nothing that is not a real date', () => {
    expect(parseImportDate('5/1/2025')).toBe('2025-01-05');
    expect(parseImportDate('2025-01-05')).toBe('2025-01-05');
    expect(parseImportDate('29/02/2025')).toBeUndefined();
    expect(parseImportDate('01/13/2025')).toBeUndefined();
  });
});

describe('importRowKey', () => {
  it('is the same for the same person however the name is written, and differs by date of birth or organisation', () => {
    expect(importRowKey('gr-1', 'Nguyễn  Văn An', '1999-04-12')).toBe(importRowKey('gr-1', 'nguyen van an', '1999-04-12'));
    expect(importRowKey('gr-1', 'Nguyễn Văn An', '1999-04-13')).not.toBe(importRowKey('gr-1', 'Nguyễn Văn An', '1999-04-12'));
    expect(importRowKey('gr-2', 'Nguyễn Văn An', '1999-04-12')).not.toBe(importRowKey('gr-1', 'Nguyễn Văn An', '1999-04-12'));
  });
});

/** Sworn in on 26/05/2025: the 12 months ended on 26/05/2026; new-member class certificate of 15/09/2025. */
const SWORN_IN: Record<string, string> = {
  ...ADMITTED,
  ceremonyDate: '26/05/2025',
  newMemberCertificateNo: '45/CN-ĐVM',
  newMemberCertificateIssuedOn: '15/09/2025',
};
const REVIEWED: Record<string, string> = {
  ...SWORN_IN,
  probationSelfReviewOn: '01/06/2026',
  probationMentorReviewOn: '02/06/2026',
  probationOpinionsMassOrganizations: 'Công đoàn: tốt',
  probationOpinionsResidence: 'Nơi cư trú: tốt',
};
const CELL_RECOGNIZED: Record<string, string> = { ...REVIEWED, recognitionCellMeetingDate: '08/06/2026', recognitionCellOfficialMembers: '9', recognitionCellInFavour: '8' };
const GRASSROOTS_RECOGNIZED: Record<string, string> = {
  ...CELL_RECOGNIZED,
  recognitionGrassrootsResolutionDate: '22/06/2026',
  recognitionGrassrootsCommitteeMembers: '7',
  recognitionGrassrootsInFavour: '6',
};
const taskTypes = (r: ReturnType<typeof checkImportRow>) => r.steps.map((s) => `${s.taskType}:${s.outcome}`).slice(8);
const errs = (r: ReturnType<typeof checkImportRow>) => r.errors.map((e) => [e.code, e.column]);

describe('checkImportRow, past the ceremony (probation and recognition)', () => {
  it('offers the probation and recognition columns in the template, in Vietnamese and English', () => {
    const header = importTemplateCsv();
    for (const key of ['newMemberCertificateNo', 'newMemberCertificateIssuedOn', 'probationSelfReviewOn', 'probationMentorReviewOn', 'recognitionInconclusiveVotes', 'recognitionCellMeetingDate', 'recognitionGrassrootsResolutionDate']) {
      expect(header).toContain(`[${key}]`);
      expect(IMPORT_COLUMNS.find((c) => c.key === key)!.en).toBeTruthy();
    }
    expect(header).toContain('Ngày nghị quyết chi bộ đề nghị công nhận đảng viên chính thức (13-KNĐ) [recognitionCellMeetingDate]');
  });

  it('records the new-member class beside the probation: a probation row with its certificate stays in probation', () => {
    const r = check({ ...SWORN_IN, ceremonyDate: '05/12/2025', newMemberCertificateIssuedOn: '20/03/2026' });
    expect(r.errors).toEqual([]);
    expect(r.stage).toBe('probation');
    expect(r.steps.slice(8)).toEqual([
      { taskType: 'admission_ceremony', outcome: 'held', data: { ceremonyDate: '2025-12-05' } },
      { taskType: 'record_new_member_training', outcome: 'pass', data: { certificateNo: '45/CN-ĐVM', issuedOn: '2026-03-20' } },
    ]);
  });

  it('puts a row with the probation review at the cell recognition vote, the review with its dates and opinions', () => {
    const r = check(REVIEWED);
    expect(r.errors).toEqual([]);
    expect(r.stage).toBe('cell_recognition_vote');
    expect(taskTypes(r)).toEqual(['admission_ceremony:held', 'record_new_member_training:pass', 'probation_review:submit']);
    expect(r.steps[10].data).toEqual({ selfReviewOn: '2026-06-01', mentorReviewOn: '2026-06-02', opinions: { massOrganizations: 'Công đoàn: tốt', residence: 'Nơi cư trú: tốt' } });
  });

  it('refuses a probation review or a cell recognition resolution dated before the 12 months end (26/05/2026 for a ceremony of 26/05/2025)', () => {
    expect(errs(check({ ...REVIEWED, probationSelfReviewOn: '25/05/2026' }))).toEqual([['before_probation_end', 'probationSelfReviewOn']]);
    const r = check({ ...CELL_RECOGNIZED, probationSelfReviewOn: '20/05/2026', probationMentorReviewOn: '20/05/2026', recognitionCellMeetingDate: '25/05/2026' });
    expect(errs(r)).toEqual([
      ['before_probation_end', 'probationSelfReviewOn'],
      ['before_probation_end', 'probationMentorReviewOn'],
      ['before_probation_end', 'recognitionCellMeetingDate'],
    ]);
    expect(r.errors[2].params).toMatchObject({ date: '2026-05-25', probationEndsOn: '2026-05-26' });
    // On the day the 12 months end: accepted.
    expect(check({ ...CELL_RECOGNIZED, probationSelfReviewOn: '26/05/2026', probationMentorReviewOn: '26/05/2026', recognitionCellMeetingDate: '26/05/2026' }).errors).toEqual([]);
    // A review of a member still in probation (ceremony 05/12/2025, 12 months to 05/12/2026).
    expect(errs(check({ ...REVIEWED, ceremonyDate: '05/12/2025', newMemberCertificateIssuedOn: '20/03/2026', probationSelfReviewOn: '01/12/2026', probationMentorReviewOn: '01/12/2026' }))).toEqual([
      ['before_probation_end', 'probationSelfReviewOn'],
      ['before_probation_end', 'probationMentorReviewOn'],
    ]);
  });

  it('records the cell votes already held without two thirds, in order: fewer than three leave the cell to vote again, three go to the competent committee', () => {
    const two = check({ ...REVIEWED, recognitionInconclusiveVotes: '08/06/2026:9:5:3; 2026-06-22:9:5' });
    expect(two.errors).toEqual([]);
    expect(two.stage).toBe('cell_recognition_vote');
    expect(taskTypes(two)).toEqual(['admission_ceremony:held', 'record_new_member_training:pass', 'probation_review:submit', 'cell_recognition_vote:inconclusive', 'cell_recognition_vote:inconclusive']);
    expect(two.steps.slice(11).map((s) => s.data)).toEqual([
      { meetingDate: '2026-06-08', officialMembers: 9, inFavour: 5, forRemoval: 3 },
      { meetingDate: '2026-06-22', officialMembers: 9, inFavour: 5 },
    ]);
    const three = check({ ...REVIEWED, recognitionInconclusiveVotes: '08/06/2026:9:5:3; 22/06/2026:9:5:2; 06/07/2026:9:4:4' });
    expect(three).toMatchObject({ errors: [], stage: 'superior_recognition_decision' });
    // Two, then the resolution that reached two thirds: the grassroots committee reviews it.
    const then = check({ ...CELL_RECOGNIZED, recognitionInconclusiveVotes: '03/06/2026:9:5:3', recognitionCellMeetingDate: '17/06/2026' });
    expect(then).toMatchObject({ errors: [], stage: 'grassroots_recognition_review' });
    expect(taskTypes(then).slice(3)).toEqual(['cell_recognition_vote:inconclusive', 'cell_recognition_vote:recognize']);
  });

  it('refuses more votes than the limit, a vote out of order, and a list it cannot read', () => {
    expect(errs(check({ ...CELL_RECOGNIZED, recognitionInconclusiveVotes: '01/06/2026:9:5:3; 02/06/2026:9:5:2; 03/06/2026:9:4:4', probationSelfReviewOn: '26/05/2026', probationMentorReviewOn: '26/05/2026' }))).toEqual([
      ['import_inconclusive_votes_limit', 'recognitionInconclusiveVotes'],
    ]);
    expect(errs(check({ ...REVIEWED, recognitionInconclusiveVotes: '22/06/2026:9:5:3; 08/06/2026:9:5:2' }))).toEqual([['date_before_previous_step', 'recognitionInconclusiveVotes']]);
    expect(errs(check({ ...REVIEWED, recognitionInconclusiveVotes: '08/06/2026:9' }))).toEqual([['import_invalid_choice', 'recognitionInconclusiveVotes']]);
    expect(errs(check({ ...REVIEWED, recognitionInconclusiveVotes: '08/06/2027:9:5:3' }))).toEqual([['date_in_future', 'recognitionInconclusiveVotes']]);
  });

  it('puts a row with the cell resolution at the grassroots review, and one with the grassroots resolution at the competent committee', () => {
    const cell = check(CELL_RECOGNIZED);
    expect(cell).toMatchObject({ errors: [], stage: 'grassroots_recognition_review' });
    expect(cell.steps.at(-1)).toEqual({ taskType: 'cell_recognition_vote', outcome: 'recognize', data: { meetingDate: '2026-06-08', officialMembers: 9, inFavour: 8 } });
    const gr = check(GRASSROOTS_RECOGNIZED);
    expect(gr).toMatchObject({ errors: [], stage: 'superior_recognition_decision' });
    expect(gr.steps.at(-1)).toEqual({ taskType: 'grassroots_recognition_review', outcome: 'recognize', data: { committeeMembers: 7, inFavour: 6, resolutionDate: '2026-06-22' } });
    expect(errs(check({ ...GRASSROOTS_RECOGNIZED, recognitionGrassrootsResolutionDate: '05/06/2026' }))).toEqual([['date_before_previous_step', 'recognitionGrassrootsResolutionDate']]);
  });

  it('sends a grassroots cell from its recognition resolution to the competent committee, and refuses the grassroots recognition columns there', () => {
    const { grassrootsResolutionDate: _a, grassrootsCommitteeMembers: _b, grassrootsInFavour: _c, ...row } = CELL_RECOGNIZED;
    expect(check(row, GRASSROOTS_CELL)).toMatchObject({ errors: [], stage: 'superior_recognition_decision' });
    const { grassrootsResolutionDate: _d, grassrootsCommitteeMembers: _e, grassrootsInFavour: _f, ...row2 } = GRASSROOTS_RECOGNIZED;
    expect(errs(check(row2, GRASSROOTS_CELL))).toEqual([['import_step_not_applicable', 'recognitionGrassrootsResolutionDate']]);
  });

  it('needs the new-member class certificate, obtained before the cell recognition meeting, for a recognition resolution', () => {
    const { newMemberCertificateNo: _n, newMemberCertificateIssuedOn: _i, ...without } = CELL_RECOGNIZED;
    expect(errs(check(without))).toEqual([['new_member_certificate_missing', 'newMemberCertificateNo']]);
    const late = check({ ...CELL_RECOGNIZED, newMemberCertificateIssuedOn: '10/06/2026' });
    expect(errs(late)).toEqual([['import_new_member_certificate_after_vote', 'newMemberCertificateIssuedOn']]);
    expect(late.errors[0].message.en).toBe('The new-member class certificate was issued on 2026-06-10, after the cell recognition meeting (2026-06-08)');
    // Votes without two thirds alone do not need it yet.
    const withVotes: Record<string, string> = { ...REVIEWED, recognitionInconclusiveVotes: '08/06/2026:9:5:3' };
    const { newMemberCertificateNo: _m, newMemberCertificateIssuedOn: _j, ...votesOnly } = withVotes;
    expect(check(votesOnly)).toMatchObject({ errors: [], stage: 'cell_recognition_vote' });
  });

  it('refuses a recognition step without the steps before it: the ceremony, the review, the cell resolution', () => {
    const { ceremonyDate: _c, ...noCeremony } = REVIEWED;
    expect(errs(check(noCeremony))).toEqual([['import_step_missing', 'ceremonyDate']]);
    const { probationSelfReviewOn: _a, probationMentorReviewOn: _b, probationOpinionsMassOrganizations: _o, probationOpinionsResidence: _r, ...noReview } = CELL_RECOGNIZED;
    expect(errs(check(noReview))).toEqual([['import_step_missing', 'probationSelfReviewOn']]);
    const withVotes: Record<string, string> = { ...GRASSROOTS_RECOGNIZED, recognitionInconclusiveVotes: '08/06/2026:9:5:3' };
    const { recognitionCellMeetingDate: _m, recognitionCellOfficialMembers: _o2, recognitionCellInFavour: _f, ...noResolution } = withVotes;
    expect(errs(check(noResolution))).toEqual([
      ['import_missing_value', 'recognitionCellMeetingDate'],
      ['import_missing_value', 'recognitionCellOfficialMembers'],
      ['import_missing_value', 'recognitionCellInFavour'],
    ]);
  });
});

/** The columns of a step, by key: a row without them. */
function without(row: Record<string, string>, ...keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));
}
const GRASSROOTS_ADMISSION = ['grassrootsResolutionDate', 'grassrootsCommitteeMembers', 'grassrootsInFavour'];
const GRASSROOTS_RECOGNITION = ['recognitionGrassrootsResolutionDate', 'recognitionGrassrootsCommitteeMembers', 'recognitionGrassrootsInFavour'];
const SUPERIOR_ADMISSION = ['admissionDecisionNo', 'admissionDecisionDate', 'superiorBoardMembers', 'superiorInFavour'];
/** Up to the cell's admission vote (07/04/2025). */
const CELL_VOTED = without(ADMITTED, ...GRASSROOTS_ADMISSION, ...SUPERIOR_ADMISSION);
/** The partial committee's appraisal of the admission, between the cell vote (07/04/2025) and the grassroots resolution (21/04/2025). */
const ADMISSION_APPRAISAL = { partialAdmissionAppraisedOn: '14/04/2025', partialAdmissionOpinion: 'Đồng ý', partialAdmissionReportNo: '05-BC/ĐUBP' };
/** Its appraisal of the recognition, between the cell resolution (08/06/2026) and the grassroots one (22/06/2026). */
const RECOGNITION_APPRAISAL = { partialRecognitionAppraisedOn: '15/06/2026', partialRecognitionOpinion: 'đồng ý' };
const lastStep = (r: ReturnType<typeof checkImportRow>) => r.steps.at(-1)!.taskType;

describe('importRouteShape', () => {
  it('reads the shape of a routing: grassroots cell, partial committee, authorised committee, province', () => {
    const base = { cellId: 'c', grassrootsId: 'g', superiorId: 's', trainingCentreId: 't' };
    expect(importRouteShape(undefined)).toEqual({});
    expect(importRouteShape({ ...base, grassrootsIsCell: true })).toEqual({ grassrootsIsCell: true, partialCommittee: false, grassrootsAuthorised: false, provinceCommittee: false });
    expect(importRouteShape({ ...base, grassrootsIsCell: false, partialCommitteeId: 'p', grassrootsAuthorised: true, provinceId: 'pr' })).toEqual({
      grassrootsIsCell: false,
      partialCommittee: true,
      grassrootsAuthorised: true,
      provinceCommittee: true,
    });
  });
});

describe('checkImportRow, a cell under a partial committee (đảng ủy bộ phận)', () => {
  it('offers the appraisal columns in the template, in Vietnamese and English', () => {
    const header = importTemplateCsv();
    for (const key of ['partialAdmissionAppraisedOn', 'partialAdmissionOpinion', 'partialAdmissionReportNo', 'partialRecognitionAppraisedOn', 'partialRecognitionOpinion', 'partialRecognitionReportNo']) {
      const col = IMPORT_COLUMNS.find((c) => c.key === key)!;
      expect(header).toContain(`${col.vi} [${key}]`);
      expect(col.vi).toMatch(/đảng ủy bộ phận/);
      expect(col.en).toMatch(/Partial committee/);
    }
    // Each label is read back as its column (labels are unique once folded).
    const f = parseImportFile(IMPORT_COLUMNS.map((c) => `"${c.vi}"`).join(',') + '\n');
    expect(f.errors).toEqual([]);
  });

  it('puts a row whose last step is the cell vote at the partial committee appraisal', () => {
    expect(check(CELL_VOTED, UNDER_PARTIAL)).toMatchObject({ errors: [], stage: 'partial_admission_appraisal' });
    // The same row of a cell directly under its grassroots committee is at the grassroots review, as before.
    expect(check(CELL_VOTED)).toMatchObject({ errors: [], stage: 'grassroots_admission_review' });
  });

  it('records the appraisal with its date, opinion and report number, and puts the row at the grassroots review', () => {
    const r = check({ ...CELL_VOTED, ...ADMISSION_APPRAISAL }, UNDER_PARTIAL);
    expect(r).toMatchObject({ errors: [], stage: 'grassroots_admission_review' });
    expect(r.steps.at(-1)).toEqual({ taskType: 'partial_admission_appraisal', outcome: 'submit', data: { appraisedOn: '2025-04-14', opinion: 'agree', reportNo: '05-BC/ĐUBP' } });
    // A disagreeing appraisal is reported all the same (the grassroots committee decides); no report number: none sent.
    const disagree = check({ ...CELL_VOTED, partialAdmissionAppraisedOn: '14/04/2025', partialAdmissionOpinion: 'không đồng ý' }, UNDER_PARTIAL);
    expect(disagree.steps.at(-1)).toEqual({ taskType: 'partial_admission_appraisal', outcome: 'submit', data: { appraisedOn: '2025-04-14', opinion: 'disagree' } });
  });

  it('puts a row up to the admission decision in the ceremony, the appraisal between the cell vote and the grassroots review', () => {
    const r = check({ ...ADMITTED, ...ADMISSION_APPRAISAL }, UNDER_PARTIAL);
    expect(r).toMatchObject({ errors: [], stage: 'ceremony' });
    expect(r.steps.map((s) => s.taskType).slice(5)).toEqual(['cell_admission_vote', 'partial_admission_appraisal', 'grassroots_admission_review', 'superior_admission_decision']);
  });

  it('requires the appraisal once the grassroots review is filled in, with its date and opinion', () => {
    expect(errs(check(ADMITTED, UNDER_PARTIAL))).toEqual([['import_step_missing', 'partialAdmissionAppraisedOn']]);
    expect(errs(check({ ...ADMITTED, partialAdmissionAppraisedOn: '14/04/2025' }, UNDER_PARTIAL))).toEqual([['import_missing_value', 'partialAdmissionOpinion']]);
    expect(errs(check({ ...ADMITTED, partialAdmissionReportNo: '05-BC/ĐUBP' }, UNDER_PARTIAL))).toEqual([
      ['import_missing_value', 'partialAdmissionAppraisedOn'],
      ['import_missing_value', 'partialAdmissionOpinion'],
    ]);
    const unread = check({ ...ADMITTED, ...ADMISSION_APPRAISAL, partialAdmissionOpinion: 'có lẽ' }, UNDER_PARTIAL);
    expect(errs(unread)).toEqual([['import_invalid_choice', 'partialAdmissionOpinion']]);
  });

  it('refuses an appraisal dated before the cell vote, and a grassroots resolution dated before the appraisal', () => {
    expect(errs(check({ ...ADMITTED, ...ADMISSION_APPRAISAL, partialAdmissionAppraisedOn: '04/04/2025' }, UNDER_PARTIAL))).toEqual([['date_before_previous_step', 'partialAdmissionAppraisedOn']]);
    expect(errs(check({ ...ADMITTED, ...ADMISSION_APPRAISAL, partialAdmissionAppraisedOn: '22/04/2025' }, UNDER_PARTIAL))).toEqual([['date_before_previous_step', 'grassrootsResolutionDate']]);
  });

  it('refuses the appraisal columns of a cell without a partial committee, and of a grassroots cell', () => {
    expect(errs(check({ ...ADMITTED, ...ADMISSION_APPRAISAL }))).toEqual([['import_step_not_applicable', 'partialAdmissionAppraisedOn']]);
    expect(check({ ...ADMITTED, ...ADMISSION_APPRAISAL }).errors[0].message.en).toBe(
      'Step "Đảng ủy bộ phận thẩm định, báo cáo đảng ủy cơ sở" does not apply to this cell (a grassroots cell, a cell of a grassroots committee authorised to admit, or a cell not under a partial committee)',
    );
    expect(errs(check({ ...without(ADMITTED, ...GRASSROOTS_ADMISSION), ...ADMISSION_APPRAISAL }, GRASSROOTS_CELL))).toEqual([['import_step_not_applicable', 'partialAdmissionAppraisedOn']]);
    expect(errs(check({ ...GRASSROOTS_RECOGNIZED, ...RECOGNITION_APPRAISAL }))).toEqual([['import_step_not_applicable', 'partialRecognitionAppraisedOn']]);
  });

  it('puts a row with the cell recognition resolution at the appraisal of the recognition, then the grassroots review, then the competent committee', () => {
    expect(check({ ...CELL_RECOGNIZED, ...ADMISSION_APPRAISAL }, UNDER_PARTIAL)).toMatchObject({ errors: [], stage: 'partial_recognition_appraisal' });
    const appraised = check({ ...CELL_RECOGNIZED, ...ADMISSION_APPRAISAL, ...RECOGNITION_APPRAISAL }, UNDER_PARTIAL);
    expect(appraised).toMatchObject({ errors: [], stage: 'grassroots_recognition_review' });
    expect(appraised.steps.at(-1)).toEqual({ taskType: 'partial_recognition_appraisal', outcome: 'submit', data: { appraisedOn: '2026-06-15', opinion: 'agree' } });
    const all = check({ ...GRASSROOTS_RECOGNIZED, ...ADMISSION_APPRAISAL, ...RECOGNITION_APPRAISAL }, UNDER_PARTIAL);
    expect(all).toMatchObject({ errors: [], stage: 'superior_recognition_decision' });
    expect(all.steps.map((s) => s.taskType).slice(-3)).toEqual(['cell_recognition_vote', 'partial_recognition_appraisal', 'grassroots_recognition_review']);
  });

  it('requires the appraisal of the recognition once the grassroots recognition review is filled in, after the 12 months and the cell resolution', () => {
    expect(errs(check({ ...GRASSROOTS_RECOGNIZED, ...ADMISSION_APPRAISAL }, UNDER_PARTIAL))).toEqual([['import_step_missing', 'partialRecognitionAppraisedOn']]);
    expect(errs(check({ ...GRASSROOTS_RECOGNIZED, ...ADMISSION_APPRAISAL, ...RECOGNITION_APPRAISAL, partialRecognitionAppraisedOn: '05/06/2026' }, UNDER_PARTIAL))).toEqual([
      ['date_before_previous_step', 'partialRecognitionAppraisedOn'],
    ]);
    // The appraisal alone (no cell resolution): the resolution is needed before it.
    const noResolution = without({ ...CELL_RECOGNIZED, ...ADMISSION_APPRAISAL, ...RECOGNITION_APPRAISAL }, 'recognitionCellMeetingDate', 'recognitionCellOfficialMembers', 'recognitionCellInFavour');
    expect(errs(check(noResolution, UNDER_PARTIAL))).toEqual([
      ['import_step_missing', 'recognitionInconclusiveVotes'],
      ['import_missing_value', 'recognitionCellMeetingDate'],
      ['import_missing_value', 'recognitionCellOfficialMembers'],
      ['import_missing_value', 'recognitionCellInFavour'],
    ]);
  });

  it('sends three cell recognition votes without two thirds straight to the competent committee, past the appraisal', () => {
    const three = check({ ...REVIEWED, ...ADMISSION_APPRAISAL, recognitionInconclusiveVotes: '08/06/2026:9:5:3; 22/06/2026:9:5:2; 06/07/2026:9:4:4' }, UNDER_PARTIAL);
    expect(three).toMatchObject({ errors: [], stage: 'superior_recognition_decision' });
  });
});

describe('checkImportRow, a grassroots committee authorised to admit', () => {
  it('puts a row whose last step is the cell vote at the committee\'s own admission decision', () => {
    const r = check(CELL_VOTED, AUTHORISED);
    expect(r).toMatchObject({ errors: [], stage: 'superior_admission_decision' });
    expect(lastStep(r)).toBe('cell_admission_vote');
  });

  it('takes the admission decision columns as the committee\'s, with no grassroots review', () => {
    const r = check(without(ADMITTED, ...GRASSROOTS_ADMISSION), AUTHORISED);
    expect(r).toMatchObject({ errors: [], stage: 'ceremony' });
    expect(r.steps.map((s) => s.taskType).slice(5)).toEqual(['cell_admission_vote', 'superior_admission_decision']);
    expect(r.steps.at(-1)!.data).toMatchObject({ boardMembers: 9, inFavour: 7, decisionNo: '123-QĐ/ĐU' });
  });

  it('refuses the grassroots review columns, of the admission and of the recognition', () => {
    expect(errs(check(ADMITTED, AUTHORISED))).toEqual([['import_step_not_applicable', 'grassrootsResolutionDate']]);
    expect(errs(check(without(GRASSROOTS_RECOGNIZED, ...GRASSROOTS_ADMISSION), AUTHORISED))).toEqual([['import_step_not_applicable', 'recognitionGrassrootsResolutionDate']]);
  });

  it('puts a row with the cell recognition resolution at the committee\'s recognition decision', () => {
    expect(check(without(CELL_RECOGNIZED, ...GRASSROOTS_ADMISSION), AUTHORISED)).toMatchObject({ errors: [], stage: 'superior_recognition_decision' });
  });

  it('with a partial committee too: the appraisals, then the committee\'s decisions', () => {
    const shape = { ...AUTHORISED, partialCommittee: true };
    expect(check({ ...CELL_VOTED, ...ADMISSION_APPRAISAL }, shape)).toMatchObject({ errors: [], stage: 'superior_admission_decision' });
    expect(check({ ...without(CELL_RECOGNIZED, ...GRASSROOTS_ADMISSION), ...ADMISSION_APPRAISAL }, shape)).toMatchObject({ errors: [], stage: 'partial_recognition_appraisal' });
    expect(check({ ...without(CELL_RECOGNIZED, ...GRASSROOTS_ADMISSION), ...ADMISSION_APPRAISAL, ...RECOGNITION_APPRAISAL }, shape)).toMatchObject({ errors: [], stage: 'superior_recognition_decision' });
  });

  it('keeps the grassroots review of a candidate over the maximum age where a province committee decides (as the case routes it)', () => {
    // Born 01/03/1964: over 60 at the cell meeting of 07/04/2025.
    const old = { ...CELL_VOTED, dateOfBirth: '01/03/1964' };
    expect(check(old, { ...AUTHORISED, provinceCommittee: true })).toMatchObject({ errors: [], stage: 'grassroots_admission_review' });
    expect(check({ ...ADMITTED, dateOfBirth: '01/03/1964' }, { ...AUTHORISED, provinceCommittee: true })).toMatchObject({ errors: [], stage: 'ceremony' });
    // Without a province committee the authorised committee decides (the age rule is the dry run's).
    expect(check(old, AUTHORISED)).toMatchObject({ errors: [], stage: 'superior_admission_decision' });
  });
});

describe('stageAfter', () => {
  const upToCellVote = ['recognize_sympathiser', 'record_training_certificate', 'submit_application', 'verify_background', 'record_introductions', 'cell_admission_vote'] as const;
  const upToCellRecognition = [...upToCellVote, 'superior_admission_decision', 'admission_ceremony', 'probation_review', 'cell_recognition_vote'] as const;

  it('gives the stage after the cell vote on each shape of route', () => {
    expect(stageAfter(upToCellVote)).toBe('grassroots_admission_review');
    expect(stageAfter(upToCellVote, GRASSROOTS_CELL)).toBe('superior_admission_decision');
    expect(stageAfter(upToCellVote, UNDER_PARTIAL)).toBe('partial_admission_appraisal');
    expect(stageAfter(upToCellVote, AUTHORISED)).toBe('superior_admission_decision');
    expect(stageAfter([...upToCellVote, 'partial_admission_appraisal'], UNDER_PARTIAL)).toBe('grassroots_admission_review');
    expect(stageAfter([...upToCellVote, 'partial_admission_appraisal'], { ...UNDER_PARTIAL, grassrootsAuthorised: true })).toBe('superior_admission_decision');
    expect(stageAfter(upToCellVote, AUTHORISED, { admissionByProvince: true })).toBe('grassroots_admission_review');
  });

  it('gives the stage after the cell recognition resolution on each shape of route', () => {
    const recognized = { cellRecognition: 'recognized' as const };
    expect(stageAfter(upToCellRecognition, {}, recognized)).toBe('grassroots_recognition_review');
    expect(stageAfter(upToCellRecognition, GRASSROOTS_CELL, recognized)).toBe('superior_recognition_decision');
    expect(stageAfter(upToCellRecognition, UNDER_PARTIAL, recognized)).toBe('partial_recognition_appraisal');
    expect(stageAfter(upToCellRecognition, AUTHORISED, recognized)).toBe('superior_recognition_decision');
    expect(stageAfter([...upToCellRecognition, 'partial_recognition_appraisal'], UNDER_PARTIAL, recognized)).toBe('grassroots_recognition_review');
    expect(stageAfter(upToCellRecognition, UNDER_PARTIAL, { cellRecognition: 'escalated' })).toBe('superior_recognition_decision');
    expect(stageAfter(upToCellRecognition, UNDER_PARTIAL, { cellRecognition: 'inconclusive' })).toBe('cell_recognition_vote');
  });
});
