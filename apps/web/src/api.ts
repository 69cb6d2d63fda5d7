/** The HTTP client of the web app: one origin (/api), the session token, the UI language for messages. */

export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  violations?: { code: string; field?: string; message: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

const TOKEN_KEY = 'ketnap.token';

export const session = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

let currentLang = 'vi';
export function setApiLanguage(lang: string): void {
  currentLang = lang;
}

/** Called when the API says the session is no longer valid (401): the app returns to sign-in. */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(f: () => void): void {
  onUnauthorized = f;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const h: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLang, ...headers };
  const token = session.token();
  if (token) h.Authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (body instanceof Blob) payload = body;
  else if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method, headers: h, body: payload });
  } catch {
    throw new ApiError(0, {
      statusCode: 0,
      code: 'network',
      message: currentLang === 'vi' ? 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.' : 'Cannot reach the server. Check the network and try again.',
    });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? safeJson(text) : undefined;
  if (!res.ok) {
    if (res.status === 401 && path !== '/auth/login') onUnauthorized();
    const b = (data ?? {}) as Partial<ApiErrorBody>;
    throw new ApiError(res.status, { statusCode: res.status, code: b.code ?? 'http_' + res.status, message: b.message ?? `HTTP ${res.status}`, violations: b.violations });
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** Downloads a protected file (attachments, exports) with the session token and hands it to the browser. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const token = session.token();
  const res = await fetch(`/api${path}`, { headers: { Authorization: `Bearer ${token}`, 'Accept-Language': currentLang } });
  if (!res.ok) throw new ApiError(res.status, { statusCode: res.status, code: 'http_' + res.status, message: `HTTP ${res.status}` });
  const blob = await res.blob();
  const cd = res.headers.get('Content-Disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd) ?? /filename="([^"]+)"/.exec(cd);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = m ? decodeURIComponent(m[1]) : fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
