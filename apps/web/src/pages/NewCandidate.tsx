import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { EDUCATION_LEVELS } from '../../../../libs/domain/src/procedure.js';
import { LEFT_HOW, NEVER_READMITTED, readmissionEligibleOn, type LeftHow } from '../../../../libs/domain/src/readmission.js';
import { OCCUPATIONS, PROFESSIONAL_QUALIFICATIONS } from '../../../../libs/domain/src/reports.js';
import { api, ApiError, newIdempotencyKey } from '../api.js';
import { ErrorBox, UnitOptions, useToday } from '../components/common.js';
import { DateInput } from '../components/DateInput.js';
import { EDUCATION_NAMES, fmtDate, label, stepName, useI18n, type Lang } from '../i18n.js';
import { orgUnits, unitsInJurisdiction, type OrgUnit } from '../orgunits.js';
import { go, href } from '../router.js';
import { useMe, type Me } from '../session.js';

/** The roles that open a candidate's case over a cell (the API checks the jurisdiction: candidates.service.ts create). */
export const CREATOR_ROLES = ['cell_secretary', 'grassroots_committee', 'superior_board', 'admin'];
export const canCreateCandidates = (me: Me) => me.roles.some((r) => CREATOR_ROLES.includes(r.role));

type Names = Record<string, { vi: string; en: string }>;

const OCCUPATION_NAMES: Names = {
  civil_servant: { vi: 'Cán bộ, công chức', en: 'Civil servant' },
  public_employee: { vi: 'Viên chức', en: 'Public employee' },
  armed_forces: { vi: 'Lực lượng vũ trang', en: 'Armed forces' },
  worker: { vi: 'Công nhân', en: 'Worker' },
  farmer: { vi: 'Nông dân', en: 'Farmer' },
  student: { vi: 'Học sinh, sinh viên', en: 'Student' },
  state_enterprise: { vi: 'Người lao động trong doanh nghiệp nhà nước', en: 'State enterprise employee' },
  private_enterprise: { vi: 'Người lao động trong doanh nghiệp tư nhân', en: 'Private enterprise employee' },
  foreign_invested_enterprise: { vi: 'Người lao động trong doanh nghiệp có vốn đầu tư nước ngoài', en: 'Foreign-invested enterprise employee' },
  self_employed: { vi: 'Lao động tự do, kinh doanh cá thể', en: 'Self-employed' },
  other: { vi: 'Khác', en: 'Other' },
};

const QUALIFICATION_NAMES: Names = {
  none: { vi: 'Chưa qua đào tạo chuyên môn', en: 'None' },
  vocational: { vi: 'Sơ cấp, công nhân kỹ thuật', en: 'Vocational' },
  intermediate: { vi: 'Trung cấp', en: 'Intermediate' },
  college: { vi: 'Cao đẳng', en: 'College' },
  university: { vi: 'Đại học', en: 'University' },
  master: { vi: 'Thạc sĩ', en: "Master's" },
  doctorate: { vi: 'Tiến sĩ', en: 'Doctorate' },
};

/** How the person left the Party (libs/domain/src/readmission.ts LEFT_HOW). */
const LEFT_HOW_NAMES: Record<LeftHow, { vi: string; en: string }> = {
  removed: { vi: 'Bị xóa tên', en: 'Removed from the rolls' },
  expelled: { vi: 'Bị khai trừ', en: 'Expelled' },
  resigned_hardship: { vi: 'Xin ra vì hoàn cảnh gia đình đặc biệt khó khăn', en: 'Resigned for exceptionally difficult family circumstances' },
  less_serious_crime: { vi: 'Bị kết án về tội ít nghiêm trọng', en: 'Convicted of a less serious crime' },
  abandoned_activity: { vi: 'Tự bỏ sinh hoạt đảng', en: 'Abandoned party activity' },
  resigned: { vi: 'Xin ra khỏi Đảng', en: 'Resigned' },
  serious_disunity: { vi: 'Gây mất đoàn kết nội bộ nghiêm trọng', en: 'Caused serious internal disunity' },
  corruption_conviction: { vi: 'Bị kết án về tội tham nhũng', en: 'Convicted of corruption' },
  serious_crime_conviction: { vi: 'Bị kết án về tội nghiêm trọng trở lên', en: 'Convicted of a serious crime or worse' },
  family_planning: { vi: 'Bị khai trừ do vi phạm chính sách dân số, kế hoạch hóa gia đình', en: 'Expelled for breaching population and family-planning policy' },
};

