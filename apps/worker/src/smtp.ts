import type { KetnapConfig } from '../../../libs/config/src/config.js';

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
