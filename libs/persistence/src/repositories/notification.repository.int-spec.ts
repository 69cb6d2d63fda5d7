import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { fastClock, insertCandidateRow, newCandidate, openDataSource, routingOf, seedOrgTree } from '../../../../test/support/fixtures.js';
import { NotificationRepository } from './notification.repository.js';

/** Notification rows on real PostgreSQL with the real migrations: once per user, case, task and reminder key. */
let ds: DataSource;
let notifications: NotificationRepository;

beforeAll(async () => {
  ds = await openDataSource();
  notifications = new NotificationRepository(ds);
});

afterAll(async () => {
  await ds?.destroy();
});

describe(NotificationRepository, () => {
  it('gives two cases due the same day each their reminder to the same approver, and each only once', async () => {
    const tree = await seedOrgTree(ds);
    const [user] = await ds.query(`INSERT INTO users (username, password_hash, full_name) VALUES ($1, 'x', 'Ủy viên') RETURNING id`, [`n-${randomUUID()}`]);
    const a = await newCandidate(ds, routingOf(tree), fastClock());
    const b = await newCandidate(ds, routingOf(tree), fastClock());
    await insertCandidateRow(ds, a);
    await insertCandidateRow(ds, b);
    // A reminder key names a point in time, the same for every case due that day (what `npm run chaos` caught).
    const key = '2027-05-31:before:1';
    const reminder = (candidateId: string) => ({ userId: user.id, candidateId, taskId: `${candidateId}:grassroots_admission_review:1`, kind: 'before_due', key, title: 't', body: 'b', data: {}, emailTo: 'uv@ketnap.test' });
    expect(await notifications.insertOnce(reminder(a.candidateId))).toBeDefined();
    expect(await notifications.insertOnce(reminder(b.candidateId))).toBeDefined();
    expect(await notifications.insertOnce(reminder(a.candidateId))).toBeUndefined();
    const rows = await ds.query(`SELECT candidate_id, email_status FROM notifications WHERE user_id = $1 ORDER BY candidate_id`, [user.id]);
    expect(rows).toHaveLength(2);
    expect(rows.every((r: { email_status: string }) => r.email_status === 'pending')).toBe(true);
    // A digest (no case, no task) stays once per user and key.
    const digest = { userId: user.id, candidateId: null, taskId: null, kind: 'digest', key: 'digest:2027-05-31', title: 't', body: 'b', data: {} };
    expect(await notifications.insertOnce(digest)).toBeDefined();
    expect(await notifications.insertOnce(digest)).toBeUndefined();
  });
});
