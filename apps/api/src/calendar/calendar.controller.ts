import { Body, Controller, Get, Headers, Inject, Param, Put, Res, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR, extraWorkingDaysIn, holidaysIn } from '../../../../libs/domain/src/calendar/index.js';
import { langFromAcceptLanguage } from '../../../../libs/domain/src/messages.js';
import { CurrentUser } from '../auth/decorators.js';
import { isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { IdempotencyService } from '../common/idempotency.service.js';
import { businessDate, parse } from '../common/parse.js';
import { CalendarService } from './calendar.service.js';
import { RateLimit } from '../common/rate-limit.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const YearBody = z.object({
  version: z.number().int().min(1).optional(),
  source: z.string().trim().min(3).max(1000),
  holidays: z.array(
    z.object({
      date: businessDate(),
      name_vi: z.string().trim().min(1).max(200),
      name_en: z.string().trim().min(1).max(200),
      kind: z.enum(['statutory', 'substitute', 'swapped', 'weekend', 'special']),
      confirmed: z.boolean().optional(),
    }),
  ),
  extraWorkingDays: z.array(z.object({ date: businessDate(), reason: z.string().trim().min(1).max(500), confirmed: z.boolean().optional() })).default([]),
});

/** A year the working-day calendar covers (lunar Tết is computed for 1900–2199 only). */
const year: PipeTransform<string, number> = {
  transform(value: string) {
    if (!/^\d{1,9}$/.test(value)) throw new DomainError('invalid_field', { field: 'year', detail: 'YYYY' });
    const y = Number(value);
    if (y < CALENDAR_MIN_YEAR || y > CALENDAR_MAX_YEAR) throw new DomainError('year_out_of_range', { year: y, min: CALENDAR_MIN_YEAR, max: CALENDAR_MAX_YEAR });
    return y;
  },
};

@Controller('calendar')
export class CalendarController {
  constructor(
    @Inject(CalendarService) private readonly calendar: CalendarService,
    @Inject(IdempotencyService) private readonly idem: IdempotencyService,
  ) {}

  /** Days off and swapped working days of a year as in force now, with the stored versions. */
  @Get(':year')
  @ApiDoc({ en: 'Days off and swapped working days of a year, with the stored versions', vi: 'Ngày nghỉ và ngày làm bù của một năm, cùng các phiên bản đã lưu' })
  async get(@Param('year', year) y: number) {
    const cal = await this.calendar.effective();
    return { year: y, versionTag: cal.versionTag, holidays: holidaysIn(y, cal), extraWorkingDays: extraWorkingDaysIn(y, cal), versions: await this.calendar.versions(y) };
  }

  /** Administrator: a new version of a year's data (the government's decision), applied without a deploy. */
  @Put(':year')
  @RateLimit('calendar_update')
  @ApiDoc({ en: 'Store a new version of a year’s calendar (administrators); 202 with the job that tells every active case', vi: 'Lưu phiên bản lịch mới của một năm (quản trị); 202 kèm tác vụ báo cho mọi hồ sơ đang xử lý', body: YearBody, idempotent: true, status: 202 })
  async put(@CurrentUser() user: AuthUser, @Param('year', year) y: number, @Body() body: unknown, @Headers() headers: Record<string, string>, @Res({ passthrough: true }) res: any) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const dto = parse(YearBody, body);
    const lang = langFromAcceptLanguage(headers['accept-language']);
    const key = headers['idempotency-key'];
    // 202: the version is stored; every active case is told by a job (GET /api/jobs/:jobId follows it).
    const answer = await this.idem.run(user.id, key, IdempotencyService.hash(['PUT /calendar', y, dto]), lang, async () => ({
      statusCode: 202,
      body: await this.calendar.update(user, y, dto, lang, key),
    }), { rerunAfterSeconds: IdempotencyService.RERUN_AFTER_SECONDS });
    res.status(answer.statusCode);
    return answer.body;
  }
}
