import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderNotification } from '../../apps/worker/src/notification.activities.js';
import { STEPS, type TaskType } from '../../libs/domain/src/procedure.js';
import type { Api } from '../support/http.js';
import { openDataSource, waitFor } from '../support/fixtures.js';
import { TestSystem, type UserKey } from '../support/system.js';
import { launch, newPage, screenshot, SCREENSHOTS, signIn, unlabelledFields } from './support.js';

/**
 * The approvers' web app in a real browser (Debian's Chromium driven by Playwright) against the running
 * system: API + worker on the real Temporal server and PostgreSQL. Screenshots of every screen go to
 * .data/test-results/screenshots/.
 */
const sys = new TestSystem();
let browser: Browser;
let base: string;

/** Who acts on each step of the admission path in the test org tree. */
const ACTOR: Partial<Record<TaskType, UserKey>> = {
  recognize_sympathiser: 'secretary',
  record_training_certificate: 'centre',
  submit_application: 'secretary',
  verify_background: 'grassroots',
  record_introductions: 'secretary',
  cell_admission_vote: 'secretary',
  grassroots_admission_review: 'grassroots',
  superior_admission_decision: 'board',
};
const PATH = Object.keys(ACTOR) as TaskType[];

/** A new candidate driven through the API up to (not including) `step`. */
async function candidateAt(step: TaskType, name: string): Promise<string> {
  const id = await sys.newCandidate(sys.users.secretary, name);
  for (const s of PATH.slice(0, PATH.indexOf(step))) await sys.decideOk(sys.users[ACTOR[s]!], id, s);
  await sys.openTask(sys.users[ACTOR[step]!], id, step);
  return id;
}

const password = 'password-0001';
const login = (key: UserKey) => `${key}-${sys.tag}`;
const stageOf = async (as: Api, id: string) => (await as.get(`/api/candidates/${id}`)).body.stage as string;

beforeAll(async () => {
  await sys.start();
  base = `http://127.0.0.1:${sys.app.getHttpServer().address().port}`;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await sys.stop();
});

