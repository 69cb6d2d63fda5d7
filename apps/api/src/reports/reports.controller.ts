import { Controller, Get, Headers, Inject, Query, StreamableFile } from '@nestjs/common';
import { z } from 'zod';
import { langFromAcceptLanguage, type Lang } from '../../../../libs/domain/src/messages.js';
import { isTerm } from '../../../../libs/domain/src/reports.js';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { businessDate, parse } from '../common/parse.js';
import { ReportsService } from './reports.service.js';
import { toCsv, toXlsx, type Table } from './table-export.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const Format = z.enum(['json', 'csv', 'xlsx']).default('json');
const PeriodQuery = z.object({ orgUnitId: z.uuid(), from: businessDate().optional(), to: businessDate().optional(), format: Format });
const AdmissionsQuery = PeriodQuery.extend({ term: z.string().refine(isTerm, { message: 'a term is written YYYY-YYYY, e.g. 2020-2025' }).optional() });
const UnitQuery = z.object({ orgUnitId: z.uuid(), format: Format });
/** What a report answers, by `format`. */
const REPORT_TYPES = ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

/** The statistics reports; each as JSON, or its main table as CSV or XLSX (`?format=`). */
@Controller('reports')
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  private out<R>(report: R, format: 'json' | 'csv' | 'xlsx', table: (r: R) => Table, name: string, lang: Lang): R | StreamableFile {
    if (format === 'json') return report;
    const t = table(report);
    if (format === 'csv') {
      return new StreamableFile(toCsv(t, lang), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${name}.csv"` });
    }
    return new StreamableFile(toXlsx([t], lang), { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', disposition: `attachment; filename="${name}.xlsx"` });
  }

  @Get('admissions')
  @ApiDoc({ en: 'Admissions of a unit over a period (JSON, CSV or XLSX)', vi: 'Kết nạp của đơn vị trong kỳ (JSON, CSV hoặc XLSX)', query: AdmissionsQuery, produces: REPORT_TYPES })
  async admissions(@CurrentUser() user: AuthUser, @Query() query: unknown, @Headers('accept-language') al: string | undefined) {
    const q = parse(AdmissionsQuery, query);
    const r = await this.reports.admissions(user, { ...q, ...this.reports.period(q) });
    return this.out(r, q.format, (x) => this.reports.admissionsTable(x), `ket-nap-${r.from}-${r.to}`, langFromAcceptLanguage(al));
  }

  @Get('funnel')
  @ApiDoc({ en: 'Candidates per stage over a period', vi: 'Số quần chúng theo giai đoạn trong kỳ', query: PeriodQuery, produces: REPORT_TYPES })
  async funnel(@CurrentUser() user: AuthUser, @Query() query: unknown, @Headers('accept-language') al: string | undefined) {
    const q = parse(PeriodQuery, query);
    const r = await this.reports.funnel(user, { ...q, ...this.reports.period(q) });
    return this.out(r, q.format, (x) => this.reports.funnelTable(x), `pheu-${r.from}-${r.to}`, langFromAcceptLanguage(al));
  }

  @Get('grassroots')
  @ApiDoc({ en: 'Figures per grassroots organisation over a period', vi: 'Số liệu theo tổ chức cơ sở đảng trong kỳ', query: PeriodQuery, produces: REPORT_TYPES })
  async grassroots(@CurrentUser() user: AuthUser, @Query() query: unknown, @Headers('accept-language') al: string | undefined) {
    const q = parse(PeriodQuery, query);
    const r = await this.reports.grassroots(user, { ...q, ...this.reports.period(q) });
    return this.out(r, q.format, (x) => this.reports.grassrootsTable(x), `co-so-${r.from}-${r.to}`, langFromAcceptLanguage(al));
  }

  @Get('overdue')
  @ApiDoc({ en: 'Overdue steps of a unit', vi: 'Các bước quá hạn của đơn vị', query: UnitQuery, produces: REPORT_TYPES })
  async overdue(@CurrentUser() user: AuthUser, @Query() query: unknown, @Headers('accept-language') al: string | undefined) {
    const q = parse(UnitQuery, query);
    const r = await this.reports.overdue(user, q.orgUnitId);
    return this.out(r, q.format, (x) => this.reports.overdueTable(x), 'qua-han', langFromAcceptLanguage(al));
  }

  @Get('places')
  @ApiDoc({ en: 'Figures per place over a period', vi: 'Số liệu theo địa bàn trong kỳ', query: PeriodQuery, produces: REPORT_TYPES })
  async places(@CurrentUser() user: AuthUser, @Query() query: unknown, @Headers('accept-language') al: string | undefined) {
    const q = parse(PeriodQuery, query);
    const r = await this.reports.places(user, { ...q, ...this.reports.period(q) });
    return this.out(r, q.format, (x) => this.reports.placesTable(x), `thon-ban-${r.from}-${r.to}`, langFromAcceptLanguage(al));
  }
}
