/**
 * The chaos run's SMTP server (smtp-server, in this process): records every message it accepts, and while
 * `failing` is set answers every MAIL FROM with a permanent 554, as a broken relay does.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  to: string[];
  subject: string;
  text: string;
  /** A header naming the notification's dedupe key, when the sender sets one (x-ketnap-*-key). */
  key?: string;
  at: number;
}

export interface SmtpSink {
  readonly port: number;
  readonly mails: SunkMail[];
  /** Refused while failing. */
  readonly refused: number;
  failing: boolean;
  close(): Promise<void>;
}

/** Headers a sender may use to name the notification key (checked in this order). */
const KEY_HEADERS = ['x-ketnap-notification-key', 'x-ketnap-dedupe-key', 'x-ketnap-key'];

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  const state = { failing: false, refused: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onMailFrom(_address, _session, callback) {
      if (!state.failing) return callback();
      state.refused++;
      const err = new Error('chaos: relay permanently unavailable') as Error & { responseCode: number };
      err.responseCode = 554;
      callback(err);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((m) => {
          let key: string | undefined;
          for (const h of KEY_HEADERS) {
            const v = m.headers.get(h);
            if (typeof v === 'string' && v) {
              key = v;
              break;
            }
          }
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: m.subject ?? '',
            text: normaliseText(m.text ?? ''),
            key,
            at: Date.now(),
          });
        })
        .then(() => callback(), callback);
    },
  });
  // A sender killed mid-conversation (kill -9 of the worker) resets its connection: not the sink's failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    get refused() {
      return state.refused;
    },
    get failing() {
      return state.failing;
    },
    set failing(v: boolean) {
      state.failing = v;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Line endings and trailing blanks as sent are not part of the content. */
export function normaliseText(s: string): string {
  return s.replace(/\r\n/g, '\n').replace(/\s+$/, '');
}
