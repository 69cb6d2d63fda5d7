import { dossierForms, formCodeOf, FORM_CODES, formsToRedoWhenStale, generatedFormSource, lastDecisions, missingFormsFor, type DossierForm, type FormCode } from './dossier-forms.js';
import type { HistoryEventLike } from './history-fold.js';
import type { TaskType } from './procedure.js';

/** A history built step by step, as the workflow records it. */
class History {
  readonly events: HistoryEventLike[] = [];
  constructor(grassrootsIsCell = false) {
    this.add('candidate_created', '2025-01-06', { routing: { cellId: 'c', grassrootsId: 'g', grassrootsIsCell, superiorId: 's', trainingCentreId: 't' } });
  }
  add(type: string, date: string, data: Record<string, any>): this {
    this.events.push({ seq: this.events.length + 1, type, businessDate: date, data });
    return this;
  }
  open(taskType: TaskType, date = '2025-01-06'): this {
    return this.add('task_opened', date, { taskId: `t-${this.events.length}`, taskType });
  }
  decide(taskType: TaskType, outcome: string, decision: Record<string, any> = {}, date = '2025-02-01'): this {
    return this.add('decision_recorded', date, { taskId: `t-${this.events.length}`, taskType, outcome, decision });
  }
}

const YU = { number: '12-NQ/ĐTN', date: '2025-03-01' };

function admitted(h = new History(), opts: { youth?: boolean } = {}): History {
  return h
    .decide('recognize_sympathiser', 'approve')
    .decide('record_training_certificate', 'pass', { certificateNo: 'CN-1', issuedOn: '2025-02-01' })
    .decide('submit_application', 'submit')
    .open('verify_background')
    .decide('verify_background', 'conclude', { conclusion: 'meets' })
    .decide('record_introductions', 'submit', { introducers: [{ fullName: 'A' }], ...(opts.youth ? { youthUnionResolution: YU } : {}), opinions: {} })
    .decide('cell_admission_vote', 'approve', { meetingDate: '2025-04-01', officialMembers: 9, inFavour: 7 })
    .decide('grassroots_admission_review', 'approve', { committeeMembers: 7, inFavour: 6 })
    .decide('superior_admission_decision', 'approve', { boardMembers: 9, inFavour: 7, decisionNo: '123-QĐ/ĐU', decisionDate: '2025-05-02' });
}

const byCode = (forms: DossierForm[]) => Object.fromEntries(forms.map((f) => [f.code, f])) as Record<FormCode, DossierForm>;
const statuses = (forms: DossierForm[]) => Object.fromEntries(forms.map((f) => [f.code, f.status]));

describe('formCodeOf', () => {
  it('reads a catalogue code however it was typed', () => {
    expect(formCodeOf('6-KNĐ')).toBe('6-KNĐ');
    expect(formCodeOf('Mẫu 6-knđ')).toBe('6-KNĐ');
    expect(formCodeOf(' 9 KND ')).toBe('9-KNĐ');
    expect(formCodeOf('4a-KND')).toBe('4A-KNĐ');
    expect(formCodeOf('cn-ntvd')).toBe('CN-NTVĐ');
  });

  it('leaves free labels and numbers outside the catalogue alone', () => {
    expect(formCodeOf('application')).toBeUndefined();
    expect(formCodeOf('17-KNĐ')).toBeUndefined();
    expect(formCodeOf('')).toBeUndefined();
    expect(formCodeOf(null)).toBeUndefined();
  });
});

