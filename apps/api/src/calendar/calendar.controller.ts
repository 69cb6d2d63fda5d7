import { Body, Controller, Get, Inject, Param, ParseIntPipe, Put } from '@nestjs/common';
import { z } from 'zod';
import { extraWorkingDaysIn, holidaysIn } from '../../../../libs/domain/src/calendar/index.js';
import { CurrentUser } from '../auth/decorators.js';
import { isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { parse } from '../common/parse.js';
import { CalendarService } from './calendar.service.js';

const YearBody = z.object({
  version: z.number().int().min(1).optional(),
  source: z.string().trim().min(3).max(1000),
  holidays: z.array(
    z.object({
      date: z.iso.date(),
      name_vi: z.string().trim().min(1).max(200),
      name_en: z.string().trim().min(1).max(200),
      kind: z.enum(['statutory', 'substitute', 'swapped', 'weekend', 'special']),
      confirmed: z.boolean().optional(),
    }),
  ),
  extraWorkingDays: z.array(z.object({ date: z.iso.date(), reason: z.string().trim().min(1).max(500), confirmed: z.boolean().optional() })).default([]),
});

const year = new ParseIntPipe();

@Controller('calendar')
export class CalendarController {
  constructor(@Inject(CalendarService) private readonly calendar: CalendarService) {}

  /** Days off and swapped working days of a year as in force now, with the stored versions. */
  @Get(':year')
  async get(@Param('year', year) y: number) {
    const cal = await this.calendar.effective();
    return { year: y, versionTag: cal.versionTag, holidays: holidaysIn(y, cal), extraWorkingDays: extraWorkingDaysIn(y, cal), versions: await this.calendar.versions(y) };
  }

  /** Administrator: a new version of a year's data (the government's decision), applied without a deploy. */
  @Put(':year')
  async put(@CurrentUser() user: AuthUser, @Param('year', year) y: number, @Body() body: unknown) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    return this.calendar.update(user, y, parse(YearBody, body));
  }
}
