import { Module, type DynamicModule } from '@nestjs/common';
import type { KetnapConfig } from '../../../libs/config/src/config.js';
import { ConfigModule } from '../../../libs/config/src/config.module.js';
import { PersistenceModule } from '../../../libs/persistence/src/persistence.module.js';
import { TracingModule } from '../../../libs/temporal/src/tracing.js';
import { EmailOutboxSender } from './email-outbox.sender.js';
import { JobsWorkerModule } from './job.activities.js';
import { NotificationActivities } from './notification.activities.js';
import { ProjectionActivities } from './projection.activities.js';

@Module({})
export class WorkerModule {
  static forRoot(config?: KetnapConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), TracingModule.forRoot('ketnap-worker'), PersistenceModule, JobsWorkerModule],
      providers: [ProjectionActivities, NotificationActivities, EmailOutboxSender],
      exports: [ProjectionActivities, NotificationActivities, EmailOutboxSender],
    };
  }
}
