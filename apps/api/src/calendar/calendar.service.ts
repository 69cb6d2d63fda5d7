import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUILT_IN_YEAR_DATA, buildCalendar, DEFAULT_CALENDAR, type HolidayCalendar } from '../../../../libs/domain/src/calendar/index.js';
import type { CalendarYearData } from '../../../../libs/domain/src/calendar/types.js';
import { CalendarRepository } from '../../../../libs/persistence/src/repositories/calendar.repository.js';
import type { Lang } from '../../../../libs/domain/src/messages.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { jobView, JobsService } from '../jobs/jobs.service.js';

/** The working-day calendar in force: built-in year data plus the administrator's newer versions. */
@Injectable()
export class CalendarService {
  private readonly log = new Logger('calendar');
  private cached?: { key: string; calendar: HolidayCalendar };

  constructor(
    @Inject(CalendarRepository) private readonly repo: CalendarRepository,
    @Inject(JobsService) private readonly jobs: JobsService,
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
   * Stores a new version of a year's data (validated by the same rules the workflow uses) and, in the same
   * transaction, a job that tells every active case (workflows/jobs): their clocks not yet expired move to the
   * new calendar and record the change. The job runs in the worker, chunk by chunk, and survives the API
   * process; the answer names it (GET /api/jobs/:id). A retry with the same Idempotency-Key gets the same job.
   */
  async update(user: AuthUser, year: number, body: Omit<CalendarYearData, 'year' | 'version'> & { version?: number }, lang: Lang = 'vi', idempotencyKey?: string) {
    const again = await this.jobs.existing(user, 'calendar_update', idempotencyKey);
    if (again) return jobView(again);
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
    const job = await this.jobs.start(
      user,
      {
        kind: 'calendar_update',
        orgUnitId: null,
        input: { subject: { year, version: data.version, versionTag: calendar.versionTag }, lang },
        items: { activeCaseWorkflows: true },
        also: (m) => this.repo.insert(data, user.id, m),
      },
      idempotencyKey,
    );
    this.log.log(`calendar ${year} v${data.version} by ${user.username}: job ${job.id} tells ${job.total} active case(s)`);
    return jobView(job);
  }
}
