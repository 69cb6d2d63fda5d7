import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, REFUSED_ENCODING, deserializePayload, serializePayload } from './encryption-codec.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const text = (b?: Uint8Array | null) => Buffer.from(b ?? new Uint8Array()).toString('utf8');
const candidate = { fullName: 'Nguyễn Thị Hoà', ethnicity: 'Tày', dateOfBirth: '1999-04-12' };

describe('EncryptionCodec', () => {
  const codec = new EncryptionCodec({ keys: new Map([['a', keyA]]), encryptKeyId: 'a' });

  it('encrypts every payload: the key id and encoding in clear, no plaintext in the data, and decodes it back', async () => {
    const payloads = [defaultPayloadConverter.toPayload(candidate), defaultPayloadConverter.toPayload(undefined), defaultPayloadConverter.toPayload(new Uint8Array([1, 2, 3]))];
    const encoded = await codec.encode(payloads);
    for (const e of encoded) {
      expect(text(e.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(e.metadata?.[KEY_ID_METADATA])).toBe('a');
      expect(Object.keys(e.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-cipher', 'encryption-key-id']);
    }
    expect(text(encoded[0].data)).not.toContain('Tày');
    expect(Buffer.from(encoded[0].data!).includes(Buffer.from('Nguyễn'))).toBe(false);
    const decoded = await codec.decode(encoded);
    expect(decoded).toEqual(payloads.map((p) => ({ metadata: p.metadata, data: p.data ?? new Uint8Array() })));
    expect(defaultPayloadConverter.fromPayload(decoded[0])).toEqual(candidate);
  });

  it('uses a fresh IV for each payload (the same value never encrypts to the same bytes)', async () => {
    const p = defaultPayloadConverter.toPayload(candidate);
    const [x, y] = await codec.encode([p, p]);
    expect(Buffer.from(x.data!).equals(Buffer.from(y.data!))).toBe(false);
  });

  it('refuses a payload whose ciphertext, tag or key id was altered (GCM authentication)', async () => {
    const [e] = await codec.encode([defaultPayloadConverter.toPayload(candidate)]);
    for (const at of [0, 20, e.data!.length - 1]) {
      const data = new Uint8Array(e.data!);
      data[at] ^= 0x01;
      await expect(codec.decode([{ ...e, data }])).rejects.toThrow(/failed authentication/);
    }
    // The key id is authenticated too: the same ciphertext relabelled under another id of the same key fails.
    const twoIds = new EncryptionCodec({ keys: new Map([['a', keyA], ['a2', keyA]]) });
    await expect(twoIds.decode([{ ...e, metadata: { ...e.metadata, [KEY_ID_METADATA]: Buffer.from('a2') } }])).rejects.toThrow(/failed authentication/);
  });

  it('names an unknown key id', async () => {
    const [e] = await codec.encode([defaultPayloadConverter.toPayload(candidate)]);
    const other = new EncryptionCodec({ keys: new Map([['b', keyB]]), encryptKeyId: 'b' });
    await expect(other.decode([e])).rejects.toThrow(/key id "a", which is not in the keyring .*"b"/);
  });

  it('decodes payloads of every key of the keyring and encrypts new ones with the current key (rotation)', async () => {
    const [oldPayload] = await codec.encode([defaultPayloadConverter.toPayload(candidate)]);
    const rotated = new EncryptionCodec({ keys: new Map([['b', keyB], ['a', keyA]]), encryptKeyId: 'b' });
    const [newPayload] = await rotated.encode([defaultPayloadConverter.toPayload(candidate)]);
    expect(text(newPayload.metadata?.[KEY_ID_METADATA])).toBe('b');
    const [x, y] = await rotated.decode([oldPayload, newPayload]);
    expect(defaultPayloadConverter.fromPayload(x)).toEqual(candidate);
    expect(defaultPayloadConverter.fromPayload(y)).toEqual(candidate);
  });

  it('passes plaintext payloads through unchanged (histories recorded before encryption)', async () => {
    const plain = defaultPayloadConverter.toPayload(candidate);
    expect(await codec.decode([plain])).toEqual([plain]);
    // Without a current key nothing is encrypted.
    const clear = new EncryptionCodec({ keys: new Map() });
    expect(await clear.encode([plain])).toEqual([plain]);
  });

  it('when encryption is required, turns a plaintext payload into one no converter reads, and reports it', async () => {
    const refused: Payload[] = [];
    const strict = new EncryptionCodec({ keys: new Map([['a', keyA]]), encryptKeyId: 'a', requireEncrypted: true, onRefused: (p) => refused.push(p) });
    const plain = defaultPayloadConverter.toPayload({ ...candidate, actor: 'forged' });
    const [out] = await strict.decode([plain]);
    expect(text(out.metadata?.encoding)).toBe(REFUSED_ENCODING);
    expect(out.data).toHaveLength(0);
    expect(() => defaultPayloadConverter.fromPayload(out)).toThrow(/Unknown encoding/);
    expect(refused).toEqual([plain]);
    // Encrypted payloads still decode.
    const [e] = await strict.encode([plain]);
    expect(defaultPayloadConverter.fromPayload((await strict.decode([e]))[0])).toEqual({ ...candidate, actor: 'forged' });
  });

  it('refuses a key that is not 32 bytes and a current key outside the keyring', () => {
    expect(() => new EncryptionCodec({ keys: new Map([['a', randomBytes(16)]]) })).toThrow(/32 bytes/);
    expect(() => new EncryptionCodec({ keys: new Map([['a', keyA]]), encryptKeyId: 'b' })).toThrow(/not in the keyring/);
  });

  it('frames any payload losslessly (property)', () => {
    const bytes = fc.uint8Array({ maxLength: 200 });
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 30 }), bytes, { maxKeys: 6 }), bytes, (metadata, data) => {
        const back = deserializePayload(serializePayload({ metadata, data }));
        expect(back).toEqual({ metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, new Uint8Array(v)])), data: new Uint8Array(data) });
      }),
      // `__proto__` as a metadata key once set the decoded object's prototype instead of a key (found by this property).
      { numRuns: 2000, examples: [[{ ['__proto__']: new Uint8Array([1]) }, new Uint8Array()]] },
    );
  });
});