const PLACE_KINDS: Names = {
  hamlet: { vi: 'Thôn, xóm', en: 'Hamlet' },
  village: { vi: 'Bản, làng', en: 'Village' },
  residential_group: { vi: 'Tổ dân phố', en: 'Residential group' },
  school: { vi: 'Trường học', en: 'School' },
};

const TEXT = {
  vi: {
    title: 'Quần chúng mới',
    intro: 'Lập hồ sơ theo dõi một quần chúng ưu tú được giới thiệu vào Đảng. Việc đầu tiên của hồ sơ:',
    person: 'Người vào Đảng',
    statistics: 'Thông tin thống kê (không bắt buộc)',
    introduction: 'Nguồn giới thiệu',
    cell: 'Chi bộ',
    noCells: 'Không có chi bộ nào trong phạm vi phụ trách của bạn để lập hồ sơ.',
    fullName: 'Họ và tên',
    dateOfBirth: 'Ngày sinh',
    gender: 'Giới tính',
    female: 'Nữ',
    male: 'Nam',
    choose: '— Chọn —',
    none: '— Không khai —',
    ethnicity: 'Dân tộc',
    religion: 'Tôn giáo',
    religionPlaceholder: 'Không',
    education: 'Trình độ giáo dục phổ thông',
    youthUnionMember: 'Là đoàn viên Đoàn TNCS Hồ Chí Minh',
    hardshipArea: 'Cư trú, công tác ở vùng khó khăn (miền núi, biên giới, hải đảo, vùng đồng bào dân tộc thiểu số, ngư dân thường xuyên làm việc trên biển)',
    occupation: 'Nghề nghiệp',
    sector: 'Lĩnh vực, ngành công tác',
    professionalQualification: 'Trình độ chuyên môn',
    place: 'Nơi cư trú, công tác (thôn, tổ dân phố, trường)',
    organization: 'Tổ chức giới thiệu (ví dụ Đoàn trường, Công đoàn cơ sở)',
    introducedOn: 'Ngày giới thiệu',
    readmission: 'Kết nạp lại (người đã từng là đảng viên)',
    readmissionRules: [
      'Người đã ra khỏi Đảng phải có đủ điều kiện như người vào Đảng lần đầu và chỉ được xem xét kết nạp lại khi đã qua ít nhất 36 tháng kể từ ngày ra khỏi Đảng; người bị kết án về tội ít nghiêm trọng: sau 60 tháng kể từ ngày được xóa án tích.',
      'Chỉ được kết nạp lại một lần. Không xem xét kết nạp lại người ra khỏi Đảng vì tự bỏ sinh hoạt, xin ra (trừ hoàn cảnh gia đình đặc biệt khó khăn), gây mất đoàn kết nội bộ nghiêm trọng, bị kết án về tội tham nhũng hoặc tội nghiêm trọng trở lên.',
      'Ban Thường vụ tỉnh ủy, thành ủy đồng ý bằng văn bản trước khi cấp có thẩm quyền quyết định (bước này mở sau trong quy trình); người được kết nạp lại phải qua thời gian dự bị.',
    ],
    isReadmission: 'Đề nghị kết nạp lại người này',
    leftOn: 'Ngày ra khỏi Đảng',
    leftHow: 'Hình thức ra khỏi Đảng',
    neverHint: 'Theo quy định, người ra khỏi Đảng vì lý do này không được xem xét kết nạp lại.',
    separateHint: 'Trường hợp này được xem xét theo quy định riêng của Ban Bí thư, không lập hồ sơ ở đây.',
    recordClearedOn: 'Ngày được xóa án tích',
    previouslyReadmitted: 'Đã từng được kết nạp lại trước đây',
    firstAdmittedOn: 'Ngày kết nạp lần đầu (để tính tuổi Đảng)',
    eligibleOn: (d: string) => `Theo các ngày đã khai, sớm nhất từ ngày ${d} mới được xem xét kết nạp lại.`,
    submit: 'Lập hồ sơ',
    submitting: 'Đang gửi…',
    missing: 'Còn thiếu thông tin bắt buộc:',
    missingField: 'Bắt buộc',
    missingDate: 'Bắt buộc, ngày dạng dd/mm/yyyy',
    cancel: 'Hủy',
    required: 'Các ô có dấu * là bắt buộc.',
  },
  en: {
    title: 'New candidate',
    intro: "Open the case of an outstanding person introduced to the Party. The case's first task:",
    person: 'The candidate',
    statistics: 'Statistics (optional)',
    introduction: 'Introduction',
    cell: 'Cell',
    noCells: 'There is no cell in your jurisdiction to open a case in.',
    fullName: 'Full name',
    dateOfBirth: 'Date of birth',
    gender: 'Sex',
    female: 'Female',
    male: 'Male',
    choose: '— Choose —',
    none: '— Not stated —',
    ethnicity: 'Ethnicity',
    religion: 'Religion',
    religionPlaceholder: 'None',
    education: 'General education',
    youthUnionMember: 'Member of the Ho Chi Minh Communist Youth Union',
    hardshipArea: 'Lives or works in a hardship area (mountains, border, islands, ethnic-minority areas, fishers regularly at sea)',
    occupation: 'Occupation',
    sector: 'Sector',
    professionalQualification: 'Professional qualification',
    place: 'Place of residence or work (hamlet, residential group, school)',
    organization: 'Introducing organisation (e.g. school Youth Union, trade union)',
    introducedOn: 'Introduced on',
    readmission: 'Re-admission (a former party member)',
    readmissionRules: [
      'A former member must meet every condition of a first admission and may be considered only 36 months after leaving the Party; after a conviction for a less serious crime, 60 months after the criminal record is cleared.',
      'Re-admission happens once only. Never re-admitted: those who left by abandoning party activity, by resigning (except for exceptionally difficult family circumstances), for serious internal disunity, or after a conviction for corruption or for a serious crime or worse.',
      "The province standing board's written approval comes before the competent committee decides (a later step of the procedure); a re-admitted member serves the probation again.",
    ],
    isReadmission: 'Re-admit this person',
    leftOn: 'Left the Party on',
    leftHow: 'How the person left the Party',
    neverHint: 'Under the rules a person who left the Party this way is never re-admitted.',
    separateHint: 'This case follows separate Secretariat rules and is not opened here.',
    recordClearedOn: 'Criminal record cleared on',
    previouslyReadmitted: 'Was re-admitted before',
    firstAdmittedOn: 'First admitted on (party age counts from it)',
    eligibleOn: (d: string) => `From the dates given, re-admission can be considered from ${d}.`,
    submit: 'Open the case',
    submitting: 'Sending…',
    missing: 'Required information is missing:',
    missingField: 'Required',
    missingDate: 'Required, a date as dd/mm/yyyy',
    cancel: 'Cancel',
    required: 'Fields marked * are required.',
  },
};

