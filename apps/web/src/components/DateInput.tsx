import { useEffect, useState } from 'react';
import { parseVnDate } from '../dates.js';
import { fmtDate, useI18n } from '../i18n.js';

/**
 * A date typed as dd/mm/yyyy whatever the browser's locale (a native date input follows the operating
 * system's format). `value`/`onChange` carry ISO dates; an unfinished or impossible date is '' and the
 * field says why.
 */
export function DateInput({ id, value, onChange, required, name }: { id: string; value: string; onChange: (iso: string) => void; required?: boolean; name?: string }) {
  const { lang } = useI18n();
  const [text, setText] = useState(fmtDate(value));
  useEffect(() => {
    if (parseVnDate(text) !== value) setText(fmtDate(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const invalid = text.trim() !== '' && !parseVnDate(text);
  return (
    <input
      id={id}
      name={name}
      type="text"
      inputMode="numeric"
      placeholder="dd/mm/yyyy"
      pattern="\d{1,2}/\d{1,2}/\d{4}"
      title={lang === 'vi' ? 'Ngày dạng dd/mm/yyyy, ví dụ 05/03/2026' : 'Date as dd/mm/yyyy, e.g. 05/03/2026'}
      aria-invalid={invalid || undefined}
      required={required}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseVnDate(e.target.value) ?? '');
      }}
    />
  );
}
