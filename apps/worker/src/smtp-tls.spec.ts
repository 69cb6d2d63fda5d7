import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { loadConfig } from '../../../libs/config/src/config.js';
import { smtpTransportOptions } from './smtp.js';

/**
 * The worker's e-mail transport against a real SMTP server on loopback: STARTTLS is used whenever the server
 * offers it, can be required, and the server's certificate is checked unless told otherwise.
 */
let dir: string;
let tls: { key: Buffer; cert: Buffer };

beforeAll(() => {
  // A self-signed certificate for this run only.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ketnap-smtp-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  tls = { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs an SMTP server, sends one message through the worker's transport, and says whether the session was TLS. */
async function send(server: SMTPServerOptions, env: Record<string, string>): Promise<{ secure: boolean[]; error?: Error }> {
  const secure: boolean[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    logger: false,
    ...server,
    onData(stream, session, callback) {
      secure.push(session.secure);
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const config = loadConfig({ DATABASE_URL: 'postgres://x/y', SMTP_HOST: '127.0.0.1', SMTP_PORT: String((smtp.server.address() as AddressInfo).port), ...env });
  const transport = nodemailer.createTransport(smtpTransportOptions(config.smtp!));
  try {
    await transport.sendMail({ from: config.smtp!.from, to: 'a@ketnap.test', subject: 'thử', text: 'nội dung' });
    return { secure };
  } catch (error) {
    return { secure, error: error as Error };
  } finally {
    transport.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
}

describe('SMTP transport', () => {
  it('upgrades to TLS with STARTTLS when the server offers it', async () => {
    const r = await send({ ...tls }, { SMTP_TLS_REJECT_UNAUTHORIZED: 'false' });
    expect(r.error).toBeUndefined();
    expect(r.secure).toEqual([true]);
  });

  it('checks the server certificate by default: a self-signed one is refused', async () => {
    const r = await send({ ...tls }, {});
    expect(r.error?.message).toMatch(/self[- ]signed/i);
    expect(r.secure).toEqual([]);
  });

  it('sends in clear to a server without STARTTLS, unless TLS is required', async () => {
    expect((await send({ disabledCommands: ['STARTTLS'] }, {})).secure).toEqual([false]);
    const required = await send({ disabledCommands: ['STARTTLS'] }, { SMTP_REQUIRE_TLS: 'true' });
    expect(required.error?.message).toMatch(/STARTTLS/);
    expect(required.secure).toEqual([]);
  });
});
