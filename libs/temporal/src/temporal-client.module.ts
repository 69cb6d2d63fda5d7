import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { KETNAP_CONFIG, type KetnapConfig } from '../../config/src/config.js';

@Injectable()
class ConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(Connection) private readonly connection: Connection) {}
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/** The Temporal client for the API: one connection, closed on shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: Connection,
      useFactory: (config: KetnapConfig) => Connection.connect({ address: config.temporal.address, connectTimeout: '10 seconds' }),
      inject: [KETNAP_CONFIG],
    },
    {
      provide: Client,
      useFactory: (connection: Connection, config: KetnapConfig) => new Client({ connection, namespace: config.temporal.namespace }),
      inject: [Connection, KETNAP_CONFIG],
    },
    ConnectionCloser,
  ],
  exports: [Client, Connection],
})
export class TemporalClientModule {}
