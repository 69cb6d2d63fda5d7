import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobRepository } from '../../../../libs/persistence/src/repositories/job.repository.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';

/** Durable fan-out jobs (workflows/jobs): started by the calendar and training services, followed at GET /api/jobs/:id. */
export const JOBS_CONTROLLERS = [JobsController];

export const JOBS_PROVIDERS: Provider[] = [{ provide: JobRepository, useFactory: (ds: DataSource) => new JobRepository(ds), inject: [DataSource] }, JobsService];
