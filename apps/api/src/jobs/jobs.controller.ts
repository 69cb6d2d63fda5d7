import { Controller, Get, Inject, Param } from '@nestjs/common';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { uuid } from '../common/uuid.pipe.js';
import { JobsService } from './jobs.service.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

/** Durable fan-out jobs (a calendar update, a class's certification): progress and result. */
@Controller('jobs')
export class JobsController {
  constructor(@Inject(JobsService) private readonly jobs: JobsService) {}

  @Get(':id')
  @ApiDoc({ en: 'A durable job’s progress and, per item, its result', vi: 'Tiến độ của một tác vụ và kết quả từng mục' })
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.jobs.get(user, id);
  }
}
