import { Module, type DynamicModule } from '@nestjs/common';
import type { KetnapConfig } from '../../../libs/config/src/config.js';
import { ConfigModule } from '../../../libs/config/src/config.module.js';
import { PersistenceModule } from '../../../libs/persistence/src/persistence.module.js';
import { NotificationActivities } from './notification.activities.js';
import { ProjectionActivities } from './projection.activities.js';

@Module({})
export class WorkerModule {
  static forRoot(config?: KetnapConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule],
      providers: [ProjectionActivities, NotificationActivities],
      exports: [ProjectionActivities, NotificationActivities],
    };
  }
}
