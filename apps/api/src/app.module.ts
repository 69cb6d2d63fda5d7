import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { KetnapConfig } from '../../../libs/config/src/config.js';
import { ConfigModule } from '../../../libs/config/src/config.module.js';
import { PersistenceModule } from '../../../libs/persistence/src/persistence.module.js';
import { TemporalClientModule } from '../../../libs/temporal/src/temporal-client.module.js';
import { TracingModule } from '../../../libs/temporal/src/tracing.js';
import { AuditController } from './audit/audit.controller.js';
import { ReconcileService } from './audit/reconcile.service.js';
import { ReplayService } from './audit/replay.service.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { CandidateFilesController } from './candidates/candidate-files.controller.js';
import { CandidateFilesService } from './candidates/candidate-files.service.js';
import { CandidatesController } from './candidates/candidates.controller.js';
import { CandidatesService } from './candidates/candidates.service.js';
import { ExportService } from './candidates/export.service.js';
import { DossierFormsController } from './candidates/dossier-forms.controller.js';
import { DossierFormsService } from './candidates/dossier-forms.service.js';
import { DossierFormsReader } from './candidates/dossier-forms.reader.js';
import { CalendarController } from './calendar/calendar.controller.js';
import { CalendarService } from './calendar/calendar.service.js';
import { ClockController } from './clock/clock.controller.js';
import { ClockService } from './clock/clock.service.js';
import { ApiExceptionFilter } from './common/exception.filter.js';
import { IdempotencyService } from './common/idempotency.service.js';
import { RateLimitGuard } from './common/rate-limit.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './observability/metrics.controller.js';
import { ApiMetrics } from './observability/metrics.js';
import { RequestObservabilityInterceptor } from './observability/request.interceptor.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { OrgUnitsController } from './org-units/org-units.controller.js';
import { OpenApiModule } from './openapi/openapi.controller.js';
import { ProcedureController } from './procedure/procedure.controller.js';
import { SavedFiltersController } from './saved-filters/saved-filters.controller.js';
import { TasksController } from './tasks/tasks.controller.js';
import { TasksService } from './tasks/tasks.service.js';
import { TemporalCodecModule } from './temporal-codec/temporal-codec.controller.js';
import { SecurityLogController, UsersController } from './users/users.controller.js';
import { UsersService } from './users/users.service.js';
import { STATISTICS_CONTROLLERS, STATISTICS_PROVIDERS } from './statistics.providers.js';
import { JOBS_CONTROLLERS, JOBS_PROVIDERS } from './jobs/jobs.providers.js';
import { CandidateImportController } from './imports/candidate-import.controller.js';
import { CandidateImportService } from './imports/candidate-import.service.js';
import { REORGANISATION_CONTROLLERS, REORGANISATION_PROVIDERS } from './org-units/org-reorganisation.controller.js';

@Module({})
export class AppModule {
  static forRoot(config?: KetnapConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), TracingModule.forRoot('ketnap-api'), PersistenceModule, TemporalClientModule, TemporalCodecModule, OpenApiModule],
      controllers: [HealthController, MetricsController, AuthController, ClockController, OrgUnitsController, UsersController, SecurityLogController, CandidatesController, TasksController, NotificationsController, CalendarController, AuditController, SavedFiltersController, CandidateFilesController, DossierFormsController, ProcedureController, ...STATISTICS_CONTROLLERS, ...JOBS_CONTROLLERS, CandidateImportController, ...REORGANISATION_CONTROLLERS],
      providers: [
        ...STATISTICS_PROVIDERS,
        ...JOBS_PROVIDERS,
        ...REORGANISATION_PROVIDERS,
        AuthService,
        UsersService,
        ClockService,
        IdempotencyService,
        CandidatesService,
        TasksService,
        CalendarService,
        ReplayService,
        ReconcileService,
        ExportService,
        CandidateFilesService,
        CandidateImportService,
        DossierFormsService,
        DossierFormsReader,
        { provide: APP_GUARD, useClass: AuthGuard },
        // After the auth guard: limits are per user.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        ApiMetrics,
        { provide: APP_INTERCEPTOR, useClass: RequestObservabilityInterceptor },
      ],
    };
  }
}
