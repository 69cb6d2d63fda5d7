import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KETNAP_CONFIG, type KetnapConfig } from '../../config/src/config.js';
import { createDataSource } from './data-source.js';
import { AuditRepository } from './repositories/audit.repository.js';
import { CalendarRepository } from './repositories/calendar.repository.js';
import { CandidateFileRepository } from './repositories/candidate-file.repository.js';
import { CandidateRepository } from './repositories/candidate.repository.js';
import { IdempotencyRepository } from './repositories/idempotency.repository.js';
import { NotificationRepository } from './repositories/notification.repository.js';
import { OrgUnitRepository } from './repositories/org-unit.repository.js';
import { ProjectionRepository } from './repositories/projection.repository.js';
import { RateLimitRepository } from './repositories/rate-limit.repository.js';
import { ReconcileRepository } from './repositories/reconcile.repository.js';
import { SavedFilterRepository } from './repositories/saved-filter.repository.js';
import { SecurityRepository } from './repositories/security.repository.js';
import { SettingsRepository } from './repositories/settings.repository.js';
import { UserRepository } from './repositories/user.repository.js';
import { assertLeastPrivilegedRole } from './roles.js';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

const repo = <T>(cls: new (ds: DataSource) => T) => ({ provide: cls, useFactory: (ds: DataSource) => new cls(ds), inject: [DataSource] });

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      useFactory: async (config: KetnapConfig) => {
        const ds = await createDataSource(config.databaseUrl, { statementTimeoutMs: config.dbStatementTimeoutMs }).initialize();
        // The API and the worker refuse to run as a superuser or the tables' owner (roles.ts).
        await assertLeastPrivilegedRole(ds, config.devDatabase).catch(async (e) => {
          await ds.destroy();
          throw e;
        });
        return ds;
      },
      inject: [KETNAP_CONFIG],
    },
    DataSourceCloser,
    repo(OrgUnitRepository),
    repo(UserRepository),
    repo(CandidateRepository),
    repo(ProjectionRepository),
    repo(SettingsRepository),
    repo(IdempotencyRepository),
    repo(NotificationRepository),
    repo(CalendarRepository),
    repo(AuditRepository),
    repo(SavedFilterRepository),
    repo(CandidateFileRepository),
    repo(SecurityRepository),
    repo(RateLimitRepository),
    repo(ReconcileRepository),
  ],
  exports: [DataSource, OrgUnitRepository, UserRepository, CandidateRepository, ProjectionRepository, SettingsRepository, IdempotencyRepository, NotificationRepository, CalendarRepository, AuditRepository, SavedFilterRepository, CandidateFileRepository, SecurityRepository, RateLimitRepository, ReconcileRepository],
})
export class PersistenceModule {}
