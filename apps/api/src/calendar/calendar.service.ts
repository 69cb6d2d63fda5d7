import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { BUILT_IN_YEAR_DATA, buildCalendar, DEFAULT_CALENDAR, type HolidayCalendar } from '../../../../libs/domain/src/calendar/index.js';
import type { CalendarYearData } from '../../../../libs/domain/src/calendar/types.js';
import { CalendarRepository } from '../../../../libs/persistence/src/repositories/calendar.repository.js';
import { calendarUpdatedSignal } from '../../../../workflows/candidate/candidate.messages.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';

/** The working-day calendar in force: built-in year data plus the administrator's newer versions. */
@Injectable()
export class CalendarService {
  private readonly log = new Logger('calendar');
  private cached?: { key: string; calendar: HolidayCalendar };

  constructor(
    @Inject(CalendarRepository) private readonly repo: CalendarRepository,
    @Inject(Client) private readonly temporal: Client,
  ) {}

  overrides(): Promise<CalendarYearData[]> {
    return this.repo.current();
  }

  /**
   * The calendar in force. Rebuilt only when the stored versions change, so its lazily computed year tables
   * are reused across requests (the inbox asks on every page).
   */
  async effective(): Promise<HolidayCalendar> {
    const current = await this.repo.current();
    const key = current.map((d) => `${d.year}@${d.version}`).join(',');
    if (this.cached?.key !== key) this.cached = { key, calendar: current.length ? buildCalendar([...BUILT_IN_YEAR_DATA, ...current]) : DEFAULT_CALENDAR };
    return this.cached.calendar;
  }

  versions(year: number) {
    return this.repo.versions(year);
  }

  /**
   * Stores a new version of a year's data (validated by the same rules the workflow uses), then tells every
   * active case, whose clocks not yet expired move to the new calendar and record the change.
   */
  async update(user: AuthUser, year: number, body: Omit<CalendarYearData, 'year' | 'version'> & { version?: number }) {
    const current = await this.repo.current();
    const latest = Math.max(0, ...[...BUILT_IN_YEAR_DATA, ...current].filter((d) => d.year === year).map((d) => d.version));
    const data: CalendarYearData = { ...body, year, version: body.version ?? latest + 1 } as CalendarYearData;
    if (data.version <= latest) throw new DomainError('calendar_invalid', { detail: `version must be greater than ${latest}` });
    let calendar: HolidayCalendar;
    try {
      calendar = buildCalendar([...BUILT_IN_YEAR_DATA, ...current, data]);
    } catch (e) {
      throw new DomainError('calendar_invalid', { detail: (e as Error).message });
    }
    await this.repo.insert(data, user.id);
    const years = await this.repo.current();
    const ids = await this.repo.activeWorkflowIds();
    let signalled = 0;
    const failed: string[] = [];
    for (let i = 0; i < ids.length; i += 32) {
      await Promise.all(
        ids.slice(i, i + 32).map((id) =>
          this.temporal.workflow
            .getHandle(id)
            .signal(calendarUpdatedSignal, years)
            .then(() => void (signalled += 1))
            .catch(() => void failed.push(id)),
        ),
      );
    }
    this.log.log(`calendar ${year} v${data.version} by ${user.username}: ${signalled} active case(s) told, ${failed.length} failed`);
    return { year, version: data.version, versionTag: calendar.versionTag, signalled, failed };
  }
}