interface Place {
  id: string;
  name: string;
  kind: string;
  orgUnitId: string;
}

interface Form {
  cellId: string;
  fullName: string;
  dateOfBirth: string;
  gender: string;
  ethnicity: string;
  religion: string;
  education: string;
  youthUnionMember: boolean;
  hardshipArea: boolean;
  occupation: string;
  sector: string;
  professionalQualification: string;
  placeId: string;
  organization: string;
  introducedOn: string;
  isReadmission: boolean;
  leftOn: string;
  leftHow: string;
  recordClearedOn: string;
  previouslyReadmitted: boolean;
  firstAdmittedOn: string;
}

const EMPTY: Form = {
  cellId: '',
  fullName: '',
  dateOfBirth: '',
  gender: '',
  ethnicity: '',
  religion: '',
  education: '',
  youthUnionMember: false,
  hardshipArea: false,
  occupation: '',
  sector: '',
  professionalQualification: '',
  placeId: '',
  organization: '',
  introducedOn: '',
  isReadmission: false,
  leftOn: '',
  leftHow: '',
  recordClearedOn: '',
  previouslyReadmitted: false,
  firstAdmittedOn: '',
};

/** The API's field path (CreateCandidate) → the input that shows it. */
const FIELD_IDS: Record<string, string> = {
  cellId: 'nc-cell',
  fullName: 'nc-fullName',
  dateOfBirth: 'nc-dateOfBirth',
  gender: 'nc-gender',
  ethnicity: 'nc-ethnicity',
  religion: 'nc-religion',
  education: 'nc-education',
  occupation: 'nc-occupation',
  sector: 'nc-sector',
  professionalQualification: 'nc-qualification',
  placeId: 'nc-place',
  'source.organization': 'nc-organization',
  'source.introducedOn': 'nc-introducedOn',
  'readmission.leftOn': 'nc-leftOn',
  'readmission.leftHow': 'nc-leftHow',
  'readmission.recordClearedOn': 'nc-recordClearedOn',
  'readmission.previouslyReadmitted': 'nc-previouslyReadmitted',
  'readmission.firstAdmittedOn': 'nc-firstAdmittedOn',
};

