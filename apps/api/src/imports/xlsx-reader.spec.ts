import { strToU8, zipSync } from 'fflate';
import { IMPORT_COLUMNS, parseImportRows } from '../../../../libs/domain/src/candidate-import.js';
import { toXlsx } from '../reports/table-export.js';
import { looksLikeXlsx, readFirstSheet, XlsxError } from './xlsx-reader.js';

/** A workbook as Excel saves one: shared strings, a date-formatted number, a skipped cell, an empty row. */
function excelLike(): Uint8Array {
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>
<row r="2" spans="1:4"/>
<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3" s="1"><v>36262</v></c><c r="C3"/><c r="D3"><v>9</v></c></row>
</sheetData></worksheet>`;
  const shared = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>Họ và tên [fullName]</t></si><si><t>Ngày sinh</t></si><si><r><t>cell</t></r><r><t>OfficialMembers</t></r></si><si><t xml:space="preserve">Nguyễn Thị &amp; Lan</t><rPh><t>x</t></rPh></si></sst>`;
  const styles = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`;
  return zipSync({
    '[Content_Types].xml': strToU8('<Types/>'),
    'xl/workbook.xml': strToU8('<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Mẫu" sheetId="1" r:id="rId7"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId7" Type="worksheet" Target="worksheets/nhap.xml"/></Relationships>'),
    'xl/worksheets/nhap.xml': strToU8(sheet),
    'xl/sharedStrings.xml': strToU8(shared),
    'xl/styles.xml': strToU8(styles),
  });
}

describe('readFirstSheet', () => {
  it('reads shared strings (rich text joined), date-formatted serials as dates, numbers, and keeps cell positions', () => {
    const bytes = excelLike();
    expect(looksLikeXlsx(bytes)).toBe(true);
    expect(readFirstSheet(bytes)).toEqual([
      ['Họ và tên [fullName]', 'Ngày sinh', '', 'cellOfficialMembers'],
      [],
      ['Nguyễn Thị & Lan', '1999-04-12', '', '9'],
    ]);
  });

  it('reads the inline strings of the XLSX the reports export, and the import reads its rows', () => {
    // The template's columns, by their Vietnamese labels, as a workbook.
    const columns = IMPORT_COLUMNS.map((c) => ({ key: c.key, vi: c.vi, en: c.en }));
    const xlsx = toXlsx([{ sheet: 'Nhập', columns, rows: [{ fullName: 'Trần Văn Minh', dateOfBirth: '12/04/1999', cellInFavour: 7 }] }], 'vi');
    const rows = readFirstSheet(xlsx);
    expect(rows[0].slice(0, 2)).toEqual(['Họ và tên', 'Ngày sinh']);
    const file = parseImportRows(rows);
    expect(file.errors).toEqual([]);
    expect(file.rows).toHaveLength(1);
    expect(file.rows[0]).toMatchObject({ row: 2, values: { fullName: 'Trần Văn Minh', dateOfBirth: '12/04/1999', cellInFavour: '7', gender: '' } });
  });

  it('refuses what is not a workbook', () => {
    expect(looksLikeXlsx(Buffer.from('Họ và tên,Ngày sinh'))).toBe(false);
    expect(() => readFirstSheet(zipSync({ 'a.txt': strToU8('x') }))).toThrow(XlsxError);
  });
});
