import { readFileSync } from 'node:fs';
import type { DataConverter, Payload } from '@temporalio/common';
import type { TLSConfig } from '@temporalio/client';
import type { KetnapConfig } from '../../config/src/config.js';
import { EncryptionCodec } from './encryption-codec.js';

/**
 * What every Connection (client) and NativeConnection (worker) of ketnap connects with: the address and,
 * when configured, TLS (mTLS client certificate, CA, SNI name) and the API key. The API, the worker, the
 * digest schedule, the CLIs and the bench all go through this, so a secured Temporal needs no code change.
 */
export function temporalConnectionOptions(t: KetnapConfig['temporal']): { address: string; tls?: TLSConfig; apiKey?: string } {
  const tls: TLSConfig | undefined = t.tls
    ? {
        ...(t.tls.serverName ? { serverNameOverride: t.tls.serverName } : {}),
        ...(t.tls.caPath ? { serverRootCACertificate: readFileSync(t.tls.caPath) } : {}),
        ...(t.tls.certPath && t.tls.keyPath ? { clientCertPair: { crt: readFileSync(t.tls.certPath), key: readFileSync(t.tls.keyPath) } } : {}),
      }
    : undefined;
  return { address: t.address, ...(tls ? { tls } : {}), ...(t.apiKey ? { apiKey: t.apiKey } : {}) };
}

export interface CodecOptions {
  /**
   * Refuse (turn unreadable) payloads that are not encrypted. Default: the configuration's
   * (KETNAP_REQUIRE_ENCRYPTED_PAYLOADS). Only the worker enforces it; clients and replays of stored
   * histories pass `false`.
   */
  requireEncrypted?: boolean;
  onRefused?: (payload: Payload) => void;
}

/** The payload codec of the configuration (plaintext pass-through when no keys are configured). */
export function payloadCodec(config: Pick<KetnapConfig, 'payloadEncryption'>, o: CodecOptions = {}): EncryptionCodec {
  const p = config.payloadEncryption;
  return new EncryptionCodec({
    keys: p.keys,
    encryptKeyId: p.encryptKeyId,
    requireEncrypted: o.requireEncrypted ?? p.requireEncrypted,
    onRefused: o.onRefused,
  });
}

/** `dataConverter` for a Client, Worker or replay: the codec when keys are configured, else the SDK's default. */
export function temporalDataConverter(config: Pick<KetnapConfig, 'payloadEncryption'>, o: CodecOptions = {}): DataConverter {
  return config.payloadEncryption.keys.size ? { payloadCodecs: [payloadCodec(config, o)] } : {};
}

/** The warning the API and the worker log when Temporal payloads are not encrypted; undefined when they are. */
export function plaintextWarning(config: Pick<KetnapConfig, 'payloadEncryption'>): string | undefined {
  return config.payloadEncryption.keys.size
    ? undefined
    : 'KETNAP_PAYLOAD_KEYS is not set: Temporal payloads (candidates\' personal data, decisions) are stored in clear on the Temporal server (README, Security)';
}
