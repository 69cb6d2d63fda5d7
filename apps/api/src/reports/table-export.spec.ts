import { strFromU8, unzipSync } from 'fflate';
import { columnName, toCsv, toXlsx, type Table } from './table-export.js';

const table: Table = {
  sheet: 'Kết nạp',
  columns: [
    { key: 'name', vi: 'Đơn vị', en: 'Unit' },
    { key: 'admitted', vi: 'Kết nạp', en: 'Admitted' },
    { key: 'percent', vi: '% chỉ tiêu', en: '% of quota' },
  ],
  rows: [
    { name: 'Đảng ủy phường "Bến Nghé", Q.1', admitted: 52, percent: 65 },
    { name: 'A & B <x>', admitted: 0, percent: null },
  ],
};

describe('report exports', () => {
  it('writes CSV with a BOM, headers in the language asked for and quoted cells', () => {
    const text = toCsv(table, 'vi').toString('utf8');
    expect(text.startsWith('\uFEFF"Đơn vị","Kết nạp","% chỉ tiêu"\r\n')).toBe(true);
    expect(text).toContain('"Đảng ủy phường ""Bến Nghé"", Q.1",52,65\r\n');
    expect(toCsv(table, 'en').toString('utf8')).toContain('"Unit","Admitted","% of quota"');
  });

  it('writes an XLSX package with the parts a spreadsheet program needs, numbers as numbers', () => {
    const files = unzipSync(new Uint8Array(toXlsx([table], 'vi')));
    expect(Object.keys(files).sort()).toEqual(
      ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'].sort(),
    );
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
    expect(sheet).toContain('<c r="B2"><v>52</v></c>');
    expect(sheet).toContain('A &amp; B &lt;x&gt;');
    expect(strFromU8(files['xl/workbook.xml'])).toContain('name="Kết nạp"');
  });

  it('names spreadsheet columns', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

describe('report exports and spreadsheet formulas', () => {
  const hostile: Table = { sheet: 'x', columns: [{ key: 'name', vi: 'Tên', en: 'Name' }, { key: 'n', vi: 'Số', en: 'Number' }], rows: [{ name: '=HYPERLINK("http://evil.example","bấm")', n: -2 }] };

  it('neutralises a CSV cell that a spreadsheet would run, and keeps negative numbers', () => {
    expect(toCsv(hostile, 'en').toString('utf8')).toContain('"\'=HYPERLINK(""http://evil.example"",""bấm"")",-2\r\n');
  });

  it('writes XLSX text as inline strings, never as formulas', () => {
    const sheet = strFromU8(unzipSync(new Uint8Array(toXlsx([hostile], 'en')))['xl/worksheets/sheet1.xml']);
    expect(sheet).toContain('<c r="A2" t="inlineStr"><is><t xml:space="preserve">=HYPERLINK(&quot;http://evil.example&quot;,&quot;bấm&quot;)</t></is></c>');
    expect(sheet).not.toMatch(/<f[ >]/);
  });
});