/** The required fields the form checks before sending (the API checks again). */
function missingFields(f: Form): string[] {
  const m: string[] = [];
  if (!f.cellId) m.push('cellId');
  if (f.fullName.trim().length < 2) m.push('fullName');
  if (!f.dateOfBirth) m.push('dateOfBirth');
  if (!f.gender) m.push('gender');
  if (!f.ethnicity.trim()) m.push('ethnicity');
  if (!f.education) m.push('education');
  if (!f.organization.trim()) m.push('source.organization');
  if (!f.introducedOn) m.push('source.introducedOn');
  if (f.isReadmission) {
    if (!f.leftOn) m.push('readmission.leftOn');
    if (!f.leftHow) m.push('readmission.leftHow');
    if (f.leftHow === 'less_serious_crime' && !f.recordClearedOn) m.push('readmission.recordClearedOn');
  }
  return m;
}

/** The request body (CreateCandidate): optional fields left empty are left out. */
function toBody(f: Form): Record<string, unknown> {
  const b: Record<string, unknown> = {
    cellId: f.cellId,
    fullName: f.fullName.trim(),
    dateOfBirth: f.dateOfBirth,
    gender: f.gender,
    ethnicity: f.ethnicity.trim(),
    education: f.education,
    youthUnionMember: f.youthUnionMember,
    hardshipArea: f.hardshipArea,
    source: { organization: f.organization.trim(), introducedOn: f.introducedOn },
  };
  if (f.religion.trim()) b.religion = f.religion.trim();
  if (f.occupation) b.occupation = f.occupation;
  if (f.sector.trim()) b.sector = f.sector.trim();
  if (f.professionalQualification) b.professionalQualification = f.professionalQualification;
  if (f.placeId) b.placeId = f.placeId;
  if (f.isReadmission) {
    b.readmission = {
      leftOn: f.leftOn,
      leftHow: f.leftHow,
      ...(f.leftHow === 'less_serious_crime' && f.recordClearedOn ? { recordClearedOn: f.recordClearedOn } : {}),
      previouslyReadmitted: f.previouslyReadmitted,
      ...(f.firstAdmittedOn ? { firstAdmittedOn: f.firstAdmittedOn } : {}),
    };
  }
  return b;
}

/** The units on the cell's line (the cell and the units above it): the places a case may name lie there. */
function lineOf(all: OrgUnit[], cellId: string): OrgUnit[] {
  const byId = new Map(all.map((u) => [u.id, u]));
  const out: OrgUnit[] = [];
  for (let u = byId.get(cellId); u && out.length < 20; u = u.parentId ? byId.get(u.parentId) : undefined) out.push(u);
  return out;
}

/**
 * Opens a candidate's case (POST /api/candidates): the cell, the person's facts, who introduced them, and for
 * a former member the re-admission facts the API checks (§2.4). One Idempotency-Key per submission, kept when
 * the attempt got no answer (network, 5xx) so a retry never opens a second case.
 */
