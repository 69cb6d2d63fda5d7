import { useMemo, useState, type FormEvent } from 'react';
import { STEPS, type TaskType } from '../../../../libs/domain/src/procedure.js';
import { moreThanHalfNeeded, reachesMoreThanHalf, reachesTwoThirds, twoThirdsNeeded } from '../../../../libs/domain/src/thresholds.js';
import { label, OUTCOME_NAMES, useI18n, type Lang } from '../i18n.js';

type Kind = 'date' | 'number' | 'text' | 'textarea' | 'checkbox' | 'select';
interface Spec {
  name: string;
  kind: Kind;
  vi: string;
  en: string;
  required?: boolean;
  options?: { value: string; vi: string; en: string }[];
}

const d = (name: string, vi: string, en: string): Spec => ({ name, kind: 'date', vi, en, required: true });
const n = (name: string, vi: string, en: string): Spec => ({ name, kind: 'number', vi, en, required: true });
const txt = (name: string, vi: string, en: string, required = false): Spec => ({ name, kind: 'text', vi, en, required });
const area = (name: string, vi: string, en: string, required = false): Spec => ({ name, kind: 'textarea', vi, en, required });

/** The fields of each step's form (the decision data the rules check). */
export const FORM_FIELDS: Record<TaskType, Spec[]> = {
  recognize_sympathiser: [d('meetingDate', 'Ngày họp chi bộ', 'Cell meeting date'), txt('mentor.fullName', 'Đảng viên được phân công giúp đỡ', 'Assigned mentor')],
  record_training_certificate: [txt('certificateNo', 'Số giấy chứng nhận', 'Certificate number'), d('issuedOn', 'Ngày cấp', 'Issued on')],
  submit_application: [d('applicationDate', 'Ngày làm đơn (mẫu 1-KNĐ)', 'Application date (form 1-KNĐ)'), d('cvSubmittedOn', 'Ngày nộp lý lịch (mẫu 2-KNĐ)', 'CV submitted on (form 2-KNĐ)')],
  verify_background: [
    {
      name: 'conclusion',
      kind: 'select',
      vi: 'Kết luận tiêu chuẩn chính trị',
      en: 'Conclusion on political standards',
      required: true,
      options: [
        { value: 'meets', vi: 'Đủ tiêu chuẩn chính trị', en: 'Meets the political standards' },
        { value: 'does_not_meet', vi: 'Không đủ tiêu chuẩn chính trị', en: 'Does not meet the standards' },
      ],
    },
    d('concludedOn', 'Ngày kết luận', 'Concluded on'),
    area('grounds', 'Căn cứ kết luận', 'Grounds'),
  ],
  record_introductions: [
    { name: 'introducers.0.fullName', kind: 'text', vi: 'Người giới thiệu thứ nhất', en: 'First introducer', required: true },
    { name: 'introducers.0.monthsTogether', kind: 'number', vi: 'Số tháng cùng công tác (người thứ nhất)', en: 'Months working together (first)', required: true },
    { name: 'introducers.0.official', kind: 'checkbox', vi: 'Là đảng viên chính thức', en: 'Is an official member' },
    { name: 'introducers.1.fullName', kind: 'text', vi: 'Người giới thiệu thứ hai', en: 'Second introducer' },
    { name: 'introducers.1.monthsTogether', kind: 'number', vi: 'Số tháng cùng công tác (người thứ hai)', en: 'Months working together (second)' },
    { name: 'introducers.1.official', kind: 'checkbox', vi: 'Là đảng viên chính thức', en: 'Is an official member' },
    txt('youthUnionResolution.number', 'Số nghị quyết giới thiệu của Đoàn (nếu có)', 'Youth Union resolution number (if any)'),
    { name: 'youthUnionResolution.date', kind: 'date', vi: 'Ngày nghị quyết của Đoàn', en: 'Youth Union resolution date' },
    area('opinions.massOrganizations', 'Ý kiến nhận xét của đoàn thể (mẫu 5-KNĐ)', 'Opinions of mass organisations (form 5-KNĐ)', true),
    area('opinions.residence', 'Ý kiến nơi cư trú', 'Opinion of the place of residence', true),
    { name: 'compiledOn', kind: 'date', vi: 'Ngày tổng hợp hồ sơ', en: 'Dossier compiled on' },
  ],
  cell_admission_vote: [d('meetingDate', 'Ngày họp chi bộ', 'Meeting date'), n('officialMembers', 'Số đảng viên chính thức của chi bộ', 'Official members of the cell'), n('inFavour', 'Số đảng viên chính thức tán thành', 'Official members in favour')],
  grassroots_admission_review: [n('committeeMembers', 'Số cấp ủy viên', 'Committee members'), n('inFavour', 'Số cấp ủy viên tán thành', 'Members in favour'), d('resolutionDate', 'Ngày nghị quyết', 'Resolution date')],
  superior_admission_decision: [
    n('boardMembers', 'Số thành viên ban thường vụ', 'Standing board members'),
    n('inFavour', 'Số thành viên tán thành', 'Members in favour'),
    txt('decisionNo', 'Số quyết định kết nạp', 'Admission decision number'),
    d('decisionDate', 'Ngày quyết định', 'Decision date'),
  ],
  admission_ceremony: [d('ceremonyDate', 'Ngày tổ chức lễ kết nạp', 'Ceremony date')],
  record_new_member_training: [txt('certificateNo', 'Số giấy chứng nhận', 'Certificate number'), d('issuedOn', 'Ngày cấp', 'Issued on')],
  probation_review: [
    d('selfReviewOn', 'Ngày tự kiểm điểm (mẫu 10-KNĐ)', 'Self-review date (form 10-KNĐ)'),
    d('mentorReviewOn', 'Ngày nhận xét của đảng viên giúp đỡ (mẫu 11-KNĐ)', 'Mentor review date (form 11-KNĐ)'),
    area('opinions.massOrganizations', 'Ý kiến của đoàn thể', 'Opinions of mass organisations', true),
    area('opinions.residence', 'Ý kiến nơi cư trú', 'Opinion of the place of residence', true),
  ],
  cell_recognition_vote: [
    d('meetingDate', 'Ngày họp chi bộ', 'Meeting date'),
    n('officialMembers', 'Số đảng viên chính thức của chi bộ', 'Official members of the cell'),
    n('inFavour', 'Số phiếu tán thành kết quả đề nghị', 'Votes for the proposed outcome'),
    { name: 'forRemoval', kind: 'number', vi: 'Số phiếu đề nghị xóa tên (nếu có)', en: 'Votes for removal (if any)' },
  ],
  grassroots_recognition_review: [n('committeeMembers', 'Số cấp ủy viên', 'Committee members'), n('inFavour', 'Số cấp ủy viên tán thành', 'Members in favour'), d('resolutionDate', 'Ngày nghị quyết', 'Resolution date')],
  superior_recognition_decision: [
    n('boardMembers', 'Số thành viên', 'Members'),
    n('inFavour', 'Số thành viên tán thành', 'Members in favour'),
    txt('decisionNo', 'Số quyết định', 'Decision number', true),
    d('decisionDate', 'Ngày quyết định', 'Decision date'),
  ],
  overdue_escalation: [area('note', 'Nội dung đôn đốc', 'Follow-up note')],
};

