import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { DataSource } from 'typeorm';
import { EmailOutboxSender } from '../../apps/worker/src/email-outbox.sender.js';
import { NotificationRepository } from '../../libs/persistence/src/repositories/notification.repository.js';
import { validDecision } from '../support/decisions.js';
import { openDataSource, waitFor } from '../support/fixtures.js';
import { TestSystem } from '../support/system.js';

/**
 * The e-mail outbox on the running system (API + worker on the real Temporal server and PostgreSQL, a real
 * SMTP server on loopback): a mail server that refuses everything holds up no case, its failures are counted,
 * stop after KETNAP_EMAIL_MAX_ATTEMPTS and are listed to administrators; a working one gets each (recipient,
 * key) exactly once while several senders race and are stopped and started mid-run. The business clock runs
 * at 1,000,000× (a business day every 86 ms): the 60 working days after the cell's resolution pass in ~7 s.
 */
const SPEED = 1_000_000;
const MAX_ATTEMPTS = 3;

const sys = new TestSystem();
let ds: DataSource;
let smtp: SMTPServer;
/** `refuse`: every recipient gets 550, as a mailbox that does not exist or a server that rejects us. */
let mode: 'refuse' | 'accept' = 'refuse';
/** Time the server takes to take a message, so that senders are caught mid-run. */
let dataDelayMs = 0;
const rcptAttempts = new Map<string, number>();
const mails: { to: string; notificationId: string; subject: string; text: string }[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      rcptAttempts.set(to, (rcptAttempts.get(to) ?? 0) + 1);
      if (mode === 'refuse') return callback(Object.assign(new Error(`5.1.1 <${to}>: mailbox unavailable`), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (m) => {
          await new Promise((r) => setTimeout(r, dataDelayMs));
          for (const rcpt of session.envelope.rcptTo) mails.push({ to: rcpt.address.toLowerCase(), notificationId: String(m.headers.get('x-ketnap-notification') ?? ''), subject: m.subject ?? '', text: m.text ?? '' });
        })
        .then(() => callback(), callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  await sys.start({
    KETNAP_CLOCK_SPEED: String(SPEED),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    KETNAP_PUBLIC_URL: 'http://ketnap.test',
    KETNAP_EMAIL_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    KETNAP_EMAIL_RETRY_BASE_MS: '100',
    KETNAP_EMAIL_POLL_MS: '100',
  });
  ds = await openDataSource();
});

afterAll(async () => {
  await sys.stop();
  await ds?.destroy();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const history = (candidateId: string) => sys.history(candidateId);
const toCellResolution = (name: string) => sys.toCellResolution(name);

/** `p`, or a failure naming `what` when it has not settled within `ms`. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

interface OutboxRow {
  id: string;
  key: string;
  status: string | null;
  attempts: number;
  emailTo: string | null;
  error: string | null;
  emailedAt: string | null;
}

async function outboxRows(where: string, params: unknown[]): Promise<OutboxRow[]> {
  return ds.query(
    `SELECT id, dedupe_key AS key, email_status AS status, email_attempts AS attempts, email_to AS "emailTo", email_error AS error, emailed_at AS "emailedAt"
       FROM notifications WHERE ${where} ORDER BY created_at, id`,
    params,
  );
}

describe('the e-mail outbox', () => {
  it('lets the next decision through while the mail server refuses every e-mail, counts the attempts, stops after the last and lists the failures to administrators', async () => {
    const { users, admin } = sys;
    const grassrootsEmail = sys.email('grassroots').toLowerCase();
    const id = await toCellResolution('Trịnh Văn Hộp Thư');
    // Reminders before and on the due date, then the missed deadline and the escalation to the level above:
    // each recorded in the case history, each e-mail refused by the server. (Run against the code before the
    // outbox, this wait timed out: the first reminder's activity sent its e-mail inline, threw on the 550 and
    // retried without end, and the projection chain held every later write and decision behind it.)
    const events = await waitFor('the missed deadline and its escalation', async () => {
      const h = await history(id);
      return h.some((e) => e.type === 'deadline_missed') ? h : undefined;
    }, 30_000);
    expect(events.filter((e) => e.type === 'reminder_sent').length).toBeGreaterThanOrEqual(3);
    await waitFor('a refused e-mail', async () => ((rcptAttempts.get(grassrootsEmail) ?? 0) > 0 ? true : undefined));

    // The next decision on the case answers at once. Before the outbox, its update waited for the projection
    // chain (candidate.workflow.ts, flush) behind the reminder that kept failing, and never answered.
    const task = await sys.openTask(users.grassroots, id, 'grassroots_admission_review');
    const started = Date.now();
    const decided = await within(20_000, 'the decision after refused e-mails', users.grassroots.post(`/api/tasks/${task.id}/complete`, validDecision('grassroots_admission_review', await sys.today())));
    expect(decided.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(20_000);
    await waitFor('the overdue item to close', async () =>
      (await users.board.get('/api/tasks?type=overdue_escalation')).body.items.some((t: any) => t.candidateId === id) ? undefined : true,
    );

    // Every e-mail to the grassroots committee (its reminders are over with the decision) is tried
    // MAX_ATTEMPTS times, then marked failed, with the server's answer.
    const mine = await waitFor('the grassroots e-mails to fail for good', async () => {
      const rows = await outboxRows(`candidate_id = $1 AND email_to = $2`, [id, sys.email('grassroots')]);
      return rows.length >= 3 && rows.every((r) => r.status === 'failed') ? rows : undefined;
    }, 30_000);
    for (const r of mine) expect(r).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, emailedAt: null, error: expect.stringContaining('550') });
    expect(new Set(mine.map((r) => r.key)).size).toBe(mine.length);
    // The server saw exactly those attempts, and no more come (the backoff here is 100, 200 ms).
    expect(rcptAttempts.get(grassrootsEmail)).toBe(mine.length * MAX_ATTEMPTS);
    await new Promise((r) => setTimeout(r, 1500));
    expect(rcptAttempts.get(grassrootsEmail)).toBe(mine.length * MAX_ATTEMPTS);
    // The feed has them all: in-app delivery never depended on the mail server.
    const feed = (await users.grassroots.get('/api/notifications?limit=200')).body.items.filter((n: any) => n.candidateId === id);
    expect(feed.map((n: any) => n.id).sort()).toEqual(mine.map((r) => r.id).sort());

    // Administrators see the failures with recipient, candidate, key, error and attempts; nobody else does.
    const listed = (await admin.get('/api/notifications/email-failures?limit=200')).body;
    expect(listed.total).toBeGreaterThanOrEqual(mine.length);
    const shown = listed.items.filter((f: any) => f.candidateId === id && f.emailTo === sys.email('grassroots'));
    expect(shown.map((f: any) => f.id).sort()).toEqual(mine.map((r) => r.id).sort());
    expect(shown[0]).toMatchObject({
      status: 'failed',
      username: `grassroots-${sys.tag}`,
      candidateName: 'Trịnh Văn Hộp Thư',
      attempts: MAX_ATTEMPTS,
      kind: expect.any(String),
      key: expect.any(String),
      error: expect.stringContaining('550'),
    });
    expect((await admin.get('/api/notifications/email-failures?limit=1')).body.items).toHaveLength(1);
    expect((await users.grassroots.get('/api/notifications/email-failures')).status).toBe(403);
    expect((await sys.anon.get('/api/notifications/email-failures')).status).toBe(401);
    expect((await users.board.post(`/api/notifications/email-failures/${mine[0].id}/retry`)).status).toBe(403);

    // The mail server works again: an administrator re-queues one, and it is sent once.
    mode = 'accept';
    const retried = await admin.post(`/api/notifications/email-failures/${mine[0].id}/retry`);
    expect(retried).toMatchObject({ status: 200, body: { id: mine[0].id, status: 'pending' } });
    const mail = await waitFor('the re-queued e-mail', async () => mails.find((m) => m.notificationId === mine[0].id));
    expect(mail.to).toBe(grassrootsEmail);
    expect(mail.text).toContain('Trịnh Văn Hộp Thư');
    const [after] = await waitFor('the row marked sent', async () => {
      const rows = await outboxRows(`id = $1 AND email_status = 'sent'`, [mine[0].id]);
      return rows.length ? rows : undefined;
    });
    expect(after).toMatchObject({ attempts: 1, error: null, emailedAt: expect.anything() });
    expect((await admin.get('/api/notifications/email-failures?limit=200')).body.items.some((f: any) => f.id === mine[0].id)).toBe(false);
    const again = await admin.post(`/api/notifications/email-failures/${mine[0].id}/retry`);
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'email_not_retryable' });
    expect((await admin.post(`/api/notifications/email-failures/${randomUUID()}/retry`)).status).toBe(404);
    expect(mails.filter((m) => m.notificationId === mine[0].id)).toHaveLength(1);

    // The link of a real notification opens the task: the web app's hash route, and the older form of the
    // link (e-mails sent before) redirects there.
    const link: string = feed.find((n: any) => n.taskId === task.id).data.link;
    expect(link).toBe(`http://ketnap.test/#/tasks/${encodeURIComponent(task.id)}`);
    const base = sys.anon.baseUrl;
    const legacy = await fetch(`${base}/tasks/${encodeURIComponent(task.id)}`, { redirect: 'manual' });
    expect(legacy.status).toBe(302);
    expect(legacy.headers.get('location')).toBe(link.slice('http://ketnap.test'.length));
    const candidatePage = await fetch(`${base}/candidates/${id}`, { redirect: 'manual' });
    expect({ status: candidatePage.status, location: candidatePage.headers.get('location') }).toEqual({ status: 302, location: `/#/candidates/${id}` });
    // The hash names the task the page loads.
    const hashId = decodeURIComponent(link.split('#/tasks/')[1]);
    expect((await users.grassroots.get(`/api/tasks/${encodeURIComponent(hashId)}`)).body.id).toBe(task.id);

    await users.secretary.post(`/api/candidates/${id}/withdraw`, { reason: 'kết thúc kiểm thử' });
  });

  it('e-mails each recipient and key exactly once while several senders race, stop and start mid-run', async () => {
    mode = 'accept';
    dataDelayMs = 15;
    const repo = new NotificationRepository(ds);
    const recipients = await Promise.all(
      (['secretary', 'grassroots', 'board'] as const).map(async (k) => ({ userId: (await sys.users[k].get('/api/auth/me')).body.id as string, email: sys.email(k) })),
    );
    const prefix = `race-${sys.tag}`;
    const ids = new Set<string>();
    for (let i = 0; i < 60; i += 1) {
      for (const r of recipients) {
        const row = await repo.insertOnce({ userId: r.userId, candidateId: null, taskId: null, kind: 'test', key: `${prefix}-${i}`, title: `[ketnap] Thử ${i}`, body: `Thư thử số ${i}`, data: {}, emailTo: r.email });
        ids.add(row!.id);
      }
    }
    // Inserting a (user, key) again queues nothing (a retried activity).
    expect(await repo.insertOnce({ userId: recipients[0].userId, candidateId: null, taskId: null, kind: 'test', key: `${prefix}-0`, title: 'x', body: 'x', data: {}, emailTo: recipients[0].email })).toBeUndefined();

    // Two more senders beside the worker's, each with its own connection pool, as in separate worker processes.
    const senders = [new EmailOutboxSender(sys.config, new NotificationRepository(ds)), new EmailOutboxSender(sys.config, new NotificationRepository(ds))];
    for (const s of senders) s.start();
    const sent = () => mails.filter((m) => ids.has(m.notificationId)).length;
    try {
      await waitFor('the first e-mails', async () => (sent() >= 20 ? true : undefined), 30_000, 10);
      // Stopped mid-run: the e-mail in flight is finished, the rest of its batch given back.
      await senders[0].stop();
      const [{ left }] = await ds.query(`SELECT count(*)::int AS left FROM notifications WHERE dedupe_key LIKE $1 AND email_status IN ('pending', 'sending')`, [`${prefix}-%`]);
      expect(left).toBeGreaterThan(0);
      await sys.stopWorker();
      senders[0].start();
      await sys.startWorker();
      await waitFor('every e-mail sent', async () => {
        const [{ open }] = await ds.query(`SELECT count(*)::int AS open FROM notifications WHERE dedupe_key LIKE $1 AND email_status IS DISTINCT FROM 'sent'`, [`${prefix}-%`]);
        return open === 0 ? true : undefined;
      }, 60_000);
    } finally {
      for (const s of senders) await s.stop();
    }

    const rows = await outboxRows(`dedupe_key LIKE $1`, [`${prefix}-%`]);
    expect(rows).toHaveLength(ids.size);
    // Sent at the first attempt each: none given back was counted, none sent twice, none in doubt.
    for (const r of rows) expect(r).toMatchObject({ status: 'sent', attempts: 1, error: null, emailedAt: expect.anything() });
    const got = mails.filter((m) => ids.has(m.notificationId));
    expect(got).toHaveLength(ids.size);
    expect(new Set(got.map((m) => m.notificationId)).size).toBe(ids.size);
    // Per (recipient, key): once each.
    const byRow = new Map(rows.map((r) => [r.id, r]));
    const pairs = got.map((m) => `${m.to} ${byRow.get(m.notificationId)!.key}`);
    expect(new Set(pairs).size).toBe(ids.size);
    for (const m of got) expect(m.to).toBe(byRow.get(m.notificationId)!.emailTo!.toLowerCase());
  });

  it('never resends an e-mail whose sender died between the send and its mark: it is in doubt, for an administrator', async () => {
    mode = 'accept';
    dataDelayMs = 0;
    const repo = new NotificationRepository(ds);
    const me = (await sys.users.secretary.get('/api/auth/me')).body.id as string;
    const row = await repo.insertOnce({ userId: me, candidateId: null, taskId: null, kind: 'test', key: `doubt-${sys.tag}`, title: '[ketnap] Thư chưa rõ', body: 'Thư thử', data: {} });
    // As a sender leaves it when killed after the SMTP call and before the mark: claimed long ago
    // (more than KETNAP_EMAIL_CLAIM_TIMEOUT_MS, 10 minutes by default), never confirmed. (Queued and
    // claimed in one statement here, so that no running sender takes it first.)
    await ds.query(`UPDATE notifications SET email_to = $2, email_status = 'sending', email_attempts = 1, email_claimed_at = now() - interval '11 minutes' WHERE id = $1`, [row!.id, sys.email('secretary')]);
    const [doubtful] = await waitFor('the stale claim to be in doubt', async () => {
      const rows = await outboxRows(`id = $1 AND email_status = 'in_doubt'`, [row!.id]);
      return rows.length ? rows : undefined;
    });
    expect(doubtful).toMatchObject({ attempts: 1, emailedAt: null, error: expect.stringContaining('never confirmed') });
    await new Promise((r) => setTimeout(r, 1000));
    expect(mails.some((m) => m.notificationId === row!.id)).toBe(false);
    expect((await outboxRows(`id = $1`, [row!.id]))[0].status).toBe('in_doubt');
    const listed = (await sys.admin.get('/api/notifications/email-failures?limit=200')).body.items.find((f: any) => f.id === row!.id);
    expect(listed).toMatchObject({ status: 'in_doubt', emailTo: sys.email('secretary'), key: `doubt-${sys.tag}`, candidateId: null, attempts: 1 });
    // The administrator decides to send it (again): once.
    expect((await sys.admin.post(`/api/notifications/email-failures/${row!.id}/retry`)).status).toBe(200);
    await waitFor('the e-mail sent on the administrator’s word', async () => mails.find((m) => m.notificationId === row!.id));
    await new Promise((r) => setTimeout(r, 500));
    expect(mails.filter((m) => m.notificationId === row!.id)).toHaveLength(1);
  });
});