describe('dossierForms', () => {
  it('lists the whole catalogue in order, CN-NTVĐ to 20-KNĐ with 4A', () => {
    const forms = dossierForms({ events: new History().events, attachments: [], youthUnionMember: false });
    expect(forms.map((f) => f.code)).toEqual([...FORM_CODES]);
    expect(forms).toHaveLength(19);
  });

  it('marks the recognition forms 10–16 not applicable until probation starts, then missing', () => {
    const h = admitted();
    const before = byCode(dossierForms({ events: h.events, attachments: [], youthUnionMember: false }));
    for (const c of ['10-KNĐ', '11-KNĐ', '12-KNĐ', '13-KNĐ', '15-KNĐ', '16-KNĐ'] as const) expect([c, before[c].status, before[c].reason]).toEqual([c, 'not_applicable', 'not_in_probation']);
    h.decide('admission_ceremony', 'held', { ceremonyDate: '2025-05-20' }).add('probation_started', '2025-05-20', { startsOn: '2025-05-20', endsOn: '2026-05-20' });
    const after = byCode(dossierForms({ events: h.events, attachments: [], youthUnionMember: false }));
    for (const c of ['10-KNĐ', '11-KNĐ', '12-KNĐ', '13-KNĐ', '15-KNĐ', '16-KNĐ'] as const) expect([c, after[c].status]).toEqual([c, 'missing']);
  });

  it('marks 7-KNĐ and 14-KNĐ not applicable without a partial committee, and required where one exists', () => {
    const h = admitted();
    expect(byCode(dossierForms({ events: h.events, attachments: [], youthUnionMember: false }))['7-KNĐ']).toMatchObject({ status: 'not_applicable', reason: 'no_partial_committee' });
    expect(byCode(dossierForms({ events: h.events, attachments: [], youthUnionMember: false, partialCommittee: true }))['7-KNĐ'].status).toBe('missing');
  });

  it('needs 4-KNĐ only on the Youth Union route', () => {
    expect(byCode(dossierForms({ events: admitted().events, attachments: [], youthUnionMember: true }))['4-KNĐ']).toMatchObject({ status: 'not_applicable', reason: 'not_youth_union_route' });
    const youth = byCode(dossierForms({ events: admitted(new History(), { youth: true }).events, attachments: [], youthUnionMember: true }));
    expect(youth['4-KNĐ']).toMatchObject({ status: 'missing', recorded: { taskType: 'record_introductions', ref: '12-NQ/ĐTN' } });
    // Before the introductions are recorded, a Youth Union member is expected to take that route.
    expect(byCode(dossierForms({ events: new History().events, attachments: [], youthUnionMember: true }))['4-KNĐ'].status).toBe('missing');
    expect(byCode(dossierForms({ events: new History().events, attachments: [], youthUnionMember: false }))['4-KNĐ'].status).toBe('not_applicable');
  });

  it('needs 4A-KNĐ once the introductions recorded the trade-union route, with its resolution number, and not otherwise', () => {
    const trade = new History()
      .decide('recognize_sympathiser', 'approve')
      .decide('record_introductions', 'submit', {
        introducers: [{ fullName: 'A' }],
        youthUnionAtGrassroots: false,
        tradeUnionResolution: { number: '07-NQ/CĐCS', date: '2025-03-03', tradeUnionMember: true },
        route: 'trade_union',
        opinions: {},
      });
    const forms = byCode(dossierForms({ events: trade.events, attachments: [], youthUnionMember: false }));
    expect(forms['4A-KNĐ']).toMatchObject({ status: 'missing', due: true, recorded: { taskType: 'record_introductions', ref: '07-NQ/CĐCS' } });
    expect(forms['4-KNĐ']).toMatchObject({ status: 'not_applicable', reason: 'not_youth_union_route' });
    // Two members or the Youth Union: 4A-KNĐ does not apply (unless a scan says it exists).
    for (const h of [admitted(), admitted(new History(), { youth: true })]) {
      expect(byCode(dossierForms({ events: h.events, attachments: [], youthUnionMember: true }))['4A-KNĐ']).toMatchObject({ status: 'not_applicable', reason: 'trade_union_route_not_recorded' });
    }
    // It is among the forms the cell vote considers (§3.1 "Youth Union or union introduction resolution (if any)").
    expect(missingFormsFor('cell_admission_vote', dossierForms({ events: trade.events, attachments: [], youthUnionMember: false }))).toContain('4A-KNĐ');
  });

  it('marks the organisation forms present as generated once their decisions are recorded, with their references', () => {
    const forms = byCode(dossierForms({ events: admitted().events, attachments: [], youthUnionMember: false }));
    for (const c of ['5-KNĐ', '6-KNĐ', '8-KNĐ', '9-KNĐ', '20-KNĐ'] as const) expect([c, forms[c].status, forms[c].generated]).toEqual([c, 'present', true]);
    expect(forms['6-KNĐ'].recorded).toMatchObject({ taskType: 'cell_admission_vote', outcome: 'approve', ref: '7/9' });
    expect(forms['9-KNĐ'].recorded).toMatchObject({ ref: '123-QĐ/ĐU' });
    // The candidate's own papers are recorded by the steps but only a scan puts them in the dossier.
    expect(forms['1-KNĐ']).toMatchObject({ status: 'missing', due: true, generated: false });
    expect(forms['CN-NTVĐ']).toMatchObject({ status: 'missing', recorded: { ref: 'CN-1' } });
  });

  it('gives the cell vote of 6-KNĐ over the members it counted (§3.2 S6): 6 of 12 − 3 left out = 6/9', () => {
    const h = admitted();
    const vote = h.events.find((e) => (e as { data?: { taskType?: string } }).data?.taskType === 'cell_admission_vote') as { data: { decision: Record<string, unknown> } } | undefined;
    expect(vote).toBeDefined();
    Object.assign(vote!.data.decision, { officialMembers: 12, exclusions: { suspended: 1, detained: 2 }, denominator: 9, inFavour: 6 });
    expect(byCode(dossierForms({ events: h.events, attachments: [], youthUnionMember: false }))['6-KNĐ'].recorded).toMatchObject({ ref: '6/9' });
  });

  it('links scans by their form code, whatever the code’s spelling', () => {
    const forms = byCode(
      dossierForms({
        events: admitted().events,
        attachments: [
          { id: 'a1', filename: 'don.pdf', formCode: '1-KNĐ' },
          { id: 'a2', filename: 'ly-lich.pdf', formCode: '2-knd' },
          { id: 'a3', filename: 'khac.pdf', formCode: null },
          { id: 'a4', filename: 'cong-doan.pdf', formCode: '4A-KNĐ' },
        ],
        youthUnionMember: false,
      }),
    );
    expect(forms['1-KNĐ']).toMatchObject({ status: 'present', scans: [{ id: 'a1', filename: 'don.pdf' }] });
    expect(forms['2-KNĐ'].status).toBe('present');
    // A trade-union resolution is only known from its scan.
    expect(forms['4A-KNĐ'].status).toBe('present');
    expect(forms['3-KNĐ'].status).toBe('missing');
  });

  it('skips 8-KNĐ and 15-KNĐ for a grassroots-level cell, which sends its resolution straight up', () => {
    const forms = byCode(dossierForms({ events: new History(true).events, attachments: [], youthUnionMember: false }));
    expect(forms['8-KNĐ']).toMatchObject({ status: 'not_applicable', reason: 'grassroots_cell' });
    expect(forms['15-KNĐ']).toMatchObject({ status: 'not_applicable', reason: 'grassroots_cell' });
  });

  it('marks the forms of steps never reached not applicable when the path ended, the refused step’s own too', () => {
    const h = new History()
      .decide('recognize_sympathiser', 'approve')
      .decide('record_training_certificate', 'pass', { certificateNo: 'CN-1' })
      .decide('submit_application', 'submit')
      .decide('verify_background', 'conclude', { conclusion: 'meets' })
      .decide('record_introductions', 'submit', { introducers: [], opinions: {} })
      .open('cell_admission_vote')
      .decide('cell_admission_vote', 'reject', { officialMembers: 9, inFavour: 4 })
      .add('path_ended', '2025-04-01', { endState: 'rejected', step: 'cell_admission_vote' });
    const s = statuses(dossierForms({ events: h.events, attachments: [], youthUnionMember: false }));
    expect(s).toMatchObject({ '5-KNĐ': 'present', '6-KNĐ': 'not_applicable', '8-KNĐ': 'not_applicable', '9-KNĐ': 'not_applicable', '10-KNĐ': 'not_applicable', '1-KNĐ': 'missing' });
  });

  it('has no 16-KNĐ for a member removed from the probationary list, but the removal resolutions are printed', () => {
    const h = admitted()
      .decide('admission_ceremony', 'held')
      .add('probation_started', '2025-05-20', {})
      .decide('probation_review', 'submit', { opinions: {} })
      .decide('cell_recognition_vote', 'remove', { officialMembers: 9, inFavour: 7 })
      .decide('grassroots_recognition_review', 'remove', { committeeMembers: 7, inFavour: 6 })
      .decide('superior_recognition_decision', 'remove', { boardMembers: 9, inFavour: 6, decisionNo: '46-QĐ/ĐU' })
      .add('path_ended', '2026-06-10', { endState: 'removed', step: 'superior_recognition_decision' });
    const s = byCode(dossierForms({ events: h.events, attachments: [], youthUnionMember: false }));
    expect(s['13-KNĐ'].status).toBe('present');
    expect(s['16-KNĐ']).toMatchObject({ status: 'not_applicable', reason: 'removed' });
  });
});

