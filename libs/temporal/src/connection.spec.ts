import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/src/config.js';
import { payloadCodec, plaintextWarning, temporalConnectionOptions, temporalDataConverter } from './connection.js';

describe('temporalConnectionOptions', () => {
  it('is the address alone for a plain local server', () => {
    expect(temporalConnectionOptions(loadConfig({ DATABASE_URL: 'postgres://x/y' }).temporal)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('reads the mTLS pair, the CA and the server name from their files, and passes the API key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ketnap-tls-'));
    const file = (n: string, body: string) => (writeFileSync(path.join(dir, n), body), path.join(dir, n));
    const c = loadConfig({
      DATABASE_URL: 'postgres://x/y',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CERT: file('client.pem', 'CERT'),
      TEMPORAL_TLS_KEY: file('client.key', 'KEY'),
      TEMPORAL_TLS_CA: file('ca.pem', 'CA'),
      TEMPORAL_TLS_SERVER_NAME: 'frontend.temporal.internal',
      TEMPORAL_API_KEY: 'k-123',
    });
    const o = temporalConnectionOptions(c.temporal);
    expect(o.address).toBe('temporal.internal:7233');
    expect(o.apiKey).toBe('k-123');
    expect(o.tls?.serverNameOverride).toBe('frontend.temporal.internal');
    expect(Buffer.from(o.tls!.serverRootCACertificate!).toString()).toBe('CA');
    expect(Buffer.from(o.tls!.clientCertPair!.crt).toString()).toBe('CERT');
    expect(Buffer.from(o.tls!.clientCertPair!.key).toString()).toBe('KEY');
  });

  it('switches TLS on with the server CA alone (no client certificate)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ketnap-tls-'));
    writeFileSync(path.join(dir, 'ca.pem'), 'CA');
    const o = temporalConnectionOptions(loadConfig({ DATABASE_URL: 'postgres://x/y', TEMPORAL_TLS_CA: path.join(dir, 'ca.pem') }).temporal);
    expect(o.tls?.clientCertPair).toBeUndefined();
    expect(o.tls?.serverRootCACertificate).toBeDefined();
  });
});

describe('temporalDataConverter', () => {
  it('is the SDK default without keys (with a warning), the codec with them', () => {
    const clear = loadConfig({ DATABASE_URL: 'postgres://x/y' });
    expect(temporalDataConverter(clear)).toEqual({});
    expect(plaintextWarning(clear)).toMatch(/KETNAP_PAYLOAD_KEYS is not set/);
    const keyed = loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_PAYLOAD_KEYS: `a:${Buffer.alloc(32, 9).toString('base64')}` });
    expect(temporalDataConverter(keyed).payloadCodecs).toHaveLength(1);
    expect(plaintextWarning(keyed)).toBeUndefined();
  });

  it('requires encryption as configured unless told otherwise (clients and replays)', async () => {
    const keyed = loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_PAYLOAD_KEYS: `a:${Buffer.alloc(32, 9).toString('base64')}` });
    const plain = { metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('{}') };
    const [strict] = await payloadCodec(keyed).decode([plain]);
    expect(new TextDecoder().decode(strict.metadata!.encoding!)).toBe('binary/refused-unencrypted');
    expect(await payloadCodec(keyed, { requireEncrypted: false }).decode([plain])).toEqual([plain]);
  });
});
