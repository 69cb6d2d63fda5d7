import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';

/**
 * AES-256-GCM encryption of every Temporal payload (workflow inputs, update and signal arguments, activity
 * inputs and results, query results, memos), so personal data never reaches the Temporal server, its
 * database or its UI in clear.
 *
 * Encoded payload:
 *   metadata.encoding            = "binary/encrypted"
 *   metadata["encryption-key-id"] = id of the key in the keyring (rotation: new payloads use the current
 *                                   key, old ones are decoded with whichever key they name)
 *   metadata["encryption-cipher"] = "aes-256-gcm"
 *   data = iv (12 bytes) | ciphertext | tag (16 bytes), additional authenticated data "ketnap-payload-v1:<key id>"
 * The ciphertext is the original payload framed as (all integers big-endian):
 *   1 byte format version (1) | u16 metadata entry count | per entry: u16 key length, key (UTF-8),
 *   u32 value length, value bytes | the payload's data (the rest)
 * — no dependency on a protobuf library, every byte accounted for, versioned.
 *
 * Decoding: encrypted payloads are decrypted with the key they name (unknown id or a failed
 * authentication → an error that says so); payloads that are not encrypted pass through unchanged (histories
 * recorded before encryption was switched on still replay) — unless `requireEncrypted` is set (the worker's
 * codec by default): then they come out as {@link REFUSED_ENCODING}, which no payload converter reads, so the
 * workflow refuses the message that carried them (README, Security, "trust boundary").
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
export const CIPHER_METADATA = 'encryption-cipher';
export const CIPHER = 'aes-256-gcm';
/** What a plaintext payload becomes when the codec requires encryption: unreadable by design. */
export const REFUSED_ENCODING = 'binary/refused-unencrypted';

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class PayloadEncryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadEncryptionError';
  }
}

export interface EncryptionCodecOptions {
  /** Key id → 32-byte AES key. May be empty: then the codec passes plaintext through and encodes nothing. */
  keys: ReadonlyMap<string, Uint8Array>;
  /** The key new payloads are encrypted with; none: payloads are sent in clear. */
  encryptKeyId?: string;
  /** Decode plaintext payloads as {@link REFUSED_ENCODING} instead of passing them through. */
  requireEncrypted?: boolean;
  /** Called for each plaintext payload refused (for a log line). */
  onRefused?: (payload: Payload) => void;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

function aad(keyId: string): Uint8Array {
  return utf8.encode(`ketnap-payload-v1:${keyId}`);
}

function metadataString(p: Payload, key: string): string | undefined {
  const v = p.metadata?.[key];
  return v ? fromUtf8.decode(v) : undefined;
}

export function isEncrypted(p: Payload): boolean {
  return metadataString(p, 'encoding') === ENCRYPTED_ENCODING;
}

/** The original payload as bytes (format above). */
export function serializePayload(p: Payload): Uint8Array {
  const entries = Object.entries(p.metadata ?? {}).map(([k, v]) => [utf8.encode(k), v ?? new Uint8Array()] as const);
  const data = p.data ?? new Uint8Array();
  let size = 1 + 2 + data.length;
  for (const [k, v] of entries) size += 2 + k.length + 4 + v.length;
  const out = Buffer.alloc(size);
  let o = out.writeUInt8(FORMAT_VERSION, 0);
  o = out.writeUInt16BE(entries.length, o);
  for (const [k, v] of entries) {
    o = out.writeUInt16BE(k.length, o);
    out.set(k, o);
    o += k.length;
    o = out.writeUInt32BE(v.length, o);
    out.set(v, o);
    o += v.length;
  }
  out.set(data, o);
  return out;
}

export function deserializePayload(bytes: Uint8Array): Payload {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = () => new PayloadEncryptionError('Encrypted payload: malformed plaintext framing');
  if (b.length < 3 || b.readUInt8(0) !== FORMAT_VERSION) throw fail();
  const n = b.readUInt16BE(1);
  let o = 3;
  const metadata: Record<string, Uint8Array> = {};
  for (let i = 0; i < n; i++) {
    if (o + 2 > b.length) throw fail();
    const kl = b.readUInt16BE(o);
    o += 2;
    if (o + kl + 4 > b.length) throw fail();
    const key = fromUtf8.decode(b.subarray(o, o + kl));
    o += kl;
    const vl = b.readUInt32BE(o);
    o += 4;
    if (o + vl > b.length) throw fail();
    // Defined, not assigned: a key such as `__proto__` stays a key instead of setting the object's prototype.
    Object.defineProperty(metadata, key, { value: new Uint8Array(b.subarray(o, o + vl)), enumerable: true, writable: true, configurable: true });
    o += vl;
  }
  return { metadata, data: new Uint8Array(b.subarray(o)) };
}

export class EncryptionCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Uint8Array>;
  private readonly encryptKeyId?: string;
  private readonly requireEncrypted: boolean;
  private readonly onRefused?: (payload: Payload) => void;

  constructor(o: EncryptionCodecOptions) {
    for (const [id, key] of o.keys) {
      if (key.length !== KEY_BYTES) throw new PayloadEncryptionError(`Payload key "${id}" must be ${KEY_BYTES} bytes, got ${key.length}`);
    }
    if (o.encryptKeyId !== undefined && !o.keys.has(o.encryptKeyId)) throw new PayloadEncryptionError(`Payload key "${o.encryptKeyId}" is not in the keyring`);
    this.keys = o.keys;
    this.encryptKeyId = o.encryptKeyId;
    this.requireEncrypted = o.requireEncrypted ?? false;
    this.onRefused = o.onRefused;
  }

  /** Whether this codec encrypts what it encodes. */
  get encrypting(): boolean {
    return this.encryptKeyId !== undefined;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const id = this.encryptKeyId;
    if (id === undefined) return payloads;
    const key = this.keys.get(id)!;
    return payloads.map((p) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(id));
      const body = Buffer.concat([cipher.update(serializePayload(p)), cipher.final()]);
      return {
        metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(id), [CIPHER_METADATA]: utf8.encode(CIPHER) },
        data: new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()])),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (isEncrypted(p) ? this.decrypt(p) : this.plaintext(p)));
  }

  private plaintext(p: Payload): Payload {
    if (!this.requireEncrypted) return p;
    this.onRefused?.(p);
    return { metadata: { encoding: utf8.encode(REFUSED_ENCODING) }, data: new Uint8Array() };
  }

  private decrypt(p: Payload): Payload {
    const id = metadataString(p, KEY_ID_METADATA);
    if (!id) throw new PayloadEncryptionError(`Encrypted payload without "${KEY_ID_METADATA}"`);
    const cipherName = metadataString(p, CIPHER_METADATA) ?? CIPHER;
    if (cipherName !== CIPHER) throw new PayloadEncryptionError(`Encrypted payload with unsupported cipher "${cipherName}"`);
    const key = this.keys.get(id);
    if (!key) {
      throw new PayloadEncryptionError(
        `Encrypted payload with key id "${id}", which is not in the keyring (KETNAP_PAYLOAD_KEYS has ${this.keys.size ? [...this.keys.keys()].map((k) => `"${k}"`).join(', ') : 'no keys'})`,
      );
    }
    const data = Buffer.from(p.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadEncryptionError(`Encrypted payload (key "${id}") is too short`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadEncryptionError(`Encrypted payload (key "${id}") failed authentication: altered, or encrypted with another key of that id`);
    }
    return deserializePayload(plain);
  }
}