describe('dossierForms after three inconclusive recognition votes', () => {
  it('needs no cell or grassroots recognition resolution: the competent committee decides (T8)', () => {
    const h = admitted().decide('admission_ceremony', 'held').add('probation_started', '2025-05-20', {}).decide('probation_review', 'submit', { opinions: {} });
    for (let i = 0; i < 3; i++) h.decide('cell_recognition_vote', 'inconclusive', { officialMembers: 9, inFavour: 5 });
    h.add('recognition_escalated', '2026-07-01', { votes: 3 }).open('superior_recognition_decision');
    const forms = dossierForms({ events: h.events, attachments: [], youthUnionMember: false });
    expect(byCode(forms)['13-KNĐ']).toMatchObject({ status: 'not_applicable', reason: 'recognition_escalated' });
    expect(missingFormsFor('superior_recognition_decision', forms)).toEqual([]);
  });
});

describe('generatedFormSource', () => {
  it('needs the form’s own decision with an outcome that issues it; 20-KNĐ the application and CV', () => {
    const d = lastDecisions(admitted().events);
    expect(generatedFormSource('9-KNĐ', d)?.data.decisionNo).toBe('123-QĐ/ĐU');
    expect(generatedFormSource('16-KNĐ', d)).toBeUndefined();
    expect(generatedFormSource('1-KNĐ', d)).toBeUndefined();
    expect(generatedFormSource('20-KNĐ', lastDecisions(new History().decide('submit_application', 'submit').events))?.taskType).toBe('submit_application');
    expect(generatedFormSource('20-KNĐ', lastDecisions(new History().events))).toBeUndefined();
  });

  it('takes the last of repeated votes (an inconclusive recognition vote issues no resolution)', () => {
    const h = new History().decide('cell_recognition_vote', 'inconclusive', { inFavour: 5, officialMembers: 9 });
    expect(generatedFormSource('13-KNĐ', lastDecisions(h.events))).toBeUndefined();
    h.decide('cell_recognition_vote', 'recognize', { inFavour: 8, officialMembers: 9 });
    expect(generatedFormSource('13-KNĐ', lastDecisions(h.events))?.data.inFavour).toBe(8);
  });
});

