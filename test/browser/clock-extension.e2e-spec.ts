import type { Browser } from 'playwright-core';
import { waitFor } from '../support/fixtures.js';
import { TestSystem, type UserKey } from '../support/system.js';
import { launch, newPage, screenshot, signIn, unlabelledFields } from './support.js';

/**
 * Extending a statutory clock in the web app, in Chromium against the running system (API + worker on the
 * real Temporal server and PostgreSQL): the direct superior committee's consent to a late ceremony (T4) and
 * the superior board's extension of its decision clock (T3), once each. A business clock at 1,000,000× (a
 * business day every 86 ms) lets the 30 working days of T4 pass in a few seconds.
 */
const SPEED = 1_000_000;
const sys = new TestSystem();
let browser: Browser;
let base: string;
const password = 'password-0001';
const login = (key: UserKey) => `${key}-${sys.tag}`;
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');

beforeAll(async () => {
  await sys.start({ KETNAP_CLOCK_SPEED: String(SPEED) });
  base = `http://127.0.0.1:${sys.app.getHttpServer().address().port}`;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await sys.stop();
});

/** A candidate through the superior's admission decision by API: the ceremony task is open, T4 running. */
async function atCeremony(name: string) {
  const { users } = sys;
  const id = await sys.toCellResolution(name);
  await sys.decideOk(users.grassroots, id, 'grassroots_admission_review');
  await sys.decideOk(users.board, id, 'superior_admission_decision');
  return { id, ceremony: await sys.openTask(users.secretary, id, 'admission_ceremony') };
}

