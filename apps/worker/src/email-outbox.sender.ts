import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../libs/config/src/config.js';
import { NotificationRepository, type ClaimedEmail } from '../../../libs/persistence/src/repositories/notification.repository.js';
import { smtpTransportOptions } from './smtp.js';

/** E-mails claimed per pass: small, so a stopping sender gives back little and several workers share the load. */
export const EMAIL_BATCH = 10;
/** The longest wait between two attempts of one e-mail. */
export const EMAIL_MAX_RETRY_MS = 3_600_000;

/** Exponential backoff: `base` after the first failed attempt, doubled after each, at most an hour. */
export function emailRetryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), EMAIL_MAX_RETRY_MS);
}

/** The SMTP server's answer or the network error, short enough for the admin list. */
function describe(e: unknown): string {
  if (e instanceof Error) {
    const smtp = e as Error & { responseCode?: number; response?: string; code?: string };
    return [smtp.code, smtp.responseCode, smtp.response ?? e.message].filter((x) => x !== undefined && x !== '').join(' ');
  }
  return String(e);
}

/**
 * Sends the e-mail outbox (the notification rows marked `pending`), apart from the workflows: a failing SMTP
 * server never holds up a case. Runs in the worker process, one loop per process, as many processes as there
 * are workers:
 *
 * - claim before sending: a batch of due rows becomes `sending` (attempt counted, `email_claimed_at` set) in
 *   one committed statement, `FOR UPDATE SKIP LOCKED`, so no two senders hold the same row;
 * - send, then mark `sent`. A sender that dies between the two leaves the row `sending`: after
 *   KETNAP_EMAIL_CLAIM_TIMEOUT_MS any sender marks it `in_doubt` and nobody resends it. So each (user, key)
 *   is e-mailed at most once; an administrator decides about the doubtful ones;
 * - an SMTP error (nothing accepted) records `email_error` and makes the row due again after an exponential
 *   backoff (KETNAP_EMAIL_RETRY_BASE_MS, doubled, at most an hour); after KETNAP_EMAIL_MAX_ATTEMPTS it is
 *   `failed`, listed to administrators (`GET /api/notifications/email-failures`), who may re-queue it;
 * - stopping lets the e-mail in flight finish and gives the rest of the batch back unsent.
 *
 * Without SMTP_HOST it does not run (and the activities queue nothing).
 */
@Injectable()
export class EmailOutboxSender implements OnModuleDestroy {
  private readonly log = new Logger('email-outbox');
  private transport?: Transporter;
  private loop?: Promise<void>;
  private stopping = false;
  private woken = false;
  private wakeUp?: () => void;

  constructor(
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
    @Inject(NotificationRepository) private readonly notifications: NotificationRepository,
  ) {}

  get running(): boolean {
    return this.loop !== undefined;
  }

  /** Starts the loop; a no-op without SMTP or when already running. */
  start(): void {
    const smtp = this.config.smtp;
    if (!smtp || this.loop) return;
    this.transport = nodemailer.createTransport({
      ...smtpTransportOptions(smtp),
      // One connection reused for the batch; bounded waits, so a hanging server cannot hold a claim for long.
      pool: true,
      maxConnections: 1,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
    this.stopping = false;
    this.loop = this.run();
  }

  /** Sends what is due now instead of at the next poll (the activities call it after queueing). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Graceful: the e-mail in flight is finished and marked, the rest of its batch given back. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.wake();
    await this.loop;
    this.loop = undefined;
    this.transport?.close();
    this.transport = undefined;
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let claimed = 0;
      try {
        const doubtful = await this.notifications.markStaleClaimsInDoubt(this.config.emailOutbox.claimTimeoutMs);
        if (doubtful) this.log.warn(`${doubtful} e-mail(s) claimed but never confirmed sent: marked in doubt, not resent`);
        claimed = await this.sendDue();
      } catch (e) {
        this.log.error(`outbox pass failed: ${describe(e)}`);
      }
      // A full batch: more may be due at once. Otherwise wait for the next poll or a wake-up.
      if (claimed < EMAIL_BATCH && !this.stopping) await this.sleep(this.config.emailOutbox.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** One pass: claims a batch of due e-mails and sends them one by one. Returns how many were claimed. */
  private async sendDue(): Promise<number> {
    const batch = await this.notifications.claimEmails(EMAIL_BATCH);
    for (let i = 0; i < batch.length; i += 1) {
      if (this.stopping) {
        await this.giveBack(batch.slice(i));
        break;
      }
      if (!(await this.sendOne(batch[i]))) {
        // The database did not take the outcome: give the untouched rest back and try again later.
        await this.giveBack(batch.slice(i + 1));
        break;
      }
    }
    return batch.length;
  }

  /** Sends one claimed e-mail and records the outcome; false when the outcome could not be recorded. */
  private async sendOne(m: ClaimedEmail): Promise<boolean> {
    const { maxAttempts, retryBaseMs } = this.config.emailOutbox;
    let error: unknown;
    try {
      await this.transport!.sendMail({ from: this.config.smtp!.from, to: m.to, subject: m.title, text: m.body, headers: { 'X-Ketnap-Notification': m.id } });
    } catch (e) {
      error = e;
    }
    try {
      if (error === undefined) {
        await this.notifications.markEmailSent(m.id);
      } else {
        const status = await this.notifications.markEmailError(m.id, describe(error), maxAttempts, emailRetryDelayMs(m.attempts, retryBaseMs));
        this.log.warn(`e-mail ${m.id}: attempt ${m.attempts}/${maxAttempts} failed (${describe(error)})${status === 'failed' ? ': failed for good' : ''}`);
      }
      return true;
    } catch (e) {
      // Left `sending`: it turns `in_doubt` after the claim timeout (if it was sent, it must not go twice).
      this.log.error(`e-mail ${m.id}: outcome not recorded: ${describe(e)}`);
      return false;
    }
  }

  private async giveBack(rows: ClaimedEmail[]): Promise<void> {
    for (const r of rows) {
      await this.notifications.releaseEmail(r.id).catch((e) => this.log.error(`e-mail ${r.id}: not given back (${describe(e)}); in doubt after the claim timeout`));
    }
  }
}
