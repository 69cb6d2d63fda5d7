/**
 * CSV cells for every export (the audit history, the reports). A cell a spreadsheet would read as a formula
 * — text starting with `=`, `+`, `-`, `@`, a tab or a carriage return, e.g. a candidate named
 * `=HYPERLINK("http://…")` — is written with a leading `'`, so it shows as the text it is (OWASP's advice
 * against CSV injection). Numbers stay numbers: a number, or text that is only a number such as `-3`, is
 * left as it is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Text that a spreadsheet could run, made inert; anything else unchanged. */
export function neutraliseFormula(s: string): string {
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

/**
 * One CSV cell: empty for null, ISO for dates, JSON for objects. Text is always quoted: a spreadsheet set to
 * another list separator (Excel in vi-VN splits on `;`) must not cut a cell in two and find a formula at the
 * start of the second part.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : neutraliseFormula(String(v));
  return `"${s.replace(/"/g, '""')}"`;
}

/** One CSV line (without its CRLF). */
export function csvLine(values: unknown[]): string {
  return values.map(csvCell).join(',');
}

/** What streamCsv needs of an HTTP response (Express's or Node's). */
interface CsvResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  write(chunk: string): boolean;
  end(): unknown;
  destroy(err?: Error): unknown;
  once(event: 'drain' | 'close', cb: () => void): unknown;
  readonly destroyed: boolean;
}

/**
 * Streams a CSV download: UTF-8 with a BOM (so spreadsheets read Vietnamese right), CRLF lines, one chunk per
 * page of rows. The first page is read before anything is sent, so a bad query or a database error at the start
 * is still an ordinary JSON error. An error after that cannot change the status any more: the connection is
 * cut (the client sees an incomplete download, never a file that looks whole nor JSON appended to it) and the
 * error is handed to `onError` to be logged.
 */
export async function streamCsv(res: CsvResponse, filename: string, header: string[], pages: AsyncIterable<string[][] | unknown[][]>, onError: (e: unknown) => void): Promise<void> {
  const it = pages[Symbol.asyncIterator]();
  const first = await it.next();
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  const write = (chunk: string) =>
    res.write(chunk) || res.destroyed
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
  const lines = (rows: unknown[][]) => (rows.length ? rows.map(csvLine).join('\r\n') + '\r\n' : '');
  try {
    await write(`\uFEFF${csvLine(header)}\r\n${first.done ? '' : lines(first.value)}`);
    for (let page = first; !page.done && !res.destroyed; ) {
      page = await it.next();
      if (!page.done) await write(lines(page.value));
    }
    if (res.destroyed) await it.return?.();
    else res.end();
  } catch (e) {
    onError(e);
    res.destroy();
  }
}
