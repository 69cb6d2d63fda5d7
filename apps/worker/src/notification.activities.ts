import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
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
  dossier_stale: 'Hồ sơ quá 12 tháng: làm lại giấy giới thiệu, nghị quyết giới thiệu của Đoàn, tổng hợp ý kiến',
};
const KIND_EN: Record<NotificationRequest['kind'], string> = {
  before_due: 'Due soon',
  due_today: 'Due today',
  overdue: 'Overdue',
  overdue_repeat: 'Still overdue',
  escalation: 'Overdue at the level below: please follow up',
  certificate_expiring: 'Party-awareness certificate lapses soon (60 months)',
  certificate_expired: 'Party-awareness certificate lapsed: the candidate must retake the class before the cell vote',
  dossier_stale: 'Dossier older than 12 months: introductions, Youth Union resolution and opinions must be redone',
};

/** dd/mm/yyyy, as Vietnamese documents write dates. */
export function viDate(iso: string | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

export function renderNotification(r: NotificationRequest, publicUrl: string): { title: string; body: string; link: string } {
  const step = STEPS[r.taskType];
  const link = r.taskId ? `${publicUrl}/tasks/${encodeURIComponent(r.taskId)}` : `${publicUrl}/candidates/${r.candidateId}`;
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
 * TLS from the start (SMTP_SECURE, port 465), else STARTTLS whenever the server offers it (nodemailer's
 * default once `ignoreTLS` is left off), and refused without it when SMTP_REQUIRE_TLS is set. The server's
 * certificate is checked unless SMTP_TLS_REJECT_UNAUTHORIZED=false.
 */
export function smtpTransportOptions(smtp: NonNullable<KetnapConfig['smtp']>) {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTls,
    tls: { rejectUnauthorized: smtp.rejectUnauthorized },
    auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
  };
}

/**
 * Delivers reminders: one in-app row per (user, reminder key), and an e-mail for each row not yet sent.
 * Safe to retry: rows are unique per key and e-mails are marked once sent.
 */
@Injectable()
export class NotificationActivities implements OnModuleDestroy {
  private readonly log = new Logger('notify');
  private readonly transport?: Transporter;

  constructor(
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
    @Inject(SettingsRepository) private readonly settings: SettingsRepository,
  ) {
    const smtp = config.smtp;
    if (smtp) {
      this.transport = nodemailer.createTransport(smtpTransportOptions(smtp));
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  /** One feed entry and one e-mail per user listing their overdue and soon-due tasks, once per business day. */
  async sendDailyDigest(): Promise<DigestResult> {
    const clock = await this.settings.get<BusinessClock>('business_clock');
    const today = vnDateOf(clock ? businessNowMs(clock, Date.now()) : Date.now());
    const items = await this.notifications.digestItems(addWorkingDays(today, DIGEST_HORIZON_WORKING_DAYS));
    const byUser = new Map<string, typeof items>();
    for (const it of items) byUser.set(it.userId, [...(byUser.get(it.userId) ?? []), it]);
    let emailed = 0;
    for (const [userId, list] of byUser) {
      const overdue = list.filter((i) => i.dueDate < today).length;
      const title = `[ketnap] Tổng hợp ngày ${viDate(today)}: ${overdue} việc quá hạn, ${list.length - overdue} việc sắp đến hạn`;
      const lines = list.map((i) => {
        const step = STEPS[i.taskType as TaskType];
        const mark = i.dueDate < today ? 'QUÁ HẠN / OVERDUE' : 'sắp đến hạn / due soon';
        return `- ${i.candidateName} — ${step?.vi ?? i.taskType} — hạn ${viDate(i.dueDate)} (${mark}) — ${this.config.publicUrl}/tasks/${encodeURIComponent(i.taskId)}`;
      });
      const body = [`Tổng hợp công việc trong phạm vi phụ trách / Daily digest (${viDate(today)})`, ...lines].join('\n');
      const key = `digest:${today}`;
      const row = await this.notifications.insertOnce({ userId, candidateId: null, taskId: null, kind: 'digest', key, title, body, data: { date: today, items: list.length, overdue } });
      if (row && this.transport && list[0].email) {
        await this.transport.sendMail({ from: this.config.smtp!.from, to: list[0].email, subject: title, text: body });
        await this.notifications.markEmailed(row.id);
        emailed += 1;
      }
    }
    this.log.log(`daily digest ${today}: ${byUser.size} user(s), ${items.length} item(s), ${emailed} e-mail(s)`);
    return { users: byUser.size, items: items.length, emailed };
  }

  async notify(requests: NotificationRequest[]): Promise<void> {
    for (const r of requests) {
      const { title, body, link } = renderNotification(r, this.config.publicUrl);
      for (const u of await this.notifications.recipients(r.orgUnitId, r.role)) {
        await this.notifications.insertOnce({
          userId: u.userId,
          candidateId: r.candidateId,
          taskId: r.taskId,
          kind: r.kind,
          key: r.key,
          title,
          body,
          data: { taskType: r.taskType, dueDate: r.dueDate, dueAt: r.dueAt, link, orgUnitId: r.orgUnitId, role: r.role },
        });
      }
      if (!this.transport) continue;
      for (const row of await this.notifications.unsent(r.key)) {
        await this.transport.sendMail({ from: this.config.smtp!.from, to: row.email!, subject: title, text: body });
        await this.notifications.markEmailed(row.id);
      }
    }
    this.log.log(`delivered ${requests.length} reminder(s)`);
  }
}
