import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../libs/config/src/config.js';
import { STEPS } from '../../../libs/domain/src/procedure.js';
import { NotificationRepository } from '../../../libs/persistence/src/repositories/notification.repository.js';
import type { NotificationRequest } from '../../../workflows/candidate/candidate.messages.js';
import type { DigestResult } from '../../../workflows/digest/digest.messages.js';
import { addWorkingDays } from '../../../libs/domain/src/calendar/index.js';
import { businessNowMs, type BusinessClock } from '../../../libs/domain/src/clock.js';
import { vnDateOf } from '../../../libs/domain/src/dates.js';
import type { TaskType } from '../../../libs/domain/src/procedure.js';
import { SettingsRepository } from '../../../libs/persistence/src/repositories/settings.repository.js';
import { EmailOutboxSender } from './email-outbox.sender.js';

/** The digest lists what is overdue or due within this many working days. */
export const DIGEST_HORIZON_WORKING_DAYS = 5;

const KIND_VI: Record<NotificationRequest['kind'], string> = {
  before_due: 'Sắp đến hạn',
  due_today: 'Đến hạn hôm nay',
  overdue: 'Đã quá hạn',
  overdue_repeat: 'Vẫn quá hạn',
  escalation: 'Cấp dưới quá hạn, đề nghị đôn đốc',
  certificate_expiring: 'Giấy chứng nhận nhận thức về Đảng sắp hết giá trị (60 tháng)',
  certificate_expired: 'Giấy chứng nhận nhận thức về Đảng đã hết giá trị, cần học lại trước khi chi bộ xét',
  dossier_stale: 'Hồ sơ quá 12 tháng: làm lại giấy giới thiệu, nghị quyết giới thiệu của Đoàn hoặc công đoàn (nếu có), tổng hợp ý kiến',
};
const KIND_EN: Record<NotificationRequest['kind'], string> = {
  before_due: 'Due soon',
  due_today: 'Due today',
  overdue: 'Overdue',
  overdue_repeat: 'Still overdue',
  escalation: 'Overdue at the level below: please follow up',
  certificate_expiring: 'Party-awareness certificate lapses soon (60 months)',
  certificate_expired: 'Party-awareness certificate lapsed: the candidate must retake the class before the cell vote',
  dossier_stale: 'Dossier older than 12 months: introductions, the Youth Union or trade-union resolution (if any) and opinions must be redone',
};

/** dd/mm/yyyy, as Vietnamese documents write dates. */
export function viDate(iso: string | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The web app's page of a task or a candidate. It routes on the hash (apps/web/src/router.ts); the API also
 * redirects the older `/tasks/<id>` and `/candidates/<id>` links of e-mails already sent (apps/api/src/bootstrap.ts).
 */
export function taskLink(publicUrl: string, taskId: string): string {
  return `${publicUrl}/#/tasks/${encodeURIComponent(taskId)}`;
}

export function candidateLink(publicUrl: string, candidateId: string): string {
  return `${publicUrl}/#/candidates/${encodeURIComponent(candidateId)}`;
}

export function renderNotification(r: NotificationRequest, publicUrl: string): { title: string; body: string; link: string } {
  const step = STEPS[r.taskType];
  const link = r.taskId ? taskLink(publicUrl, r.taskId) : candidateLink(publicUrl, r.candidateId);
  const title = `[ketnap] ${KIND_VI[r.kind]}: ${step.vi} — ${r.candidateName}`;
  const body = [
    `${KIND_VI[r.kind]} / ${KIND_EN[r.kind]}`,
    `Người vào Đảng / Candidate: ${r.candidateName}`,
    `Bước / Step: ${step.vi} (${step.en})`,
    `Hạn / Due: ${viDate(r.dueDate)} (${r.dueAt ?? '—'})`,
    `Mở nhiệm vụ / Open the task: ${link}`,
  ].join('\n');
  return { title, body, link };
}

/**
 * Writes reminders: one in-app row per (user, reminder key) and, when e-mail is on, the same row queued in
 * the e-mail outbox. It never talks to SMTP: the outbox's sender (email-outbox.sender.ts) delivers apart, so
 * a failing mail server cannot fail the activity nor hold up the case. Safe to retry: rows are unique per
 * key, and only a newly inserted row is queued.
 */
@Injectable()
export class NotificationActivities {
  private readonly log = new Logger('notify');

  constructor(
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(SettingsRepository) private readonly settings: SettingsRepository,
    @Optional() @Inject(EmailOutboxSender) private readonly outbox?: EmailOutboxSender,
  ) {}

  /** The address to queue an e-mail to: none without SMTP or without an address. */
  private emailTo(email: string | null | undefined): string | null {
    return this.config.smtp && email ? email : null;
  }

  /** One feed entry and one e-mail per user listing their overdue and soon-due tasks, once per business day. */
  async sendDailyDigest(): Promise<DigestResult> {
    const clock = await this.settings.get<BusinessClock>('business_clock');
    const today = vnDateOf(clock ? businessNowMs(clock, Date.now()) : Date.now());
    const items = await this.notifications.digestItems(addWorkingDays(today, DIGEST_HORIZON_WORKING_DAYS));
    const byUser = new Map<string, typeof items>();
    for (const it of items) byUser.set(it.userId, [...(byUser.get(it.userId) ?? []), it]);
    let queued = 0;
    for (const [userId, list] of byUser) {
      const overdue = list.filter((i) => i.dueDate < today).length;
      const title = `[ketnap] Tổng hợp ngày ${viDate(today)}: ${overdue} việc quá hạn, ${list.length - overdue} việc sắp đến hạn`;
      const lines = list.map((i) => {
        const step = STEPS[i.taskType as TaskType];
        const mark = i.dueDate < today ? 'QUÁ HẠN / OVERDUE' : 'sắp đến hạn / due soon';
        return `- ${i.candidateName} — ${step?.vi ?? i.taskType} — hạn ${viDate(i.dueDate)} (${mark}) — ${taskLink(this.config.publicUrl, i.taskId)}`;
      });
      const body = [`Tổng hợp công việc trong phạm vi phụ trách / Daily digest (${viDate(today)})`, ...lines].join('\n');
      const key = `digest:${today}`;
      const emailTo = this.emailTo(list[0].email);
      const row = await this.notifications.insertOnce({ userId, candidateId: null, taskId: null, kind: 'digest', key, title, body, data: { date: today, items: list.length, overdue }, emailTo });
      if (row && emailTo) queued += 1;
    }
    if (queued) this.outbox?.wake();
    this.log.log(`daily digest ${today}: ${byUser.size} user(s), ${items.length} item(s), ${queued} e-mail(s) queued`);
    return { users: byUser.size, items: items.length, emailed: queued };
  }

  async notify(requests: NotificationRequest[]): Promise<void> {
    let queued = 0;
    for (const r of requests) {
      const { title, body, link } = renderNotification(r, this.config.publicUrl);
      for (const u of await this.notifications.recipients(r.orgUnitId, r.role)) {
        const emailTo = this.emailTo(u.email);
        const row = await this.notifications.insertOnce({
          userId: u.userId,
          candidateId: r.candidateId,
          taskId: r.taskId,
          kind: r.kind,
          key: r.key,
          title,
          body,
          data: { taskType: r.taskType, dueDate: r.dueDate, dueAt: r.dueAt, link, orgUnitId: r.orgUnitId, role: r.role },
          emailTo,
        });
        if (row && emailTo) queued += 1;
      }
    }
    if (queued) this.outbox?.wake();
    this.log.log(`delivered ${requests.length} reminder(s), ${queued} e-mail(s) queued`);
  }
}
