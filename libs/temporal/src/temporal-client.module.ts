import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { KETNAP_CONFIG, type KetnapConfig } from '../../config/src/config.js';
import { payloadCodec, plaintextWarning, temporalConnectionOptions, temporalDataConverter } from './connection.js';
import { EncryptionCodec } from './encryption-codec.js';
import { KetnapTracing } from './tracing.js';

@Injectable()
class ConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(Connection) private readonly connection: Connection) {}
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * The Temporal client for the API: one connection (TLS / API key as configured), closed on shutdown; payloads
 * encrypted with the configured key. The codec itself (pass-through for plaintext: old histories, audit
 * replays, the codec endpoint) is injectable as EncryptionCodec. With tracing on (the app's TracingModule),
 * its calls carry the active span's context to the workflow (libs/temporal/src/tracing.ts).
 */
@Global()
@Module({
  providers: [
    {
      provide: Connection,
      useFactory: (config: KetnapConfig) => Connection.connect({ ...temporalConnectionOptions(config.temporal), connectTimeout: '10 seconds' }),
      inject: [KETNAP_CONFIG],
    },
    {
      provide: Client,
      useFactory: (connection: Connection, config: KetnapConfig, tracing?: KetnapTracing) => {
        const warning = plaintextWarning(config);
        if (warning) new Logger('Temporal').warn(warning);
        const interceptors = tracing?.clientInterceptors();
        return new Client({
          connection,
          namespace: config.temporal.namespace,
          dataConverter: temporalDataConverter(config, { requireEncrypted: false }),
          ...(interceptors ? { interceptors } : {}),
        });
      },
      inject: [Connection, KETNAP_CONFIG, { token: KetnapTracing, optional: true }],
    },
    {
      provide: EncryptionCodec,
      useFactory: (config: KetnapConfig) => payloadCodec(config, { requireEncrypted: false }),
      inject: [KETNAP_CONFIG],
    },
    ConnectionCloser,
  ],
  exports: [Client, Connection, EncryptionCodec],
})
export class TemporalClientModule {}
