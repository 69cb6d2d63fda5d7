import { Global, Module, type DynamicModule } from '@nestjs/common';
import { KETNAP_CONFIG, loadConfig, type KetnapConfig } from './config.js';

@Global()
@Module({})
export class ConfigModule {
  /** Loads and validates the environment once; pass `config` to override (tests). */
  static forRoot(config?: KetnapConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: KETNAP_CONFIG, useFactory: () => config ?? loadConfig() }],
      exports: [KETNAP_CONFIG],
    };
  }
}