describe('extending a statutory clock in the web app', () => {
  it('lets the grassroots committee consent to a late ceremony on the candidate page, after which the cell secretary records the ceremony past the due date', async () => {
    const { id, ceremony } = await atCeremony(`Lê Văn Khánh ${sys.tag}`);
    expect(ceremony.dueRule).toMatchObject({ workingDays: 30 });
    await waitFor('T4 to pass', async () => ((await sys.today()) > ceremony.dueDate ? true : undefined), 60_000);
    // Without the consent, a late ceremony is refused.
    expect((await sys.decide(sys.users.secretary, id, 'admission_ceremony')).body.code).toBe('ceremony_late_without_consent');

    // The superior board is not the direct superior of an ordinary cell: no consent for it on the page.
    const board = await newPage(browser, base);
    await signIn(board.page, login('board'), password);
    await board.page.goto(`/#/candidates/${id}`);
    await board.page.locator('table.history').waitFor();
    // The org tree the page checks jurisdiction against has loaded (the transfer form lists the cells from it).
    await board.page.locator('#transfer-cell option').nth(1).waitFor({ state: 'attached' });
    expect(await board.page.getByTestId('clock-extensions').count()).toBe(0);
    await board.context.close();

    const { context, page } = await newPage(browser, base);
    await signIn(page, login('grassroots'), password);
    await page.goto(`/#/candidates/${id}`);
    const box = page.getByTestId('clock-T4');
    await box.getByRole('heading', { name: /Đồng ý tổ chức lễ kết nạp quá hạn/ }).waitFor();
    expect(await box.textContent()).toContain(`Hạn hiện tại: ${ddmmyyyy(ceremony.dueDate)}`);
    const days = box.getByLabel('Số ngày làm việc gia hạn (tối đa 30)');
    expect(await days.getAttribute('max')).toBe('30');
    await days.fill('10');
    await box.getByLabel('Lý do').fill('Đảng ủy cơ sở đồng ý tổ chức lễ kết nạp muộn do chi bộ báo cáo người vào Đảng đi công tác');
    await screenshot(page, 'clock-extension-01-consent');
    expect(await unlabelledFields(page)).toEqual([]);
    await box.getByRole('button', { name: 'Đồng ý và gia hạn' }).click();

    const result = box.getByTestId('extension-result');
    await result.waitFor();
    const moved = (await sys.users.secretary.get(`/api/candidates/${id}`)).body.openTasks.find((t: any) => t.id === ceremony.id);
    expect(moved.dueDate > ceremony.dueDate).toBe(true);
    expect(moved.dueRule.workingDays).toBe(40);
    expect(await result.textContent()).toBe(`Đã gia hạn thời hạn T4 thêm 10 ngày làm việc: hạn cũ ${ddmmyyyy(ceremony.dueDate)}, hạn mới ${ddmmyyyy(moved.dueDate)}.`);
    // The form is gone; the history shows the extension.
    expect(await box.locator('form').count()).toBe(0);
    await waitFor('the history to show the extension', async () => ((await page.locator('table.history').textContent())?.includes('10 ngày làm việc — Đảng ủy cơ sở đồng ý') ? true : undefined));
    await screenshot(page, 'clock-extension-02-consented');
    // Opened again, the page says the clock's one extension is used.
    await page.reload();
    const used = page.getByTestId('clock-T4').getByTestId('extension-used');
    await used.waitFor();
    expect(await used.textContent()).toContain('Thời hạn T4 đã được gia hạn 10 ngày làm việc; mỗi thời hạn chỉ được gia hạn một lần.');
    expect(await used.textContent()).toContain('Người gia hạn: Người dùng grassroots');
    await context.close();

    const extended = (await sys.history(id)).filter((e) => e.type === 'deadline_extended');
    expect(extended.map((e) => [e.data.clock, e.data.workingDays, e.actor.username, e.actor.role])).toEqual([['T4', 10, login('grassroots'), 'grassroots_committee']]);

    // The cell secretary records the ceremony, held after the statutory due date, on the task page.
    const secretary = await newPage(browser, base);
    await signIn(secretary.page, login('secretary'), password);
    await secretary.page.goto(`/#/tasks/${encodeURIComponent(ceremony.id)}`);
    await secretary.page.getByRole('heading', { name: /Tổ chức lễ kết nạp đảng viên/ }).waitFor();
    await secretary.page.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    await secretary.page.getByTestId('decision-result').waitFor();
    await screenshot(secretary.page, 'clock-extension-03-late-ceremony');
    await secretary.context.close();
    const held = (await sys.history(id)).find((e) => e.type === 'decision_recorded' && e.data.taskType === 'admission_ceremony');
    expect(held.data.decision.ceremonyDate > ceremony.dueDate).toBe(true);
    expect(held.actor.username).toBe(login('secretary'));
  });

  it('refuses a second extension of the superior board’s clock with the message in the user’s language, and then shows the clock as extended', async () => {
    const { users } = sys;
    const id = await sys.toCellResolution(`Phan Thị Loan ${sys.tag}`);
    await sys.decideOk(users.grassroots, id, 'grassroots_admission_review');
    const task = await sys.openTask(users.board, id, 'superior_admission_decision');

    const { context, page } = await newPage(browser, base);
    await signIn(page, login('board'), password);
    await page.goto(`/#/candidates/${id}`);
    const box = page.getByTestId('clock-T3');
    await box.getByRole('heading', { name: /Gia hạn thời hạn T3/ }).waitFor();
    const days = box.getByLabel('Số ngày làm việc gia hạn (tối đa 30)');
    // Over the rule's maximum the browser does not send it.
    await days.fill('31');
    await box.getByLabel('Lý do').fill('Trường hợp đặc biệt: chờ kết quả thẩm tra bổ sung');
    await box.getByRole('button', { name: 'Gia hạn', exact: true }).click();
    expect(await days.evaluate((el) => (el as HTMLInputElement).validity.rangeOverflow)).toBe(true);
    expect(await box.getByRole('alert').count()).toBe(0);

    // Meanwhile another member of the board uses the clock's one extension.
    const first = await users.board.post(`/api/tasks/${task.id}/extend`, { workingDays: 5, reason: 'Ban thường vụ gia hạn do chờ thẩm tra' });
    expect(first.status).toBe(200);

    await days.fill('20');
    await box.getByRole('button', { name: 'Gia hạn', exact: true }).click();
    const alert = box.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Thời hạn T3 đã được gia hạn một lần (5 ngày làm việc); không thể gia hạn thêm');
    // The page reloads the case: the clock shows as used, with the first extension.
    const used = box.getByTestId('extension-used');
    await used.waitFor();
    expect(await used.textContent()).toContain('Thời hạn T3 đã được gia hạn 5 ngày làm việc');
    expect(await box.locator('form').count()).toBe(0);
    await screenshot(page, 'clock-extension-04-refused');

    // In English, the screen and the API's refusals are in English.
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await box.getByRole('heading', { name: /Extend time limit T3/ }).waitFor();
    expect(await used.textContent()).toContain('Time limit T3 was extended by 5 working days; each time limit may be extended only once.');
    // The board reaches the same state from its task page.
    await page.goto(`/#/tasks/${encodeURIComponent(task.id)}`);
    await page.getByTestId('clock-T3').getByTestId('extension-used').waitFor();
    await context.close();

    const again = await users.board.post(`/api/tasks/${task.id}/extend`, { workingDays: 5, reason: 'lần nữa' }, { 'accept-language': 'en' });
    expect(again.status).toBe(422);
    expect(again.body.message).toContain('Time limit T3 was already extended once (5 working days)');
    expect((await sys.history(id)).filter((e) => e.type === 'deadline_extended').map((e) => e.data.workingDays)).toEqual([5]);
  });
});
