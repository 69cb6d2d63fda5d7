import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** The largest JSON or form body the API parses (a bulk of 200 decisions fits); larger is a 413. */
export const JSON_BODY_LIMIT = '1mb';
export const JSON_BODY_LIMIT_LABEL = '1 MB';

/** The web app's page and assets may only load from this origin and never be framed. */
export const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** WEB_CSP as helmet's directives ({'default-src': ["'self'"], …}). */
function cspDirectives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

type Middleware = (req: IncomingMessage & { secure?: boolean; originalUrl?: string }, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Headers on every response — JSON, errors, static files and downloads alike: helmet's set with the web
 * app's CSP, framing denied, referrer kept to the origin. Strict-Transport-Security only on a request that came
 * over TLS (req.secure: a direct TLS connection, or X-Forwarded-Proto from a proxy trusted by
 * KETNAP_TRUST_PROXY): sent over plain HTTP it would be ignored or, behind a misconfigured proxy, wrong.
 */
export function securityHeaders(): Middleware[] {
  const base = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(WEB_CSP) },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  });
  const hsts = helmet.strictTransportSecurity({ maxAge: 365 * 86400, includeSubDomains: true });
  return [
    base as Middleware,
    (req, res, next) => (req.secure ? hsts(req, res, next) : next()),
    // API answers hold personal data: no browser or proxy keeps a copy (downloads set their own, stricter).
    (req, res, next) => {
      const url = req.originalUrl ?? req.url ?? '';
      if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?')) res.setHeader('Cache-Control', 'no-store');
      next();
    },
  ];
}
