import type { DataSource } from 'typeorm';

export interface NewCandidate {
  id: string;
  cellId: string;
  fullName: string;
  searchName: string;
  dateOfBirth: string;
  gender: string;
  ethnicity: string;
  religion: string | null;
  education: string;
  youthUnionMember: boolean;
  hardshipArea: boolean;
  /** For the statistics (§8): occupation and sector, professional qualification, the place lived in or worked at. */
  occupation?: string | null;
  sector?: string | null;
  professionalQualification?: string | null;
  placeId?: string | null;
  source: Record<string, unknown>;
  routing: Record<string, unknown>;
  stage: string;
  workflowId: string;
  createdBy: string | null;
}

export interface CandidateRecord extends NewCandidate {
  status: string;
  version: number;
  partyAgeFrom: string | null;
  probationEndsOn: string | null;
  officialFrom: string | null;
  endedReason: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export interface TaskRecord {
  id: string;
  candidateId: string;
  candidateName: string;
  type: string;
  role: string;
  orgUnitId: string;
  orgUnitName: string;
  orgUnitPath: string;
  status: string;
  attempt: number;
  openedAt: string;
  openedOn: string;
  notBefore: string | null;
  dueDate: string | null;
  dueAt: string | null;
  dueRule: Record<string, unknown> | null;
  closedAt: string | null;
  outcome: string | null;
}

export interface HistoryEvent {
  seq: number;
  type: string;
  at: string;
  businessDate: string | null;
  recordedOn: string | null;
  actor: Record<string, unknown> | null;
  ruleSetId: string | null;
  data: Record<string, unknown>;
  prevHash: string | null;
  hash: string;
  temporalRef: Record<string, unknown> | null;
}

export interface InboxQuery {
  grants: { role: string; path: string }[];
  type?: string;
  orgUnitId?: string;
  due?: 'overdue' | 'has_due' | 'none';
  nowIso: string;
  search?: string;
  /** Due on or before this date (Vietnam calendar). */
  dueBy?: string;
  sort?: 'due' | 'opened';
  limit: number;
  offset: number;
}

const CANDIDATE_COLS = `id, cell_id AS "cellId", full_name AS "fullName", search_name AS "searchName",
  to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth", gender, ethnicity, religion, education,
  youth_union_member AS "youthUnionMember", hardship_area AS "hardshipArea", occupation, sector,
  professional_qualification AS "professionalQualification", place_id AS "placeId", source, routing, stage, status, version,
  workflow_id AS "workflowId", to_char(party_age_from, 'YYYY-MM-DD') AS "partyAgeFrom",
  to_char(probation_ends_on, 'YYYY-MM-DD') AS "probationEndsOn", to_char(official_from, 'YYYY-MM-DD') AS "officialFrom",
  ended_reason AS "endedReason", created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

const TASK_COLS = `t.id, t.candidate_id AS "candidateId", c.full_name AS "candidateName", t.type, t.role, t.org_unit_id AS "orgUnitId",
  ou.name AS "orgUnitName", ou.path AS "orgUnitPath", t.status, t.attempt, t.opened_at AS "openedAt",
  to_char(t.opened_on, 'YYYY-MM-DD') AS "openedOn", to_char(t.not_before, 'YYYY-MM-DD') AS "notBefore",
  to_char(t.due_date, 'YYYY-MM-DD') AS "dueDate",
  to_char(t.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"') AS "dueAt", t.due_rule AS "dueRule", t.closed_at AS "closedAt", t.outcome`;

export class CandidateRepository {
  constructor(private readonly ds: DataSource) {}

  async get(id: string): Promise<CandidateRecord | undefined> {
    const rows = await this.ds.query(`SELECT ${CANDIDATE_COLS} FROM candidates WHERE id = $1`, [id]);
    return rows[0];
  }

  async tasksOf(candidateId: string, status?: string): Promise<TaskRecord[]> {
    return this.ds.query(
      `SELECT ${TASK_COLS} FROM tasks t JOIN org_units ou ON ou.id = t.org_unit_id JOIN candidates c ON c.id = t.candidate_id
        WHERE t.candidate_id = $1 ${status ? 'AND t.status = $2' : ''} ORDER BY t.opened_at, t.id`,
      status ? [candidateId, status] : [candidateId],
    );
  }

  async task(id: string): Promise<TaskRecord | undefined> {
    const rows = await this.ds.query(
      `SELECT ${TASK_COLS} FROM tasks t JOIN org_units ou ON ou.id = t.org_unit_id JOIN candidates c ON c.id = t.candidate_id WHERE t.id = $1`,
      [id],
    );
    return rows[0];
  }

  /** The type of each of these tasks that exists (the API's decision metrics label by it). */
  async taskTypes(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; type: string }[] = await this.ds.query(`SELECT id, type FROM tasks WHERE id = ANY($1::text[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.type]));
  }

  async history(candidateId: string): Promise<HistoryEvent[]> {
    return this.ds.query(
      `SELECT seq, type, at, to_char(business_date, 'YYYY-MM-DD') AS "businessDate", to_char(recorded_on, 'YYYY-MM-DD') AS "recordedOn",
              actor, rule_set_id AS "ruleSetId", data, prev_hash AS "prevHash", hash, temporal_ref AS "temporalRef"
         FROM candidate_events WHERE candidate_id = $1 ORDER BY seq`,
      [candidateId],
    );
  }

  /**
   * The open tasks a user may act on: one query, paged, with the total. The user's jurisdiction is resolved
   * first — the (role, unit) pairs of every unit under each grant's path, an index range on ix_org_units_path
   * (text_pattern_ops: the ~>=~ / ~<~ bounds; LIKE alone cannot use it with a pattern from another table) —
   * and only the open tasks of those pairs are read (an index range per unit on ix_tasks_open_unit_role_due),
   * so the cost follows the size of the user's subtree and inbox, not the number of units or open tasks in
   * the country. DISTINCT makes overlapping grants count a task once.
   */
  async inbox(q: InboxQuery): Promise<{ items: TaskRecord[]; total: number }> {
    const params: unknown[] = [q.grants.map((g) => g.role), q.grants.map((g) => g.path)];
    const where: string[] = [];
    if (q.type) {
      params.push(q.type);
      where.push(`t.type = $${params.length}`);
    }
    if (q.orgUnitId) {
      params.push(q.orgUnitId);
      where.push(`t.org_unit_id = $${params.length}`);
    }
    if (q.due === 'overdue') {
      params.push(q.nowIso);
      where.push(`t.due_at < $${params.length}::timestamptz`);
    } else if (q.due === 'has_due') where.push(`t.due_at IS NOT NULL`);
    else if (q.due === 'none') where.push(`t.due_at IS NULL`);
    if (q.dueBy) {
      params.push(q.dueBy);
      where.push(`t.due_date <= $${params.length}::date`);
    }
    if (q.search) {
      params.push(`%${q.search}%`);
      where.push(`c.search_name LIKE $${params.length}`);
    }
    params.push(q.limit, q.offset);
    const rows = await this.ds.query(
      `SELECT ${TASK_COLS}, count(*) OVER () AS "total"
         FROM (SELECT DISTINCT g.role, s.id
                 FROM unnest($1::text[], $2::text[]) AS g(role, path)
                 JOIN org_units s ON s.path ~>=~ g.path AND s.path ~<~ (g.path || chr(1114111)) AND s.path LIKE g.path || '%') AS scope(role, unit_id)
         JOIN tasks t ON t.org_unit_id = scope.unit_id AND t.role = scope.role AND t.status = 'open'
         JOIN org_units ou ON ou.id = t.org_unit_id JOIN candidates c ON c.id = t.candidate_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${q.sort === 'opened' ? 't.opened_at ASC' : 't.due_at ASC NULLS LAST, t.opened_at ASC'}, t.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const total = rows.length ? Number(rows[0].total) : 0;
    return { items: rows.map(({ total: _t, ...r }: any) => r), total };
  }
}
