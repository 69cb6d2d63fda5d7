import { Controller, Get, Inject } from '@nestjs/common';
import { procedureOutline } from '../../../../libs/domain/src/procedure-outline.js';
import { ClockService } from '../clock/clock.service.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

/** The procedure the web app draws each candidate's timeline from: steps in order, stages, time limits. */
@Controller('procedure')
export class ProcedureController {
  constructor(@Inject(ClockService) private readonly clock: ClockService) {}

  @Get()
  @ApiDoc({ en: 'The procedure: steps in order, stages, time limits', vi: 'Quy trình: các bước theo thứ tự, giai đoạn, thời hạn' })
  get() {
    return procedureOutline(this.clock.today());
  }
}
