import { unzipSync, strFromU8 } from 'fflate';

/**
 * The first worksheet of an XLSX file as rows of text cells, enough for the import template (issue 16): an
 * OOXML package is a zip of XML parts (ECMA-376), read with `fflate` (already used to write the reports'
 * XLSX). Shared strings, inline strings, numbers and booleans are read; a number in a date format (built-in
 * formats 14–22, 45–47, or a custom one with d, m, y) becomes `YYYY-MM-DD` (1900 date system; the 1904 one when
 * the workbook says so). Formulas give their cached value. No styles, merged cells or other sheets.
 */
export class XlsxError extends Error {}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function looksLikeXlsx(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e];
  });
}

/** Attribute `name` of an element's opening tag. */
function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]) : undefined;
}

/** The text of every <t> inside (rich text runs joined), phonetic runs (<rPh>) left out. */
function texts(xml: string): string {
  const out: string[] = [];
  for (const m of xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '').matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)) out.push(decode(m[1] ?? ''));
  return out.join('');
}

function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of /^[A-Z]+/.exec(ref)?.[0] ?? '') n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

function isDateFormat(code: string): boolean {
  // Quoted text and bracketed parts ([Red], [$-vi-VN]) do not count.
  const bare = code.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '');
  return /[dy]/i.test(bare) || /m/i.test(bare.replace(/[hs]:?m|m:?s/gi, ''));
}

function serialToIso(serial: number, date1904: boolean): string {
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return new Date(base + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
}

export function readFirstSheet(bytes: Uint8Array): string[][] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new XlsxError(`not a zip: ${(e as Error).message}`);
  }
  const part = (name: string) => (files[name] ? strFromU8(files[name]) : undefined);
  const workbook = part('xl/workbook.xml');
  if (!workbook) throw new XlsxError('no xl/workbook.xml');
  const sheetTag = /<sheet\b[^>]*>/.exec(workbook)?.[0];
  const relId = sheetTag && (attr(sheetTag, 'r:id') ?? attr(sheetTag, 'id'));
  const rels = part('xl/_rels/workbook.xml.rels') ?? '';
  let target = 'worksheets/sheet1.xml';
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) if (relId && attr(m[0], 'Id') === relId) target = attr(m[0], 'Target') ?? target;
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const sheet = part(sheetPath);
  if (!sheet) throw new XlsxError(`no ${sheetPath}`);
  const date1904 = /<workbookPr\b[^>]*\sdate1904="(1|true)"/.test(workbook);

  const shared: string[] = [];
  for (const m of (part('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) shared.push(texts(m[1] ?? ''));

  const styles = part('xl/styles.xml') ?? '';
  const customFormats = new Map<number, string>();
  for (const m of styles.matchAll(/<numFmt\b[^>]*>/g)) customFormats.set(Number(attr(m[0], 'numFmtId')), attr(m[0], 'formatCode') ?? '');
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
  const dateStyles = [...xfs.matchAll(/<xf\b[^>]*>/g)].map((m) => {
    const id = Number(attr(m[0], 'numFmtId') ?? 0);
    return BUILT_IN_DATE_FORMATS.has(id) || (customFormats.has(id) && isDateFormat(customFormats.get(id)!));
  });

  const rows: string[][] = [];
  for (const r of sheet.replace(/<row\b[^>]*\/>/g, '').matchAll(/<row\b([^>]*)>([\s\S]*?)<\/row>/g)) {
    const index = Number(attr(`<row${r[1]}>`, 'r') ?? rows.length + 1) - 1;
    const cells: string[] = [];
    let next = 0;
    for (const c of r[2].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const tag = `<c${c[1]}>`;
      const ref = attr(tag, 'r');
      const col = ref ? columnIndex(ref) : next;
      next = col + 1;
      const body = c[2] ?? '';
      const type = attr(tag, 't');
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value = '';
      if (type === 's') value = shared[Number(v)] ?? '';
      else if (type === 'inlineStr') value = texts(/<is>([\s\S]*?)<\/is>/.exec(body)?.[1] ?? '');
      else if (type === 'str' || type === 'e') value = decode(v ?? '');
      else if (type === 'b') value = v === '1' ? '1' : '0';
      else if (v !== undefined) {
        const n = Number(v);
        value = dateStyles[Number(attr(tag, 's') ?? 0)] && Number.isFinite(n) ? serialToIso(n, date1904) : decode(v);
      }
      cells[col] = value;
    }
    rows[index] = Array.from(cells, (x) => x ?? '');
  }
  return Array.from(rows, (x) => x ?? []);
}
