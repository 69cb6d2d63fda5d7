import type { ClientInfo } from './auth.service.js';

/** The client address (express's `req.ip`, which follows the proxy settings) and user agent of a request. */
export function clientInfo(req: { ip?: string; headers?: Record<string, unknown> }): ClientInfo {
  const ua = req.headers?.['user-agent'];
  return { address: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}