/** Which count the threshold is taken over, and which threshold (the Charter's wording). */
const VOTES: Partial<Record<TaskType, { members: string; kind: 'two_thirds' | 'more_than_half'; passes: string[] }>> = {
  cell_admission_vote: { members: 'officialMembers', kind: 'two_thirds', passes: ['approve'] },
  grassroots_admission_review: { members: 'committeeMembers', kind: 'two_thirds', passes: ['approve'] },
  superior_admission_decision: { members: 'boardMembers', kind: 'more_than_half', passes: ['approve'] },
  cell_recognition_vote: { members: 'officialMembers', kind: 'two_thirds', passes: ['recognize', 'remove'] },
  grassroots_recognition_review: { members: 'committeeMembers', kind: 'two_thirds', passes: ['recognize', 'remove'] },
  superior_recognition_decision: { members: 'boardMembers', kind: 'more_than_half', passes: ['recognize', 'remove'] },
};

type Values = Record<string, string | boolean>;

export function initialValues(type: TaskType, today: string): Values {
  const v: Values = {};
  for (const f of FORM_FIELDS[type]) {
    if (f.kind === 'date' && f.required) v[f.name] = today;
    if (f.kind === 'checkbox') v[f.name] = true;
    if (f.kind === 'select' && f.options) v[f.name] = f.options[0].value;
  }
  return v;
}

