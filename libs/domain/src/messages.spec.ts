import { langFromAcceptLanguage, MESSAGES, renderMessage, type MessageCode } from './messages.js';

const CODES = Object.keys(MESSAGES) as MessageCode[];
const placeholders = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('MESSAGES', () => {
  it.each(CODES)('has non-empty Vietnamese and English text for %s', (code) => {
    expect(MESSAGES[code].vi.trim()).not.toBe('');
    expect(MESSAGES[code].en.trim()).not.toBe('');
  });

  it.each(CODES)('uses the same placeholders in Vietnamese and English for %s', (code) => {
    expect(placeholders(MESSAGES[code].vi)).toEqual(placeholders(MESSAGES[code].en));
  });

  it('writes the Vietnamese text in Vietnamese (not a copy of the English)', () => {
    for (const code of CODES) expect(MESSAGES[code].vi).not.toBe(MESSAGES[code].en);
  });
});

describe('renderMessage', () => {
  it('fills every parameter of the template', () => {
    expect(renderMessage('two_thirds_not_reached', { inFavour: 5, members: 9, needed: 6 }, 'en')).toBe(
      'Two thirds not reached: 5/9 in favour, at least 6 needed',
    );
  });

  it('renders Vietnamese by default', () => {
    expect(renderMessage('cell_too_small', { members: 2 })).toBe('Chi bộ phải có ít nhất 3 đảng viên chính thức (hiện khai 2)');
  });

  it('fills repeated and string parameters', () => {
    const text = renderMessage('certificate_expired', { certificateNo: 'CN-7', issuedOn: '2020-01-15', expiresOn: '2025-01-15' }, 'en');
    expect(text).toContain('CN-7');
    expect(text).toContain('issued 2020-01-15');
    expect(text).toContain('lapsed on 2025-01-15');
    expect(text).not.toMatch(/\{\w+\}/);
  });

  it('leaves a placeholder visible when its parameter is missing', () => {
    expect(renderMessage('missing_field', {}, 'en')).toBe('Required field "{field}" is missing');
  });

  it('renders a message without parameters unchanged', () => {
    expect(renderMessage('task_not_open', undefined, 'en')).toBe(MESSAGES.task_not_open.en);
  });

  it('renders the number 0 rather than leaving the placeholder', () => {
    expect(renderMessage('introducers_insufficient', { valid: 0 }, 'en')).toContain('(0 valid introducer(s) given)');
  });
});

describe('langFromAcceptLanguage', () => {
  it("picks English for 'en-US,en;q=0.9'", () => {
    expect(langFromAcceptLanguage('en-US,en;q=0.9')).toBe('en');
  });

  it("picks English for a bare 'en'", () => {
    expect(langFromAcceptLanguage('EN')).toBe('en');
  });

  it("picks Vietnamese for 'vi'", () => {
    expect(langFromAcceptLanguage('vi')).toBe('vi');
    expect(langFromAcceptLanguage('vi-VN,vi;q=0.9,en;q=0.8')).toBe('vi');
  });

  it('defaults to Vietnamese without a header', () => {
    expect(langFromAcceptLanguage(undefined)).toBe('vi');
    expect(langFromAcceptLanguage('')).toBe('vi');
  });

  it("falls back to Vietnamese for a language we do not have ('fr')", () => {
    expect(langFromAcceptLanguage('fr')).toBe('vi');
    expect(langFromAcceptLanguage('*')).toBe('vi');
  });

  // BUG (messages.ts langFromAcceptLanguage): q-values are ignored, only the first listed tag counts, so a header
  // that ranks Vietnamese above English but lists English first yields English — contrary to the function's
  // contract "picks 'en' only when the Accept-Language header prefers English".
  it('BUG: honours q-values — English listed first with a lower weight than Vietnamese gives Vietnamese', () => {
    expect(langFromAcceptLanguage('en;q=0.1, vi;q=0.9')).toBe('vi');
  });
});
