import type { DataSource } from 'typeorm';
import type { CalendarYearData } from '../../../domain/src/calendar/types.js';

export interface CalendarVersionRow {
  year: number;
  version: number;
  source: string;
  createdBy: string | null;
  createdAt: string;
}

/** The administrator's calendar years: append-only versions; the latest of each year is in force. */
export class CalendarRepository {
  constructor(private readonly ds: DataSource) {}

  /** Latest version of every stored year. */
  async current(): Promise<CalendarYearData[]> {
    const rows = await this.ds.query(`SELECT DISTINCT ON (year) data FROM calendar_years ORDER BY year, version DESC`);
    return rows.map((r: { data: CalendarYearData }) => r.data);
  }

  async versions(year: number): Promise<CalendarVersionRow[]> {
    return this.ds.query(
      `SELECT year, version, source, created_by AS "createdBy", created_at AS "createdAt" FROM calendar_years WHERE year = $1 ORDER BY version`,
      [year],
    );
  }

  /** Stores a version; `q`: a transaction's manager, to store it together with something else. */
  async insert(data: CalendarYearData, createdBy: string, q: Pick<DataSource, 'query'> = this.ds): Promise<void> {
    await q.query(`INSERT INTO calendar_years (year, version, data, source, created_by) VALUES ($1,$2,$3,$4,$5)`, [
      data.year,
      data.version,
      JSON.stringify(data),
      data.source,
      createdBy,
    ]);
  }

  /**
   * Every active case's workflow, the most urgent first (earliest open due date; cases without a running
   * clock last): when a calendar change reaches hundreds of thousands of cases, the clocks that are about to
   * fall due move first.
   */
  async activeWorkflowIds(): Promise<string[]> {
    const rows = await this.ds.query(
      `SELECT c.workflow_id
         FROM candidates c
         LEFT JOIN LATERAL (SELECT min(t.due_at) AS next_due FROM tasks t WHERE t.candidate_id = c.id AND t.status = 'open') d ON true
        WHERE c.status = 'active'
        ORDER BY d.next_due ASC NULLS LAST, c.created_at`,
    );
    return rows.map((r: { workflow_id: string }) => r.workflow_id);
  }
}
