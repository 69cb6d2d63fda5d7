import { emailRetryDelayMs, EMAIL_MAX_RETRY_MS } from './email-outbox.sender.js';
import { candidateLink, renderNotification, taskLink } from './notification.activities.js';

describe('emailRetryDelayMs', () => {
  it('waits the base after the first failed attempt and doubles after each', () => {
    expect([1, 2, 3, 4, 5].map((a) => emailRetryDelayMs(a, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
  });

  it('never waits more than an hour between two attempts', () => {
    expect(emailRetryDelayMs(8, 30_000)).toBe(EMAIL_MAX_RETRY_MS);
    expect(emailRetryDelayMs(40, 30_000)).toBe(EMAIL_MAX_RETRY_MS);
  });
});

describe('notification links', () => {
  it('open the web app’s hash route of the task, which the app serves', () => {
    expect(taskLink('https://ketnap.example', 'c1:grassroots_admission_review:1')).toBe('https://ketnap.example/#/tasks/c1%3Agrassroots_admission_review%3A1');
  });

  it('open the candidate’s page when the reminder has no task', () => {
    expect(candidateLink('https://ketnap.example', '5b0e6a3c-0000-4000-8000-000000000001')).toBe('https://ketnap.example/#/candidates/5b0e6a3c-0000-4000-8000-000000000001');
  });

  it('are the link of the rendered e-mail and feed entry', () => {
    const r = renderNotification(
      { kind: 'overdue', key: 'k', candidateId: 'c1', candidateName: 'Nguyễn Văn An', taskId: 't/1', taskType: 'grassroots_admission_review', orgUnitId: 'u', role: 'grassroots_committee', dueDate: '2026-04-14', dueAt: '2026-04-14T23:59:59+07:00', businessDate: '2026-04-15' },
      'http://ketnap.test',
    );
    expect(r.link).toBe('http://ketnap.test/#/tasks/t%2F1');
    expect(r.body).toContain('Mở nhiệm vụ / Open the task: http://ketnap.test/#/tasks/t%2F1');
    expect(r.body).toContain('14/04/2026');
  });
});