describe('missingFormsFor', () => {
  it('names the applicable forms a step considers that the dossier lacks', () => {
    const h = new History()
      .decide('recognize_sympathiser', 'approve')
      .decide('record_training_certificate', 'pass', { certificateNo: 'CN-1' })
      .decide('submit_application', 'submit')
      .decide('verify_background', 'conclude', { conclusion: 'meets' })
      .decide('record_introductions', 'submit', { introducers: [], opinions: {} })
      .open('cell_admission_vote');
    const forms = dossierForms({ events: h.events, attachments: [{ id: 'a', filename: 'don.pdf', formCode: '1-KNĐ' }], youthUnionMember: false });
    expect(missingFormsFor('cell_admission_vote', forms)).toEqual(['CN-NTVĐ', '2-KNĐ', '3-KNĐ']);
    expect(missingFormsFor('submit_application', forms)).toEqual([]);
  });
});

describe('formsToRedoWhenStale (T2: the cell has not considered the candidate within 12 months)', () => {
  const TU = { number: '07-NQ/CĐCS', date: '2025-03-01', tradeUnionMember: true };

  it('asks for the trade-union resolution (4A-KNĐ) again when the introductions used the trade-union route', () => {
    expect(formsToRedoWhenStale({ tradeUnionResolution: TU })).toEqual(['3-KNĐ', '4A-KNĐ', '5-KNĐ']);
  });

  it('asks for the Youth Union resolution (4-KNĐ) again when the introductions used the Youth Union route', () => {
    expect(formsToRedoWhenStale({ youthUnionResolution: YU })).toEqual(['3-KNĐ', '4-KNĐ', '5-KNĐ']);
  });

  it('asks for no organisation resolution when two party members introduced (none was ever part of the dossier)', () => {
    expect(formsToRedoWhenStale({})).toEqual(['3-KNĐ', '5-KNĐ']);
    expect(formsToRedoWhenStale(undefined)).toEqual(['3-KNĐ', '5-KNĐ']);
  });

  it('asks again for exactly the introduction forms the catalogue says the case needs', () => {
    for (const intro of [{ tradeUnionResolution: TU }, { youthUnionResolution: YU }, {}]) {
      const h = new History()
        .decide('recognize_sympathiser', 'approve')
        .decide('submit_application', 'submit')
        .decide('verify_background', 'conclude', { conclusion: 'meets' })
        .decide('record_introductions', 'submit', { introducers: [{ fullName: 'A' }], ...intro, opinions: {} });
      const needed = dossierForms({ events: h.events, attachments: [], youthUnionMember: false })
        .filter((f) => ['3-KNĐ', '4-KNĐ', '4A-KNĐ', '5-KNĐ'].includes(f.code) && f.status !== 'not_applicable')
        .map((f) => f.code);
      expect(formsToRedoWhenStale(intro)).toEqual(needed);
    }
  });
});