/** The decision data from the form: nested paths, numbers parsed, empty optional fields left out. */
export function buildData(type: TaskType, values: Values): Record<string, unknown> {
  const out: Record<string, any> = {};
  const setPath = (path: string, value: unknown) => {
    const keys = path.split('.');
    let o = out;
    keys.forEach((k, i) => {
      const idx = /^\d+$/.test(k) ? Number(k) : k;
      if (i === keys.length - 1) o[idx] = value;
      else {
        if (o[idx] === undefined) o[idx] = /^\d+$/.test(keys[i + 1]) ? [] : {};
        o = o[idx];
      }
    });
  };
  const groupsWithName = new Set<string>();
  for (const f of FORM_FIELDS[type]) {
    const m = /^(introducers\.\d+)\.fullName$/.exec(f.name);
    if (m && String(values[f.name] ?? '').trim()) groupsWithName.add(m[1]);
  }
  for (const f of FORM_FIELDS[type]) {
    const group = /^(introducers\.\d+)\./.exec(f.name)?.[1];
    if (group && !groupsWithName.has(group)) continue;
    const raw = values[f.name];
    if (f.kind === 'checkbox') setPath(f.name, Boolean(raw));
    else if (raw === undefined || raw === '') continue;
    else if (f.kind === 'number') setPath(f.name, Number(raw));
    else setPath(f.name, typeof raw === 'string' ? raw.trim() : raw);
  }
  if (out.introducers) out.introducers = out.introducers.filter(Boolean);
  if (out.youthUnionResolution && (!out.youthUnionResolution.number || !out.youthUnionResolution.date)) delete out.youthUnionResolution;
  return out;
}

/** Live explanation of a vote against the Charter's threshold, in plain words. */
export function VoteHint({ type, values, outcome }: { type: TaskType; values: Values; outcome: string }) {
  const { t } = useI18n();
  const v = VOTES[type];
  if (!v) return null;
  const members = Number(values[v.members]);
  const inFavour = Number(values.inFavour);
  if (!values[v.members] || values.inFavour === undefined || values.inFavour === '' || !Number.isFinite(members) || !Number.isFinite(inFavour)) return null;
  if (inFavour > members) return <p className="hint bad" role="status">{t.votesExceed}</p>;
  const two = v.kind === 'two_thirds';
  const reached = two ? reachesTwoThirds(inFavour, members) : reachesMoreThanHalf(inFavour, members);
  const need = two ? twoThirdsNeeded(members) : moreThanHalfNeeded(members);
  const text = two ? (reached ? t.twoThirdsReached : t.twoThirdsNotReached)(inFavour, members, need) : (reached ? t.majorityReached : t.majorityNotReached)(inFavour, members, need);
  const blocking = !reached && v.passes.includes(outcome);
  return (
    <p className={`hint ${reached ? 'good' : blocking ? 'bad' : ''}`} role="status" aria-live="polite" data-testid="vote-hint">
      {text}
    </p>
  );
}

export function FieldInput({ spec, value, onChange, lang, idPrefix }: { spec: Spec; value: string | boolean | undefined; onChange: (v: string | boolean) => void; lang: Lang; idPrefix: string }) {
  const id = `${idPrefix}-${spec.name.replace(/\./g, '-')}`;
  const text = spec[lang] + (spec.required ? ' *' : '');
  if (spec.kind === 'checkbox') {
    return (
      <div className="field check">
        <input id={id} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} />
        <label htmlFor={id}>{spec[lang]}</label>
      </div>
    );
  }
  let input;
  if (spec.kind === 'textarea') input = <textarea id={id} name={spec.name} rows={3} required={spec.required} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />;
  else if (spec.kind === 'select')
    input = (
      <select id={id} name={spec.name} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
        {spec.options!.map((o) => (
          <option key={o.value} value={o.value}>
            {o[lang]}
          </option>
        ))}
      </select>
    );
  else
    input = (
      <input
        id={id}
        name={spec.name}
        type={spec.kind === 'number' ? 'number' : spec.kind === 'date' ? 'date' : 'text'}
        min={spec.kind === 'number' ? 0 : undefined}
        inputMode={spec.kind === 'number' ? 'numeric' : undefined}
        required={spec.required}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  return (
    <div className="field">
      <label htmlFor={id}>{text}</label>
      {input}
    </div>
  );
}

export function OutcomeChoice({ type, value, onChange, name }: { type: TaskType; value: string; onChange: (v: string) => void; name: string }) {
  const { t, lang } = useI18n();
  const outcomes = STEPS[type].outcomes;
  if (outcomes.length < 2) return null;
  return (
    <fieldset className="outcomes">
      <legend>{t.outcome}</legend>
      {outcomes.map((o) => (
        <label key={o}>
          <input type="radio" name={name} value={o} checked={value === o} onChange={() => onChange(o)} /> {label(OUTCOME_NAMES, o, lang)}
        </label>
      ))}
    </fieldset>
  );
}

