/** Pure rules for uploaded scanned forms: accepted types, magic bytes, safe names and download headers. */

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_MAX_FILENAME = 200;

const MAGIC = {
  'application/pdf': [Buffer.from('%PDF-', 'latin1')],
  'image/jpeg': [Buffer.from([0xff, 0xd8, 0xff])],
  'image/png': [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
} as const;

export type AttachmentType = keyof typeof MAGIC;
export const ATTACHMENT_TYPES = Object.keys(MAGIC) as AttachmentType[];

const EXTENSION: Record<AttachmentType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/** The media type of a Content-Type header (parameters dropped, lower case) when it is one we accept. */
export function acceptedType(header: string | undefined): AttachmentType | undefined {
  const type = (header ?? '').split(';')[0].trim().toLowerCase();
  return (ATTACHMENT_TYPES as string[]).includes(type) ? (type as AttachmentType) : undefined;
}

/** True when the first bytes are those of the declared type (the content is never trusted by its label). */
export function contentMatches(type: AttachmentType, bytes: Uint8Array): boolean {
  return MAGIC[type].some((m) => bytes.length >= m.length && Buffer.from(bytes.buffer, bytes.byteOffset, m.length).equals(m));
}

/**
 * A name safe to store and to send back: the last path segment only, no control characters, no leading dots,
 * NFC, at most 200 characters (keeping a short extension). An empty result becomes "tep-dinh-kem.<ext>".
 */
export function sanitiseFilename(raw: string, type: AttachmentType): string {
  let name = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  name = name.trim().replace(/^\.+/, '').trim();
  if (!name) return `tep-dinh-kem.${EXTENSION[type]}`;
  const chars = [...name];
  if (chars.length <= ATTACHMENT_MAX_FILENAME) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return [...name.slice(0, name.length - ext.length)].slice(0, ATTACHMENT_MAX_FILENAME - [...ext].length).join('') + ext;
}

/** RFC 6266/5987 `Content-Disposition` forcing a download, with the UTF-8 name percent-encoded. */
export function contentDisposition(filename: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}
