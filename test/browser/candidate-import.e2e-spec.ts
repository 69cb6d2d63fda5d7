import type { Browser } from 'playwright-core';
import { IMPORT_COLUMNS } from '../../libs/domain/src/candidate-import.js';
import { TestSystem } from '../support/system.js';
import { launch, newPage, screenshot, signIn, unlabelledFields } from './support.js';

/**
 * The import page (#/import, issue 16) in Chromium: a CSV with a bad row previewed (the row's error in
 * Vietnamese and English, the import button off), then a good file previewed and imported with progress.
 */
const sys = new TestSystem();
let browser: Browser;
let base: string;

beforeAll(async () => {
  await sys.start();
  base = `http://127.0.0.1:${sys.app.getHttpServer().address().port}`;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await sys.stop();
});

function csv(rows: Record<string, string>[]): Buffer {
  const keys = IMPORT_COLUMNS.map((c) => c.key);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return Buffer.from('\uFEFF' + [keys.join(','), ...rows.map((r) => keys.map((k) => q(r[k] ?? '')).join(','))].join('\r\n') + '\r\n', 'utf8');
}

const row = (name: string, cell: string, over: Record<string, string> = {}) => ({
  fullName: name, dateOfBirth: '12/04/1999', gender: 'nam', ethnicity: 'Kinh', education: 'university', youthUnionMember: 'có', cell,
  sourceOrganization: 'Đoàn trường', introducedOn: '01/09/2026', sympathiserMeetingDate: '01/09/2026', mentorName: 'Trần Thị Bình',
  certificateNo: '88/CN-2026', certificateIssuedOn: '15/09/2026', applicationDate: '01/10/2026', cvSubmittedOn: '01/10/2026',
  ...over,
});

describe('the import page', () => {
  it('previews a file with a bad row, then imports a good one with progress', async () => {
    const { context, page } = await newPage(browser, base);
    await signIn(page, `grassroots-${sys.tag}`, 'password-0001');
    await page.getByRole('link', { name: 'Nhập hồ sơ' }).click();
    await page.getByRole('heading', { name: 'Nhập hồ sơ đang xử lý' }).waitFor();
    expect(await unlabelledFields(page)).toEqual([]);

    const bad = csv([row(`Vũ Văn Một ${sys.tag}`, sys.units.cell), row(`Vũ Văn Hai ${sys.tag}`, sys.units.cell, { applicationDate: '01/08/2026' })]);
    await page.getByLabel('Tệp CSV hoặc XLSX').setInputFiles({ name: 'loi.csv', mimeType: 'text/csv', buffer: bad });
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByText('2 dòng: 1 hợp lệ, 1 lỗi, 0 đã nhập trước đây').waitFor();
    // The row's error, Vietnamese first, then English.
    await page.getByText(/không được trước ngày của bước trước/).first().waitFor();
    await page.getByText(/cannot be earlier than the previous step/).first().waitFor();
    expect(await page.getByRole('button', { name: /^Nhập \(/ }).isDisabled()).toBe(true);
    await screenshot(page, '40-import-preview-errors');

    const good = csv([row(`Vũ Văn Một ${sys.tag}`, sys.units.cell), row(`Vũ Thị Ba ${sys.tag}`, sys.units.cell)]);
    await page.getByLabel('Tệp CSV hoặc XLSX').setInputFiles({ name: 'tot.csv', mimeType: 'text/csv', buffer: good });
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByText('2 dòng: 2 hợp lệ, 0 lỗi, 0 đã nhập trước đây').waitFor();
    await page.getByRole('button', { name: 'Nhập (2)' }).click();
    await page.getByRole('heading', { name: 'Đã xử lý 2/2' }).waitFor({ timeout: 60_000 });
    await page.getByText('Đã tạo 2, đã có 0, bị từ chối 0').waitFor({ timeout: 60_000 });
    await screenshot(page, '41-import-done');
    await context.close();
  });
});