export interface Decision {
  outcome: string;
  data: Record<string, unknown>;
  note?: string;
}

/** The form made for one step: fields, the outcome, a live vote check, a note. */
export function DecisionForm({ type, today, busy, onSubmit }: { type: TaskType; today: string; busy: boolean; onSubmit: (d: Decision) => void }) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<Values>(() => initialValues(type, today));
  const [outcome, setOutcome] = useState<string>(STEPS[type].outcomes[0]);
  const [note, setNote] = useState('');
  const [relatives, setRelatives] = useState([
    { relation: 'father', result: 'clear' },
    { relation: 'mother', result: 'clear' },
  ]);
  const fields = useMemo(() => FORM_FIELDS[type], [type]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const data = buildData(type, values);
    if (type === 'verify_background') data.relativesChecked = relatives;
    onSubmit({ outcome, data, note: note.trim() || undefined });
  }

  return (
    <form className="decision" onSubmit={submit} aria-label={t.decision}>
      <OutcomeChoice type={type} value={outcome} onChange={setOutcome} name="outcome" />
      {fields.map((f) => (
        <FieldInput key={f.name} spec={f} lang={lang} idPrefix="f" value={values[f.name]} onChange={(v) => setValues((s) => ({ ...s, [f.name]: v }))} />
      ))}
      {type === 'verify_background' && <Relatives value={relatives} onChange={setRelatives} />}
      <VoteHint type={type} values={values} outcome={outcome} />
      <div className="field">
        <label htmlFor="f-note">{t.note}</label>
        <textarea id="f-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t.submitting : t.submit}
      </button>
    </form>
  );
}

const RELATIONS = [
  ['father', 'Cha đẻ', 'Father'],
  ['mother', 'Mẹ đẻ', 'Mother'],
  ['father_in_law', 'Cha vợ/chồng', 'Father-in-law'],
  ['mother_in_law', 'Mẹ vợ/chồng', 'Mother-in-law'],
  ['carer', 'Người nuôi dưỡng', 'Carer'],
  ['spouse', 'Vợ/chồng', 'Spouse'],
  ['child', 'Con', 'Child'],
  ['self', 'Bản thân', 'Self'],
] as const;
const RESULTS = [
  ['clear', 'Không có vấn đề', 'Clear'],
  ['issue', 'Có vấn đề cần xem xét', 'Issue found'],
  ['exempt_party_member', 'Là đảng viên (miễn thẩm tra)', 'Party member (exempt)'],
  ['deceased', 'Đã mất', 'Deceased'],
] as const;

function Relatives({ value, onChange }: { value: { relation: string; result: string }[]; onChange: (v: { relation: string; result: string }[]) => void }) {
  const { lang } = useI18n();
  const col = lang === 'vi' ? 1 : 2;
  return (
    <fieldset>
      <legend>{lang === 'vi' ? 'Thẩm tra người thân (Quy định 126-QĐ/TW)' : 'Relatives checked (Regulation 126-QĐ/TW)'}</legend>
      {value.map((r, i) => (
        <div className="row" key={i}>
          <label>
            <span className="sr-only">{lang === 'vi' ? 'Quan hệ' : 'Relation'}</span>
            <select aria-label={lang === 'vi' ? `Quan hệ ${i + 1}` : `Relation ${i + 1}`} value={r.relation} onChange={(e) => onChange(value.map((x, j) => (j === i ? { ...x, relation: e.target.value } : x)))}>
              {RELATIONS.map((o) => (
                <option key={o[0]} value={o[0]}>
                  {o[col]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="sr-only">{lang === 'vi' ? 'Kết quả' : 'Result'}</span>
            <select aria-label={lang === 'vi' ? `Kết quả ${i + 1}` : `Result ${i + 1}`} value={r.result} onChange={(e) => onChange(value.map((x, j) => (j === i ? { ...x, result: e.target.value } : x)))}>
              {RESULTS.map((o) => (
                <option key={o[0]} value={o[0]}>
                  {o[col]}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="link danger" onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={lang === 'vi' ? 'Xóa dòng' : 'Remove row'}>
            ×
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...value, { relation: 'spouse', result: 'clear' }])}>
        {lang === 'vi' ? '+ Thêm người thân' : '+ Add relative'}
      </button>
    </fieldset>
  );
}