describe('the approvers web app in Chromium', () => {
  it('serves the app on the API origin with a strict content security policy', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<div id="root">');
  });

  it('signs a cell secretary in, keeps the session across a reload, and signs out', async () => {
    const { context, page } = await newPage(browser, base);
    await page.goto('/');
    await page.getByLabel('Tên đăng nhập').fill(login('secretary'));
    await page.getByLabel('Mật khẩu').fill('wrong-password');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, '01-sign-in-refused');
    expect(await unlabelledFields(page)).toEqual([]);
    // By keyboard alone: the username field, Tab to the password, Enter to submit.
    await page.getByLabel('Tên đăng nhập').fill('');
    await page.getByLabel('Tên đăng nhập').focus();
    await page.keyboard.type(login('secretary'));
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Việc cần xử lý' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Việc cần xử lý' }).waitFor();
    const token = await page.evaluate(() => localStorage.getItem('ketnap.token'));
    expect((await sys.anon.as(token!).get('/api/auth/me')).status).toBe(200);
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    // Signing out ended the session on the server: the token is refused even if someone kept a copy.
    await waitFor('the signed-out token refused', async () => ((await sys.anon.as(token!).get('/api/auth/me')).status === 401 ? true : undefined));
    await page.reload();
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await context.close();
  });

  it('finds a task by a name typed without diacritics, refuses a cell vote below two thirds, and moves the candidate on with a valid one', async () => {
    const name = `Nguyễn Văn An ${sys.tag}`;
    const other = await candidateAt('recognize_sympathiser', `Trần Thị Bình ${sys.tag}`);
    const id = await candidateAt('cell_admission_vote', name);
    const { context, page } = await newPage(browser, base);
    await signIn(page, login('secretary'), password);
    await screenshot(page, '02-inbox');
    expect(await unlabelledFields(page)).toEqual([]);

    await page.getByLabel('Tìm theo tên (có hoặc không dấu)').fill(`nguyen van an ${sys.tag}`);
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    const rows = page.locator('table.tasks tbody tr');
    await expectRows(page, 1);
    await expect(rows.first().textContent()).resolves.toContain(name);
    expect(await page.locator('table.tasks').textContent()).not.toContain('Trần Thị Bình');
    await rows.first().getByRole('link', { name }).click();

    await page.getByRole('heading', { name: /Chi bộ xét, đề nghị kết nạp/ }).waitFor();
    // The forms the cell considers that the dossier lacks (no scans yet): a warning, the decision still allowed.
    const warning = page.getByTestId('dossier-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('Hồ sơ còn thiếu các biểu mẫu bước này xem xét: CN-NTVĐ, 1-KNĐ, 2-KNĐ');
    await page.getByLabel('Số đảng viên chính thức của chi bộ *').fill('9');
    await page.getByLabel('Số đảng viên chính thức tán thành *').fill('5');
    await expect(page.getByTestId('vote-hint').textContent()).resolves.toContain('Chưa đạt hai phần ba: 5/9 tán thành, cần tối thiểu 6');
    await screenshot(page, '03-task-vote-below-two-thirds');
    expect(await unlabelledFields(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ghi nhận' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Chưa đạt ít nhất hai phần ba: 5/9 tán thành, cần tối thiểu 6');
    expect(await stageOf(sys.users.secretary, id)).toBe('cell_admission_vote');

    await page.getByLabel('Số đảng viên chính thức tán thành *').fill('7');
    await expect(page.getByTestId('vote-hint').textContent()).resolves.toContain('Đạt ít nhất hai phần ba: 7/9');
    await page.getByRole('button', { name: 'Ghi nhận' }).click();
    const result = page.getByTestId('decision-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Đảng ủy cơ sở xét, đề nghị kết nạp');
    await screenshot(page, '04-task-vote-recorded');
    expect(await stageOf(sys.users.secretary, id)).toBe('grassroots_admission_review');
    // The decision is in the history once, with who decided it.
    const history = (await sys.users.secretary.get(`/api/candidates/${id}/history`)).body.events;
    const votes = history.filter((e: any) => e.type === 'decision_recorded' && e.data.taskType === 'cell_admission_vote');
    expect(votes).toHaveLength(1);
    expect(votes[0].data.decision).toMatchObject({ officialMembers: 9, inFavour: 7 });
    expect(votes[0].actor.username).toBe(login('secretary'));
    expect(other).toBeTruthy();
    await context.close();
  });

  it('says so when a task was already decided by someone else', async () => {
    const id = await candidateAt('submit_application', `Lê Văn Cường ${sys.tag}`);
    const task = await sys.openTask(sys.users.secretary, id, 'submit_application');
    const { context, page } = await newPage(browser, base);
    await signIn(page, login('secretary'), password);
    await page.goto(`/#/tasks/${encodeURIComponent(task.id)}`);
    await page.getByRole('button', { name: 'Ghi nhận' }).waitFor();
    await sys.decideOk(sys.users.secretary, id, 'submit_application'); // someone else, meanwhile
    await page.getByRole('button', { name: 'Ghi nhận' }).click();
    const warning = page.locator('.warning[role=alert]');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('đã được người khác xử lý');
    await context.close();
  });

  it('opens the task from the link of a notification e-mail, and from the older links of e-mails already sent', async () => {
    const name = `Võ Văn Liên Kết ${sys.tag}`;
    const id = await candidateAt('submit_application', name);
    const task = await sys.openTask(sys.users.secretary, id, 'submit_application');
    const heading = (p: Page) => p.getByRole('heading', { name: new RegExp(STEPS.submit_application.vi) });
    const { context, page } = await newPage(browser, base);
    await signIn(page, login('secretary'), password);
    // The link the worker writes into the e-mail and the feed entry (here with this server as the public URL).
    const { link } = renderNotification({ kind: 'due_today', key: 'link', candidateId: id, candidateName: name, taskId: task.id, taskType: 'submit_application', orgUnitId: sys.units.cell, role: 'cell_secretary', businessDate: await sys.today() }, base);
    await page.goto(link);
    await heading(page).waitFor();
    // The form of the link in e-mails sent before (`/tasks/<id>`): redirected to the same page.
    await page.goto('/#/inbox');
    await page.getByRole('heading', { name: 'Việc cần xử lý' }).waitFor();
    await page.goto(`/tasks/${encodeURIComponent(task.id)}`);
    await heading(page).waitFor();
    expect(page.url()).toBe(link);
    await screenshot(page, '04b-task-from-email-link');
    await context.close();
  });

  it('lets the superior standing board decide the admission', async () => {
    const name = `Phạm Thị Dung ${sys.tag}`;
    const id = await candidateAt('superior_admission_decision', name);
    const { context, page } = await newPage(browser, base);
    await signIn(page, login('board'), password);
    await page.getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name: /Ban thường vụ cấp ủy cấp trên quyết định kết nạp/ }).waitFor();
    await page.getByLabel('Số thành viên ban thường vụ *').fill('9');
    await page.getByLabel('Số thành viên tán thành *').fill('6');
    await page.getByLabel('Số quyết định kết nạp').fill(`12-QĐ/ĐU-${sys.tag}`);
    await expect(page.getByTestId('vote-hint').textContent()).resolves.toContain('Đạt quá nửa: 6/9');
    // The task page lists the dossier by form, with the resolutions printed from the decisions.
    await page.locator('tr[data-form="6-KNĐ"][data-status="present"]').getByRole('button', { name: 'In mẫu (PDF)' }).waitFor();
    await screenshot(page, '05-superior-decision');
    await page.getByRole('button', { name: 'Ghi nhận' }).click();
    await page.getByTestId('decision-result').waitFor();
    expect(await page.getByTestId('decision-result').textContent()).toContain('Lễ kết nạp');
    expect(await stageOf(sys.users.board, id)).toBe('ceremony');
    await context.close();
  });

  it('renders the reports page with quota, funnel and composition charts for the superior unit', async () => {
    const { context, page } = await newPage(browser, base);
    await signIn(page, login('board'), password);
    await page.getByRole('link', { name: 'Báo cáo' }).click();
    await page.getByTestId('quota-chart').waitFor();
    await page.getByTestId('funnel-chart').waitFor();
    await page.getByTestId('composition-chart').waitFor();
    const today = await sys.today();
    const api = (await sys.users.board.get(`/api/reports/admissions?orgUnitId=${sys.units.superior}&from=${today.slice(0, 4)}-01-01&to=${today}`)).body;
    expect(api.total.admitted).toBeGreaterThanOrEqual(1); // the admission decided in the browser above
    const totalRow = page.locator('tr.total');
    expect(await totalRow.locator('td').nth(1).textContent()).toBe(String(api.total.admitted));
    await screenshot(page, '12-reports');
    expect(await unlabelledFields(page)).toEqual([]);
    await context.close();
  });

  it('records a class of certificates at once for the training centre', async () => {
    const names = ['Hoàng Văn Em', 'Vũ Thị Giang', 'Đỗ Văn Hải'].map((n) => `${n} ${sys.tag}`);
    const ids: string[] = [];
    for (const n of names) ids.push(await candidateAt('record_training_certificate', n));
    const { context, page } = await newPage(browser, base);
    await signIn(page, login('centre'), password);
    await page.getByRole('link', { name: 'Xử lý hàng loạt' }).click();
    await page.getByRole('heading', { name: 'Ghi nhận giấy chứng nhận cho cả lớp' }).waitFor();
    for (const n of names) await page.getByLabel(`Chọn ${n}`).check();
    await page.getByLabel('Ký hiệu').fill(`CN-${sys.tag}`);
    await screenshot(page, '06-bulk-certificates');
    expect(await unlabelledFields(page)).toEqual([]);
    await page.getByRole('button', { name: 'Ghi nhận cho 3 người đã chọn' }).click();
    const results = page.getByTestId('bulk-results');
    await results.waitFor();
    expect(await results.textContent()).toContain('3 đã ghi nhận, 0 bị từ chối');
    for (const id of ids) expect(await stageOf(sys.users.secretary, id)).toBe('application');
    const events = (await sys.users.secretary.get(`/api/candidates/${ids[0]}/history`)).body.events;
    const cert = events.find((e: any) => e.type === 'decision_recorded' && e.data.taskType === 'record_training_certificate');
    expect(cert.data.decision.certificateNo).toMatch(new RegExp(`^\\d+/CN-${sys.tag}$`));
    await context.close();
  });

  it('saves a filter on the server and reuses it after a reload', async () => {
    await candidateAt('recognize_sympathiser', `Bùi Văn Khánh ${sys.tag}`);
    const { context, page } = await newPage(browser, base);
    await signIn(page, login('secretary'), password);
    await page.getByLabel('Bước').selectOption('recognize_sympathiser');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('table.tasks tbody tr')].every((r) => r.textContent?.includes('công nhận quần chúng ưu tú')));
    const filterName = `Cảm tình Đảng ${sys.tag}`;
    await page.getByLabel('Tên bộ lọc').fill(filterName);
    await page.getByRole('button', { name: 'Lưu bộ lọc' }).click();
    await page.getByRole('button', { name: filterName, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Bỏ lọc' }).click();
    await page.reload();
    await page.getByRole('button', { name: filterName, exact: true }).click();
    await expect(page.getByLabel('Bước').inputValue()).resolves.toBe('recognize_sympathiser');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('table.tasks tbody tr')];
      return rows.length > 0 && rows.every((r) => r.textContent?.includes('công nhận quần chúng ưu tú'));
    });
    const saved = (await sys.users.secretary.get('/api/saved-filters')).body;
    const list = Array.isArray(saved) ? saved : saved.items;
    expect(list.find((f: any) => f.name === filterName)?.query).toMatchObject({ type: 'recognize_sympathiser' });
    await screenshot(page, '07-inbox-saved-filter');
    await context.close();
  });

  it('shows the candidate dossier with the procedure timeline, history, comments and a scanned form', async () => {
    const name = `Ngô Thị Lan ${sys.tag}`;
    const id = await candidateAt('verify_background', name);
    const { context, page } = await newPage(browser, base);
    await signIn(page, login('secretary'), password);
    await page.goto(`/#/candidates/${id}`);
    await page.getByRole('heading', { name }).waitFor();
    const timeline = page.getByRole('list', { name: 'Tiến trình' });
    expect(await timeline.locator('li.done').count()).toBe(3);
    expect(await timeline.locator('li.current').textContent()).toContain('Thẩm tra lý lịch');
    expect(await page.locator('table.history').textContent()).toContain('Ghi nhận quyết định');
    await page.getByLabel('Nội dung ý kiến').fill('Đã nhận đủ bản khai lý lịch.');
    await page.getByRole('button', { name: 'Gửi ý kiến' }).click();
    await page.locator('ul.comments li', { hasText: 'Đã nhận đủ bản khai lý lịch.' }).waitFor();
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082', 'hex');
    await page.getByLabel('Tệp').setInputFiles({ name: 'mau-2-KND.png', mimeType: 'image/png', buffer: png });
    await page.getByLabel('Loại biểu mẫu (ví dụ 2-KNĐ)').fill('2-KNĐ');
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await page.getByRole('button', { name: 'mau-2-KND.png' }).first().waitFor();
    // The dossier as forms: the whole catalogue, the scan linked to its form, the application form printable (20-KNĐ).
    const forms = page.getByRole('table', { name: 'Hồ sơ theo biểu mẫu' });
    await forms.locator('tr[data-form="2-KNĐ"][data-status="present"]').waitFor();
    expect(await forms.locator('tbody tr').count()).toBe(19);
    expect(await forms.locator('tr[data-form="2-KNĐ"]').textContent()).toContain('mau-2-KND.png');
    expect(await forms.locator('tr[data-form="1-KNĐ"]').textContent()).toContain('Còn thiếu');
    expect(await forms.locator('tr[data-form="10-KNĐ"]').textContent()).toContain('Không áp dụng');
    expect(await forms.locator('tr[data-form="20-KNĐ"]').getByRole('button', { name: 'In mẫu (PDF)' }).count()).toBe(1);
    await screenshot(page, '08-candidate');
    expect(await unlabelledFields(page)).toEqual([]);
    const files = (await sys.users.secretary.get(`/api/candidates/${id}/attachments`)).body;
    expect((Array.isArray(files) ? files : files.items)[0]).toMatchObject({ filename: 'mau-2-KND.png', contentType: 'image/png', size: png.length });
    await context.close();
  });

  it('lets the committee over both cells transfer a candidate, and shows the transfer in the history', async () => {
    const name = `Trịnh Văn Minh ${sys.tag}`;
    const id = await candidateAt('recognize_sympathiser', name);
    const { context, page } = await newPage(browser, base);
    await signIn(page, login('provinceBoard'), password);
    await page.goto(`/#/candidates/${id}`);
    await page.getByRole('heading', { name }).waitFor();
    await page.getByLabel('Chi bộ chuyển đến').selectOption({ label: `Chi bộ khác ${sys.tag}` });
    await page.getByLabel('Lý do (ví dụ chuyển công tác)').fill('Chuyển công tác về xã khác');
    await page.getByRole('button', { name: 'Chuyển sinh hoạt' }).click();
    await page.locator('table.history tr.candidate_transferred', { hasText: 'Chuyển công tác về xã khác' }).waitFor();
    await screenshot(page, '13-candidate-transferred');
    const c = (await sys.users.provinceBoard.get(`/api/candidates/${id}`)).body;
    expect(c.cellId).toBe(sys.units.otherCell);
    await context.close();
  });

  it('lets the cell secretary update the candidate facts (issue 16) and shows the change, from → to, in the history', async () => {
    const name = `Hồ Thị Học ${sys.tag}`;
    const id = await candidateAt('recognize_sympathiser', name);
    const { context, page } = await newPage(browser, base);
    await signIn(page, login('secretary'), password);
    await page.goto(`/#/candidates/${id}`);
    await page.getByRole('heading', { name }).waitFor();
    await page.getByLabel('Trình độ học vấn').selectOption('postgraduate');
    await page.getByLabel('Căn cứ (ví dụ số bằng tốt nghiệp)').fill('Bằng thạc sĩ số 12');
    expect(await unlabelledFields(page)).toEqual([]);
    await page.getByRole('button', { name: 'Cập nhật', exact: true }).click();
    await page.locator('table.history tr.candidate_facts_changed', { hasText: 'Trình độ học vấn: Đại học → Sau đại học' }).waitFor();
    await screenshot(page, '13b-candidate-facts-changed');
    expect((await sys.users.secretary.get(`/api/candidates/${id}`)).body.education).toBe('postgraduate');
    await context.close();
  });

  it('runs a training class: the centre opens it, the grassroots committee proposes, the centre enrols and certifies', async () => {
    const names = ['Lâm Văn Phúc', 'Tạ Thị Quyên'].map((n) => `${n} ${sys.tag}`);
    const ids: string[] = [];
    for (const n of names) ids.push(await candidateAt('record_training_certificate', n));
    const today = await sys.today();
    const ddmmyyyy = today.split('-').reverse().join('/');
    const className = `Lớp nhận thức về Đảng K1 ${sys.tag}`;

    const centre = await newPage(browser, base);
    await signIn(centre.page, login('centre'), password);
    await centre.page.getByRole('link', { name: 'Lớp bồi dưỡng' }).click();
    await centre.page.getByLabel('Tên lớp').fill(className);
    await centre.page.getByLabel('Khai giảng').fill(ddmmyyyy);
    await centre.page.getByLabel('Bế giảng').fill(ddmmyyyy);
    await centre.page.getByLabel('Sĩ số tối đa').fill('10');
    await centre.page.getByRole('button', { name: 'Mở lớp' }).click();
    await centre.page.getByRole('link', { name: className }).waitFor();

    const committee = await newPage(browser, base);
    await signIn(committee.page, login('grassroots'), password);
    await committee.page.getByRole('link', { name: 'Lớp bồi dưỡng' }).click();
    await committee.page.getByRole('link', { name: className }).click();
    for (const n of names) await committee.page.getByLabel(new RegExp(n)).check();
    await committee.page.getByRole('button', { name: 'Đề nghị 2 người đã chọn' }).click();
    await committee.page.locator('table tbody tr', { hasText: names[1] }).getByText('Được đề nghị').waitFor();
    await committee.context.close();

    await centre.page.getByRole('link', { name: className }).click();
    await centre.page.getByRole('button', { name: 'Xác nhận tất cả người được đề nghị' }).click();
    await centre.page.getByRole('button', { name: 'Cấp giấy chứng nhận cho cả lớp (2)' }).click();
    const result = centre.page.getByTestId('certify-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('2 được ghi nhận, 0 đã ghi nhận từ trước, 0 bị từ chối');
    // Certification runs as a job; the page followed its progress to the end.
    expect(await centre.page.getByTestId('certify-progress').textContent()).toContain('Đã xử lý 2/2');
    expect(await unlabelledFields(centre.page)).toEqual([]);
    await screenshot(centre.page, '14-training-class');
    for (const id of ids) expect(await stageOf(sys.users.secretary, id)).toBe('application');
    const events = (await sys.users.secretary.get(`/api/candidates/${ids[0]}/history`)).body.events;
    const cert = events.find((e: any) => e.type === 'decision_recorded' && e.data.taskType === 'record_training_certificate');
    expect(cert.data.decision.certificateNo).toMatch(new RegExp(`^\\d+/CN-${today.slice(0, 4)}$`));
    await centre.context.close();
  });

  it('opens an inbox of 5,000 tasks with one paged request and pages through it', async () => {
    // A cell of its own with 5,000 open tasks written straight into the read model.
    const cell = (await sys.admin.post('/api/org-units', { name: `Chi bộ lớn ${sys.tag}`, kind: 'cell', parentId: sys.units.grassroots })).body.id;
    const user = `big-${sys.tag}`;
    expect((await sys.admin.post('/api/users', { username: user, password, fullName: 'Bí thư chi bộ lớn', roles: [{ role: 'cell_secretary', orgUnitId: cell }] })).status).toBe(201);
    const ds = await openDataSource();
    try {
      await ds.query(
        `INSERT INTO candidates (id, cell_id, full_name, search_name, date_of_birth, gender, ethnicity, education, youth_union_member, source, routing, stage, status, version, workflow_id)
         SELECT gen_random_uuid(), $1, 'Người thứ ' || n, 'nguoi thu ' || n, DATE '1998-01-01', 'male', 'Kinh', 'university', true, '{}', '{}', 'source_review', 'active', 1, 'bulk-${sys.tag}-' || n
           FROM generate_series(1, 5000) AS n`,
        [cell],
      );
      await ds.query(
        `INSERT INTO tasks (id, candidate_id, type, role, org_unit_id, status, attempt, opened_at, opened_on, due_date, due_at, version)
         SELECT c.id || '.1', c.id, 'recognize_sympathiser', 'cell_secretary', $1, 'open', 1, now(), current_date, current_date + 10, now() + interval '10 days', 1
           FROM candidates c WHERE c.cell_id = $1`,
        [cell],
      );
    } finally {
      await ds.destroy();
    }
    const { context, page } = await newPage(browser, base);
    const inboxRequests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/tasks') inboxRequests.push(r.url());
    });
    await signIn(page, user, password);
    await page.getByText('5.000 việc').waitFor();
    expect(await page.locator('table.tasks tbody tr').count()).toBe(50);
    expect(inboxRequests).toHaveLength(1);
    expect(new URL(inboxRequests[0]).searchParams.get('limit')).toBe('50');
    const first = await page.locator('table.tasks tbody tr').first().textContent();
    await page.getByRole('button', { name: 'Trang sau' }).click();
    await page.getByText('Trang 2/100').waitFor();
    await page.waitForFunction((f) => document.querySelector('table.tasks tbody tr')?.textContent !== f, first);
    expect(inboxRequests).toHaveLength(2);
    await context.close();
    // The rows have no workflow behind them: take them out of the shared test database again.
    const cleanup = await openDataSource();
    try {
      await cleanup.query(`DELETE FROM tasks WHERE org_unit_id = $1`, [cell]);
      await cleanup.query(`DELETE FROM candidates WHERE cell_id = $1`, [cell]);
    } finally {
      await cleanup.destroy();
    }
  });

  it('fits a phone-sized screen and switches to English', async () => {
    const { context, page } = await newPage(browser, base, { width: 390, height: 844 });
    await signIn(page, login('secretary'), password);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, '09-inbox-phone');
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await screenshot(page, '10-inbox-english');
    await context.close();
  });

  it('gives the administrator org units and users with roles', async () => {
    const { context, page } = await newPage(browser, base);
    await signIn(page, `admin-${sys.tag}`, 'admin-password');
    await page.getByRole('link', { name: 'Quản trị' }).click();
    await page.getByRole('heading', { name: 'Tổ chức đảng' }).waitFor();
    await page.getByLabel('Tên', { exact: true }).fill(`Chi bộ mới ${sys.tag}`);
    await page.getByLabel('Loại tổ chức').selectOption('cell');
    await page.getByLabel('Trực thuộc').selectOption({ label: `Đảng ủy trường ${sys.tag}` });
    await page.getByRole('button', { name: 'Tạo mới' }).first().click();
    await page.locator('ul.tree li', { hasText: `Chi bộ mới ${sys.tag}` }).waitFor();
    await screenshot(page, '11-admin');
    expect(await unlabelledFields(page)).toEqual([]);
    const units = (await sys.admin.get(`/api/org-units?parentId=${sys.units.grassroots}`)).body.items;
    expect(units.find((u: any) => u.name === `Chi bộ mới ${sys.tag}`)).toMatchObject({ kind: 'cell', parentId: sys.units.grassroots });
    await context.close();
  });

  it('lets the administrator deactivate a user, reset a password and read the security log, each ending the user’s sessions', async () => {
    const username = `khoa-${sys.tag}`;
    const created = await sys.admin.post('/api/users', { username, password, fullName: 'Người sẽ bị khóa', roles: [{ role: 'cell_secretary', orgUnitId: sys.units.cell }] });
    expect(created.status).toBe(201);
    const session = await sys.anon.login(username, password);
    const { context, page } = await newPage(browser, base);
    await signIn(page, `admin-${sys.tag}`, 'admin-password');
    await page.getByRole('link', { name: 'Quản trị' }).click();
    await page.getByLabel('Tìm người dùng').fill(username);
    await page.getByRole('button', { name: `Sửa ${username}` }).click();
    await page.getByRole('heading', { name: `Sửa người dùng: ${username}` }).waitFor();
    expect(await unlabelledFields(page)).toEqual([]);

    await page.getByRole('button', { name: 'Khóa tài khoản' }).click();
    await page.getByText('Đã khóa tài khoản và kết thúc mọi phiên đăng nhập.').waitFor();
    await page.locator('tr', { hasText: username }).getByText('Đã khóa').waitFor();
    expect((await session.get('/api/tasks')).status).toBe(401);

    await page.getByRole('button', { name: 'Mở khóa tài khoản' }).click();
    await page.getByText('Đã mở khóa tài khoản.').waitFor();
    await page.getByLabel('Mật khẩu mới').fill('ngắn quá');
    expect(await page.getByLabel('Mật khẩu mới').evaluate((el: HTMLInputElement) => el.validity.tooShort)).toBe(true);
    await page.getByLabel('Mật khẩu mới').fill('mật-khẩu-mới-2026');
    await page.getByRole('button', { name: 'Đặt lại mật khẩu' }).click();
    await page.getByText('Đã đặt lại mật khẩu; mọi phiên đăng nhập cũ đã kết thúc.').waitFor();
    expect((await sys.anon.post('/api/auth/login', { username, password })).status).toBe(401);
    expect((await sys.anon.post('/api/auth/login', { username, password: 'mật-khẩu-mới-2026' })).status).toBe(200);

    const log = page.locator('section', { has: page.getByRole('heading', { name: 'Nhật ký an ninh' }) });
    await page.reload();
    for (const event of ['Khóa tài khoản', 'Mở khóa tài khoản', 'Đặt lại mật khẩu']) {
      await log.locator('tr', { hasText: username }).filter({ has: page.getByRole('cell', { name: event, exact: true }) }).waitFor();
    }
    await screenshot(page, '15-admin-users-security-log');
    await context.close();
  });

  it('wrote a screenshot of every screen', () => {
    for (const n of ['02-inbox', '03-task-vote-below-two-thirds', '05-superior-decision', '06-bulk-certificates', '07-inbox-saved-filter', '08-candidate', '09-inbox-phone', '11-admin', '12-reports', '14-training-class']) {
      expect(fs.statSync(path.join(SCREENSHOTS, `${n}.png`)).size).toBeGreaterThan(1000);
    }
  });
});

async function expectRows(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => document.querySelectorAll('table.tasks tbody tr').length === count, n);
}