export function NewCandidatePage() {
  const { lang, t } = useI18n();
  const l = TEXT[lang];
  const me = useMe()!;
  const today = useToday();
  const [all, setAll] = useState<OrgUnit[]>();
  const [form, setForm] = useState<Form>(EMPTY);
  const [places, setPlaces] = useState<Place[]>([]);
  const [error, setError] = useState<unknown>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const pending = useRef<{ key: string; body: string } | null>(null);

  useEffect(() => {
    orgUnits().then(setAll, setError);
  }, []);
  const cells = useMemo(() => (all ? unitsInJurisdiction(all, me).filter((u) => u.kind === 'cell' || u.kind === 'grassroots_cell') : []), [all, me]);
  // One cell in reach: it is the one.
  useEffect(() => {
    if (cells.length === 1 && !form.cellId) setForm((f) => ({ ...f, cellId: cells[0].id }));
  }, [cells, form.cellId]);
  // The business today (Vietnam) is the default introduction date.
  useEffect(() => {
    if (today) setForm((f) => (f.introducedOn ? f : { ...f, introducedOn: today }));
  }, [today]);
  // A server message is in the language it was asked in: switching the language clears it.
  useEffect(() => {
    setError(undefined);
    setFieldErrors({});
  }, [lang]);

  // The places on the cell's line that the user may read (a refusal leaves the picker shorter, never the form broken).
  useEffect(() => {
    setPlaces([]);
    if (!all || !form.cellId) return;
    let live = true;
    const readable = new Set(unitsInJurisdiction(all, me).map((u) => u.id));
    const line = lineOf(all, form.cellId).filter((u) => readable.has(u.id) && u.kind !== 'province');
    const onLine = new Set(line.map((u) => u.id));
    Promise.all(line.map((u) => api<{ items: Place[] }>('GET', `/places?orgUnitId=${u.id}&limit=500`).then((r) => r.items, () => [] as Place[]))).then((lists) => {
      if (!live) return;
      const seen = new Map<string, Place>();
      for (const p of lists.flat()) if (onLine.has(p.orgUnitId)) seen.set(p.id, p);
      setPlaces([...seen.values()].sort((a, b) => a.name.localeCompare(b.name, 'vi')));
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [all, form.cellId]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v, ...(k === 'cellId' ? { placeId: '' } : {}) }));
    setFieldErrors((e) => {
      const path = Object.keys(FIELD_IDS).find((p) => p === k || p.endsWith('.' + String(k)));
      if (!path || !e[path]) return e;
      const { [path]: _, ...rest } = e;
      return rest;
    });
  };

  const fieldLabel: Record<string, string> = {
    cellId: l.cell,
    fullName: l.fullName,
    dateOfBirth: l.dateOfBirth,
    gender: l.gender,
    ethnicity: l.ethnicity,
    education: l.education,
    'source.organization': l.organization,
    'source.introducedOn': l.introducedOn,
    'readmission.leftOn': l.leftOn,
    'readmission.leftHow': l.leftHow,
    'readmission.recordClearedOn': l.recordClearedOn,
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const missing = missingFields(form);
    if (missing.length) {
      setFieldErrors(Object.fromEntries(missing.map((m) => [m, /On$|dateOfBirth/.test(m) ? l.missingDate : l.missingField])));
      setError(new Error(`${l.missing} ${missing.map((m) => fieldLabel[m] ?? m).join(', ')}`));
      document.getElementById(FIELD_IDS[missing[0]])?.focus();
      return;
    }
    setFieldErrors({});
    const body = toBody(form);
    const json = JSON.stringify(body);
    // A retry of the same submission keeps its key; a changed form, or one the API has answered, gets a new one.
    if (!pending.current || pending.current.body !== json) pending.current = { key: newIdempotencyKey(), body: json };
    setBusy(true);
    try {
      const created = await api<{ id: string }>('POST', '/candidates', body, { 'Idempotency-Key': pending.current.key });
      pending.current = null;
      go(`candidates/${encodeURIComponent(created.id)}`);
    } catch (err) {
      // A refusal is the answer for this key (replayed as is): the next attempt is a new submission.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.body.code !== 'idempotency_in_progress') pending.current = null;
      setError(err);
      if (err instanceof ApiError) {
        const byField: Record<string, string> = {};
        for (const v of err.body.violations ?? []) if (v.field && FIELD_IDS[v.field] && !byField[v.field]) byField[v.field] = v.message;
        setFieldErrors(byField);
      }
    } finally {
      setBusy(false);
    }
  }

  const leftHow = form.leftHow as LeftHow | '';
  const eligibleOn =
    form.isReadmission && form.leftOn && leftHow && !NEVER_READMITTED.includes(leftHow)
      ? readmissionEligibleOn({ leftOn: form.leftOn, leftHow, recordClearedOn: form.recordClearedOn || undefined, previouslyReadmitted: form.previouslyReadmitted })
      : undefined;

  const field = (path: string, text: string, required: boolean, input: (p: { id: string; invalid: boolean; describedBy?: string }) => ReactNode, hint?: string) => {
    const id = FIELD_IDS[path];
    const err = fieldErrors[path];
    const describedBy = [err ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div className="field">
        <label htmlFor={id}>{text + (required ? ' *' : '')}</label>
        {input({ id, invalid: Boolean(err), describedBy })}
        {hint && (
          <small className="muted" id={`${id}-hint`}>
            {hint}
          </small>
        )}
        {err && (
          <small className="field-error" id={`${id}-error`}>
            {err}
          </small>
        )}
      </div>
    );
  };
  const date = (path: string, key: keyof Form, text: string, required: boolean, hint?: string) =>
    field(path, text, required, ({ id }) => <DateInput id={id} value={String(form[key])} onChange={(v) => set(key, v as never)} />, hint);
  const text = (path: string, key: keyof Form, label: string, required: boolean, extra: { placeholder?: string; maxLength?: number } = {}) =>
    field(path, label, required, ({ id, invalid, describedBy }) => (
      <input id={id} value={String(form[key])} aria-invalid={invalid || undefined} aria-describedby={describedBy} maxLength={extra.maxLength ?? 200} placeholder={extra.placeholder} onChange={(e) => set(key, e.target.value as never)} />
    ));
  const select = (path: string, key: keyof Form, label: string, required: boolean, options: [string, string][], empty: string) =>
    field(path, label, required, ({ id, invalid, describedBy }) => (
      <select id={id} value={String(form[key])} aria-invalid={invalid || undefined} aria-describedby={describedBy} onChange={(e) => set(key, e.target.value as never)}>
        <option value="">{empty}</option>
        {options.map(([v, name]) => (
          <option key={v} value={v}>
            {name}
          </option>
        ))}
      </select>
    ));
  const names = (keys: readonly string[], map: Names, lng: Lang): [string, string][] => keys.map((k) => [k, label(map, k, lng)]);

  return (
    <div className="new-candidate">
      <p>
        <a href={href('inbox')}>{t.backToInbox}</a>
      </p>
      <h1>{l.title}</h1>
      <p className="muted">
        {l.intro} <strong>{stepName('recognize_sympathiser', lang)}</strong>. {l.required}
      </p>
      {all && cells.length === 0 ? (
        <p className="warning">{l.noCells}</p>
      ) : (
        <form className="card" noValidate onSubmit={submit} aria-labelledby="nc-title" data-testid="new-candidate-form">
          <h2 id="nc-title">{l.person}</h2>
          <div className="field">
            <label htmlFor="nc-cell">{l.cell} *</label>
            <select id="nc-cell" value={form.cellId} aria-invalid={fieldErrors.cellId ? true : undefined} onChange={(e) => set('cellId', e.target.value)}>
              <option value="">{all ? l.choose : t.loading}</option>
              <UnitOptions units={cells} />
            </select>
            {fieldErrors.cellId && <small className="field-error">{fieldErrors.cellId}</small>}
          </div>
          <div className="row">
            {text('fullName', 'fullName', l.fullName, true)}
            {date('dateOfBirth', 'dateOfBirth', l.dateOfBirth, true)}
            {select('gender', 'gender', l.gender, true, [['female', l.female], ['male', l.male]], l.choose)}
          </div>
          <div className="row">
            {text('ethnicity', 'ethnicity', l.ethnicity, true, { placeholder: 'Kinh', maxLength: 100 })}
            {text('religion', 'religion', l.religion, false, { placeholder: l.religionPlaceholder, maxLength: 100 })}
            {select('education', 'education', l.education, true, names(EDUCATION_LEVELS, EDUCATION_NAMES, lang), l.choose)}
          </div>
          <div className="field check">
            <input id="nc-youth" type="checkbox" checked={form.youthUnionMember} onChange={(e) => set('youthUnionMember', e.target.checked)} />
            <label htmlFor="nc-youth">{l.youthUnionMember}</label>
          </div>
          <div className="field check">
            <input id="nc-hardship" type="checkbox" checked={form.hardshipArea} onChange={(e) => set('hardshipArea', e.target.checked)} />
            <label htmlFor="nc-hardship">{l.hardshipArea}</label>
          </div>

          <h2>{l.introduction}</h2>
          <div className="row">
            {text('source.organization', 'organization', l.organization, true, { maxLength: 300 })}
            {date('source.introducedOn', 'introducedOn', l.introducedOn, true)}
          </div>

          <h2>{l.statistics}</h2>
          <div className="row">
            {select('occupation', 'occupation', l.occupation, false, names(OCCUPATIONS, OCCUPATION_NAMES, lang), l.none)}
            {text('sector', 'sector', l.sector, false)}
            {select('professionalQualification', 'professionalQualification', l.professionalQualification, false, names(PROFESSIONAL_QUALIFICATIONS, QUALIFICATION_NAMES, lang), l.none)}
            {select('placeId', 'placeId', l.place, false, places.map((p) => [p.id, `${p.name} (${label(PLACE_KINDS, p.kind, lang)})`]), l.none)}
          </div>

          <details className="card" data-testid="readmission">
            <summary>
              <strong>{l.readmission}</strong>
              {form.isReadmission && <span className="muted"> — {l.isReadmission}</span>}
            </summary>
            {l.readmissionRules.map((r, i) => (
              <p key={i} className="muted small">
                {r}
              </p>
            ))}
            <div className="field check">
              <input id="nc-readmission" type="checkbox" checked={form.isReadmission} onChange={(e) => set('isReadmission', e.target.checked)} />
              <label htmlFor="nc-readmission">{l.isReadmission}</label>
            </div>
            {form.isReadmission && (
              <>
                <div className="row">
                  {date('readmission.leftOn', 'leftOn', l.leftOn, true)}
                  {select('readmission.leftHow', 'leftHow', l.leftHow, true, names(LEFT_HOW, LEFT_HOW_NAMES, lang), l.choose)}
                  {form.leftHow === 'less_serious_crime' && date('readmission.recordClearedOn', 'recordClearedOn', l.recordClearedOn, true)}
                  {date('readmission.firstAdmittedOn', 'firstAdmittedOn', l.firstAdmittedOn, false)}
                </div>
                <div className="field check">
                  <input id="nc-previouslyReadmitted" type="checkbox" checked={form.previouslyReadmitted} onChange={(e) => set('previouslyReadmitted', e.target.checked)} />
                  <label htmlFor="nc-previouslyReadmitted">{l.previouslyReadmitted}</label>
                </div>
                {leftHow && NEVER_READMITTED.includes(leftHow) && <p className="hint bad">{l.neverHint}</p>}
                {leftHow === 'family_planning' && <p className="hint bad">{l.separateHint}</p>}
                {eligibleOn && <p className="hint" data-testid="readmission-eligible">{l.eligibleOn(fmtDate(eligibleOn))}</p>}
              </>
            )}
          </details>

          <div data-testid="create-error">
            <ErrorBox error={error} />
          </div>
          <div className="row">
            <button type="submit" className="primary" disabled={busy || !all}>
              {busy ? l.submitting : l.submit}
            </button>
            <a href={href('inbox')}>{l.cancel}</a>
          </div>
        </form>
      )}
    </div>
  );
}
