import { Controller, Get, Inject } from '@nestjs/common';
import { Public } from '../auth/decorators.js';
import { ClockService } from './clock.service.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

@Controller('clock')
export class ClockController {
  constructor(@Inject(ClockService) private readonly clock: ClockService) {}

  /** Business "now" (ISO), today's business date in Vietnam time, and the clock speed. */
  @Public()
  @Get()
  @ApiDoc({ en: 'Business now, today’s business date (Vietnam time) and the clock speed', vi: 'Thời điểm nghiệp vụ, ngày hôm nay (giờ Việt Nam) và tốc độ đồng hồ' })
  get() {
    const c = this.clock.current();
    return { now: new Date(this.clock.nowMs()).toISOString(), today: this.clock.today(), speed: c.speed, timeZone: 'Asia/Ho_Chi_Minh' };
  }
}
