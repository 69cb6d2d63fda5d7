import type { Browser, Page } from 'playwright-core';
import { addDays, addMonths } from '../../libs/domain/src/dates.js';
import { renderMessage } from '../../libs/domain/src/messages.js';
import { STEPS } from '../../libs/domain/src/procedure.js';
import { readmissionEligibleOn } from '../../libs/domain/src/readmission.js';
import { openDataSource } from '../support/fixtures.js';
import { TestSystem } from '../support/system.js';
import { launch, newPage, screenshot, signIn, unlabelledFields } from './support.js';

/**
 * Opening a candidate's case in the web app ("Quần chúng mới"), in Chromium against the running system (API +
 * worker on the real Temporal server and PostgreSQL): the cell secretary fills the form and lands on the new
 * case with its first task open; a re-admission before the 36 months of §2.4 is refused with the API's
 * message in the user's language, and no case is opened.
 */
const sys = new TestSystem();
let browser: Browser;
let base: string;
const password = 'password-0001';
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');

beforeAll(async () => {
  await sys.start();
  base = `http://127.0.0.1:${sys.app.getHttpServer().address().port}`;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await sys.stop();
});

async function casesNamed(fullName: string): Promise<number> {
  const ds = await openDataSource();
  try {
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM candidates WHERE full_name = $1`, [fullName]);
    return n;
  } finally {
    await ds.destroy();
  }
}

/** The person's facts, typed in the Vietnamese form. */
async function fillVi(page: Page, fullName: string) {
  await page.getByLabel('Họ và tên *').fill(fullName);
  await page.getByLabel('Ngày sinh *').fill('12/04/1999');
  await page.getByLabel('Giới tính *').selectOption({ label: 'Nữ' });
  await page.getByLabel('Dân tộc *').fill('Kinh');
  await page.getByLabel('Trình độ giáo dục phổ thông *').selectOption({ label: 'Đại học' });
  await page.getByLabel('Là đoàn viên Đoàn TNCS Hồ Chí Minh').check();
  await page.getByLabel('Tổ chức giới thiệu (ví dụ Đoàn trường, Công đoàn cơ sở) *').fill('Đoàn trường THPT Lê Quý Đôn');
}

describe('opening a new candidate’s case in the web app', () => {
  it('lets a cell secretary open a case from the page and lands on it with the first task (recognize_sympathiser) open', async () => {
    const fullName = `Trần Thị Mai ${sys.tag}`;
    const today = await sys.today();
    const { context, page } = await newPage(browser, base);
    await signIn(page, `secretary-${sys.tag}`, password);
    await page.getByRole('navigation').getByRole('link', { name: 'Quần chúng mới' }).click();
    await page.getByRole('heading', { name: 'Quần chúng mới' }).waitFor();

    // The secretary's one cell is chosen; the introduction is dated the business today; Kinh is only a hint.
    const cell = page.getByLabel('Chi bộ *');
    await page.locator('#nc-cell option', { hasText: `Chi bộ giáo viên ${sys.tag}` }).waitFor({ state: 'attached' });
    expect(await cell.inputValue()).toBe(sys.units.cell);
    expect(await page.locator('#nc-cell option').count()).toBe(2); // "— Chọn —" and the secretary's cell, no other
    await expect(page.getByLabel('Ngày giới thiệu *').inputValue()).resolves.toBe(ddmmyyyy(today));
    expect(await page.getByLabel('Dân tộc *').inputValue()).toBe('');
    expect(await page.getByLabel('Dân tộc *').getAttribute('placeholder')).toBe('Kinh');
    expect(await unlabelledFields(page)).toEqual([]);

    // Required fields are checked before anything is sent.
    const posts: Record<string, string>[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/candidates')) posts.push(r.headers());
    });
    await page.getByRole('button', { name: 'Lập hồ sơ' }).click();
    const alert = page.getByTestId('create-error').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Còn thiếu thông tin bắt buộc: Họ và tên, Ngày sinh, Giới tính, Dân tộc, Trình độ giáo dục phổ thông, Tổ chức giới thiệu');
    expect(posts).toEqual([]);

    await fillVi(page, fullName);
    await screenshot(page, 'new-candidate-01-form');
    await page.getByRole('button', { name: 'Lập hồ sơ' }).click();

    await page.getByRole('heading', { name: fullName }).waitFor();
    const id = /#\/candidates\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    expect(id).toBeDefined();
    await page.getByRole('link', { name: `Mở: ${STEPS.recognize_sympathiser.vi}` }).waitFor();
    await screenshot(page, 'new-candidate-02-case');
    await context.close();

    expect(posts).toHaveLength(1);
    expect(posts[0]['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    const c = (await sys.users.secretary.get(`/api/candidates/${id}`)).body;
    expect(c).toMatchObject({
      fullName,
      dateOfBirth: '1999-04-12',
      gender: 'female',
      ethnicity: 'Kinh',
      education: 'university',
      youthUnionMember: true,
      source: { organization: 'Đoàn trường THPT Lê Quý Đôn', introducedOn: today },
      status: 'active',
    });
    expect(c.openTasks.map((t: { type: string }) => t.type)).toEqual(['recognize_sympathiser']);
    const created = (await sys.history(id!)).find((e) => e.type === 'candidate_created');
    expect(created.actor.username).toBe(`secretary-${sys.tag}`);
    expect(await casesNamed(fullName)).toBe(1);
  });

  it('refuses a re-admission 12 months after the person left the Party with the Vietnamese message next to the form, and opens no case', async () => {
    const fullName = `Đỗ Văn Hùng ${sys.tag}`;
    const today = await sys.today();
    const leftOn = addMonths(today, -12);
    const eligibleOn = readmissionEligibleOn({ leftOn, leftHow: 'expelled', previouslyReadmitted: false })!;
    const { context, page } = await newPage(browser, base);
    await signIn(page, `secretary-${sys.tag}`, password);
    await page.getByTestId('new-candidate-link').click();
    await page.locator('#nc-cell option', { hasText: `Chi bộ giáo viên ${sys.tag}` }).waitFor({ state: 'attached' });
    await fillVi(page, fullName);

    await page.getByText('Kết nạp lại (người đã từng là đảng viên)').click();
    await expect(page.getByTestId('readmission').textContent()).resolves.toContain('ít nhất 36 tháng kể từ ngày ra khỏi Đảng');
    await page.getByLabel('Đề nghị kết nạp lại người này').check();
    await page.getByLabel('Ngày ra khỏi Đảng *').fill(ddmmyyyy(leftOn));
    await page.getByLabel('Hình thức ra khỏi Đảng *').selectOption({ label: 'Bị khai trừ' });
    expect(await unlabelledFields(page)).toEqual([]);
    await page.getByRole('button', { name: 'Lập hồ sơ' }).click();

    const alert = page.getByTestId('create-error').getByRole('alert');
    await alert.waitFor();
    const message = renderMessage('readmission_too_early', { eligibleOn, eligibleOnDmy: eligibleOn.split('-').reverse().join('/'), months: 36 }, 'vi');
    expect(message).toContain('Chưa đủ 36 tháng');
    expect(await alert.textContent()).toContain(message);
    // The refused field says it too.
    expect(await page.locator('#nc-leftOn-error').textContent()).toBe(message);
    await screenshot(page, 'new-candidate-03-readmission-too-early');
    expect(page.url()).toMatch(/#\/new-candidate$/);
    await context.close();
    expect(await casesNamed(fullName)).toBe(0);
  });

  it('shows the refusal of an early re-admission in English when the interface is in English', async () => {
    const fullName = `Vũ Thị Lan ${sys.tag}`;
    const today = await sys.today();
    const leftOn = addMonths(today, -24);
    const eligibleOn = readmissionEligibleOn({ leftOn, leftHow: 'removed', previouslyReadmitted: false })!;
    const { context, page } = await newPage(browser, base);
    await signIn(page, `secretary-${sys.tag}`, password);
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('navigation').getByRole('link', { name: 'New candidate' }).click();
    await page.getByRole('heading', { name: 'New candidate' }).waitFor();
    await page.locator('#nc-cell option', { hasText: `Chi bộ giáo viên ${sys.tag}` }).waitFor({ state: 'attached' });

    await page.getByLabel('Full name *').fill(fullName);
    await page.getByLabel('Date of birth *').fill('03/09/1985');
    await page.getByLabel('Sex *').selectOption({ label: 'Female' });
    await page.getByLabel('Ethnicity *').fill('Tày');
    await page.getByLabel('General education *').selectOption({ label: 'Upper-secondary diploma' });
    await page.getByLabel('Introducing organisation (e.g. school Youth Union, trade union) *').fill('Công đoàn cơ sở');
    await page.getByText('Re-admission (a former party member)').click();
    await page.getByLabel('Re-admit this person').check();
    await page.getByLabel('Left the Party on *').fill(ddmmyyyy(leftOn));
    await page.getByLabel('How the person left the Party *').selectOption({ label: 'Removed from the rolls' });
    await page.getByRole('button', { name: 'Open the case' }).click();

    const alert = page.getByTestId('create-error').getByRole('alert');
    await alert.waitFor();
    const message = renderMessage('readmission_too_early', { eligibleOn, eligibleOnDmy: eligibleOn.split('-').reverse().join('/'), months: 36 }, 'en');
    expect(await alert.textContent()).toContain(message);
    expect(await alert.textContent()).not.toContain('Chưa đủ');
    await screenshot(page, 'new-candidate-04-readmission-english');
    await context.close();
    expect(await casesNamed(fullName)).toBe(0);
  });
});

describe('the effective date of a transfer on the candidate page', () => {
  it('sends the date the change took effect with the transfer (T9 of §7.7 counts from it) and records it in the history', async () => {
    const name = `Lý Văn Phúc ${sys.tag}`;
    const id = await sys.newCandidate(sys.users.secretary, name);
    const effectiveOn = addDays(await sys.today(), -10);
    const { context, page } = await newPage(browser, base);
    await signIn(page, `provinceBoard-${sys.tag}`, password);
    await page.goto(`/#/candidates/${id}`);
    await page.getByRole('heading', { name }).waitFor();
    await page.getByLabel('Chi bộ chuyển đến').selectOption({ label: `Chi bộ khác ${sys.tag}` });
    await page.getByLabel('Lý do (ví dụ chuyển công tác)').fill('Chuyển công tác về xã khác');
    await page.getByLabel('Ngày thay đổi công tác, nơi cư trú có hiệu lực (nếu khác hôm nay)').fill(ddmmyyyy(effectiveOn));
    expect(await unlabelledFields(page)).toEqual([]);
    await page.getByRole('button', { name: 'Chuyển sinh hoạt' }).click();
    await page.locator('table.history tr.candidate_transferred', { hasText: 'Chuyển công tác về xã khác' }).waitFor();
    await context.close();
    // The case now belongs to the other cell: read as the province board, over both.
    const events = (await sys.users.provinceBoard.get(`/api/candidates/${id}/history`)).body.events as any[];
    const moved = events.find((e) => e.type === 'candidate_transferred');
    expect(moved.data).toMatchObject({ toCellId: sys.units.otherCell, effectiveOn });
  });
});
