import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PlanningRepository } from '../../../libs/persistence/src/repositories/planning.repository.js';
import { ReportsRepository } from '../../../libs/persistence/src/repositories/reports.repository.js';
import { TrainingRepository } from '../../../libs/persistence/src/repositories/training.repository.js';
import { MembershipController, PlacesController, QuotasController } from './planning/planning.controller.js';
import { PlanningService } from './planning/planning.service.js';
import { ReportsController } from './reports/reports.controller.js';
import { ReportsService } from './reports/reports.service.js';
import { CertificatesController, TrainingClassesController } from './training/training.controller.js';
import { TrainingService } from './training/training.service.js';

const repo = <T>(cls: new (ds: DataSource) => T): Provider => ({ provide: cls, useFactory: (ds: DataSource) => new cls(ds), inject: [DataSource] });

/** Training classes, quotas, places and the statistics reports (§8). */
export const STATISTICS_CONTROLLERS = [TrainingClassesController, CertificatesController, QuotasController, MembershipController, PlacesController, ReportsController];

export const STATISTICS_PROVIDERS: Provider[] = [repo(TrainingRepository), repo(PlanningRepository), repo(ReportsRepository), TrainingService, PlanningService, ReportsService];
