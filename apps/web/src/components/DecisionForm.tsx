import { useMemo, useState, type FormEvent } from 'react';
import { STEPS, type TaskType } from '../../../../libs/domain/src/procedure.js';
import { moreThanHalfNeeded, reachesMoreThanHalf, reachesTwoThirds, twoThirdsNeeded } from '../../../../libs/domain/src/thresholds.js';
import { label, OUTCOME_NAMES, useI18n, type Lang } from '../i18n.js';
import { DateInput } from './DateInput.js';
import { buildData, FORM_FIELDS, initialValues, voteMembers, voteRule, type Spec, type Values } from '../forms.js';

/** Live explanation of a vote against the Charter's threshold, in plain words. */
export function VoteHint({ type, role, values, outcome }: { type: TaskType; role?: string; values: Values; outcome: string }) {
  const { t } = useI18n();
  const v = voteRule(type, role);
  if (!v) return null;
  const members = voteMembers(type, values);
  const inFavour = Number(values.inFavour);
  if (!values[v.members] || values.inFavour === undefined || values.inFavour === '' || !Number.isFinite(members) || members <= 0 || !Number.isFinite(inFavour)) return null;
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

/** Which introduction route (§2.3) the filled form takes, in plain words. */
export function IntroductionRouteHint({ values }: { values: Values }) {
  const { t } = useI18n();
  const text = String(values['youthUnionResolution.number'] ?? '').trim()
    ? t.routeYouthUnion
    : String(values['tradeUnionResolution.number'] ?? '').trim()
      ? t.routeTradeUnion
      : t.routePartyMembers;
  return (
    <p className="hint" role="status" aria-live="polite" data-testid="route-hint">
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
  else if (spec.kind === 'date') input = <DateInput id={id} name={spec.name} required={spec.required} value={String(value ?? '')} onChange={onChange} />;
  else
    input = (
      <input
        id={id}
        name={spec.name}
        type={spec.kind === 'number' ? 'number' : 'text'}
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
export function DecisionForm({ type, role, today, busy, onSubmit }: { type: TaskType; role?: string; today: string; busy: boolean; onSubmit: (d: Decision) => void }) {
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
      {type === 'record_introductions' && <IntroductionRouteHint values={values} />}
      <VoteHint type={type} role={role} values={values} outcome={outcome} />
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
