import { checkImportRow, importRowKey, importTemplateCsv, IMPORT_COLUMNS, parseCsv, parseImportDate, parseImportFile, stageAfter } from './candidate-import.js';

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

function check(row: Record<string, string>, grassrootsIsCell = false) {
  const file = parseImportFile(csv([row]));
  expect(file.errors).toEqual([]);
  return checkImportRow(file.rows[0], TODAY, grassrootsIsCell);
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

  it('starts a row with no step taken at the source review, and one with the ceremony in probation', () => {
    const bare = Object.fromEntries(Object.entries(ADMITTED).filter(([k]) => !IMPORT_COLUMNS.find((c) => c.key === k)?.step));
    expect(check(bare)).toMatchObject({ errors: [], steps: [], stage: 'source_review' });
    expect(check({ ...ADMITTED, ceremonyDate: '26/05/2025' })).toMatchObject({ errors: [], stage: 'probation' });
  });

  it('sends a grassroots cell from the cell vote straight to the superior, and refuses grassroots columns there', () => {
    const { grassrootsResolutionDate: _a, grassrootsCommitteeMembers: _b, grassrootsInFavour: _c, ...row } = ADMITTED;
    expect(check(row, true)).toMatchObject({ errors: [], stage: 'ceremony' });
    expect(check(ADMITTED, true).errors.map((e) => e.code)).toContain('import_step_not_applicable');
    expect(stageAfter(['recognize_sympathiser', 'record_training_certificate', 'submit_application', 'verify_background', 'record_introductions', 'cell_admission_vote'], true)).toBe('superior_admission_decision');
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
