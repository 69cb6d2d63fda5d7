import type { DataSource } from 'typeorm';

export type ClassKind = 'party_awareness' | 'new_member';

export interface TrainingClass {
  id: string;
  kind: ClassKind;
  name: string;
  startsOn: string;
  endsOn: string;
  capacity: number;
  orgUnitId: string;
  orgUnitName: string;
  orgUnitPath: string;
  certifiedOn: string | null;
  createdAt: string;
  /** Proposed or enrolled (the places taken). */
  taken: number;
  enrolled: number;
  certified: number;
}

export interface Enrolment {
  classId: string;
  candidateId: string;
  fullName: string;
  cellId: string;
  stage: string;
  status: 'proposed' | 'enrolled' | 'declined';
  proposedAt: string;
  confirmedAt: string | null;
  attendance: string | null;
  result: 'pass' | 'fail' | null;
  certificateNo: string | null;
  issuedOn: string | null;
  taskId: string | null;
  appliedAt: string | null;
  applyError: Record<string, unknown> | null;
}

export interface TrainingCandidate {
  candidateId: string;
  fullName: string;
  cellPath: string;
  status: string;
  /** The open task of the training step asked for, if any, and the unit it sits on. */
  taskId: string | null;
  taskUnitPath: string | null;
  /** Another class (not yet certified for this candidate) of the same kind holding the candidate. */
  otherClassId: string | null;
}

/** Who sees which classes: null for an administrator (every class). */
export interface ClassScope {
  /** Grants that see the classes run on a unit in their subtree (the centre's staff, auditors). */
  runnerPaths: string[];
  /** Grants whose cells' candidates make a class visible: enrolled in it, or waiting on its step at its unit. */
  memberPaths: string[];
}

/** A candidate's place in a class, for the training centre's view of the candidate. */
export interface CandidateClass {
  classId: string;
  className: string;
  kind: ClassKind;
  startsOn: string;
  endsOn: string;
  orgUnitId: string;
  orgUnitPath: string;
  status: string;
  attendance: string | null;
  result: string | null;
  certificateNo: string | null;
  issuedOn: string | null;
}

export interface CertificateView {
  number: string;
  kind: ClassKind;
  issuedOn: string;
  validUntil: string | null;
  year: number;
  orgUnitId: string;
  orgUnitName: string;
  orgUnitPath: string;
  classId: string;
  className: string;
  candidateId: string;
  holderName: string;
  holderDateOfBirth: string;
  cellPath: string;
}

export interface ResultToRecord {
  candidateId: string;
  result: 'pass' | 'fail';
}

export type RecordResultsOutcome =
  | { ok: true; issued: { candidateId: string; number: string }[] }
  | { ok: false; notEnrolled: string[]; conflicts: { candidateId: string; recorded: string }[] };

const CLASS_COLS = `tc.id, tc.kind, tc.name, to_char(tc.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(tc.ends_on, 'YYYY-MM-DD') AS "endsOn",
  tc.capacity, tc.org_unit_id AS "orgUnitId", ou.name AS "orgUnitName", ou.path AS "orgUnitPath",
  to_char(tc.certified_on, 'YYYY-MM-DD') AS "certifiedOn", tc.created_at AS "createdAt",
  (SELECT count(*) FROM class_enrolments e WHERE e.class_id = tc.id AND e.status <> 'declined')::int AS "taken",
  (SELECT count(*) FROM class_enrolments e WHERE e.class_id = tc.id AND e.status = 'enrolled')::int AS "enrolled",
  (SELECT count(*) FROM class_enrolments e WHERE e.class_id = tc.id AND e.issued_on IS NOT NULL)::int AS "certified"`;

const ENROLMENT_COLS = `e.class_id AS "classId", e.candidate_id AS "candidateId", c.full_name AS "fullName", c.cell_id AS "cellId", c.stage,
  e.status, e.proposed_at AS "proposedAt", e.confirmed_at AS "confirmedAt", e.attendance, e.result, e.certificate_no AS "certificateNo",
  to_char(e.issued_on, 'YYYY-MM-DD') AS "issuedOn", e.task_id AS "taskId", e.applied_at AS "appliedAt", e.apply_error AS "applyError"`;

/** Training classes, enrolments and the certificate register of each centre. */
export class TrainingRepository {
  constructor(private readonly ds: DataSource) {}

  async create(c: { kind: ClassKind; name: string; startsOn: string; endsOn: string; capacity: number; orgUnitId: string; createdBy: string }): Promise<string> {
    const rows = await this.ds.query(
      `INSERT INTO training_classes (kind, name, starts_on, ends_on, capacity, org_unit_id, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
      [c.kind, c.name, c.startsOn, c.endsOn, c.capacity, c.orgUnitId, c.createdBy],
    );
    return rows[0].id;
  }

  async get(id: string): Promise<TrainingClass | undefined> {
    const rows = await this.ds.query(`SELECT ${CLASS_COLS} FROM training_classes tc JOIN org_units ou ON ou.id = tc.org_unit_id WHERE tc.id = $1`, [id]);
    return rows[0];
  }

  /**
   * The classes a scope sees (null: every class), newest first, at most 500; one class with `classId`. A class
   * is seen by grants over its unit in `runnerPaths`, and by grants in `memberPaths` over the cell of a
   * candidate enrolled in it (declined included) or of an active candidate whose open task is the class's step
   * (`record_training_certificate` / `record_new_member_training`) at a unit under the class's unit — the
   * units whose candidates are, or may be proposed, in it. Nobody else, wherever the class's unit sits.
   */
  async visible(scope: ClassScope | null, opts: { classId?: string; kind?: ClassKind } = {}): Promise<TrainingClass[]> {
    return this.ds.query(
      `SELECT ${CLASS_COLS} FROM training_classes tc JOIN org_units ou ON ou.id = tc.org_unit_id
        WHERE ($1::uuid IS NULL OR tc.id = $1) AND ($2::text IS NULL OR tc.kind = $2)
          AND ($3::text[] IS NULL
               OR EXISTS (SELECT 1 FROM unnest($3::text[]) p WHERE left(ou.path, length(p)) = p)
               OR EXISTS (SELECT 1 FROM class_enrolments e JOIN candidates c ON c.id = e.candidate_id JOIN org_units cell ON cell.id = c.cell_id
                           WHERE e.class_id = tc.id AND EXISTS (SELECT 1 FROM unnest($4::text[]) p WHERE left(cell.path, length(p)) = p))
               OR EXISTS (SELECT 1 FROM tasks t JOIN org_units tu ON tu.id = t.org_unit_id
                           JOIN candidates c ON c.id = t.candidate_id JOIN org_units cell ON cell.id = c.cell_id
                           WHERE t.status = 'open' AND c.status = 'active'
                             AND t.type = CASE tc.kind WHEN 'party_awareness' THEN 'record_training_certificate' ELSE 'record_new_member_training' END
                             AND left(tu.path, length(ou.path)) = ou.path
                             AND EXISTS (SELECT 1 FROM unnest($4::text[]) p WHERE left(cell.path, length(p)) = p)))
        ORDER BY tc.starts_on DESC, tc.created_at DESC LIMIT 500`,
      [opts.classId ?? null, opts.kind ?? null, scope?.runnerPaths ?? null, scope?.memberPaths ?? []],
    );
  }

  /** A class's enrolments, of every candidate (`cellPaths` null) or only of those whose cell lies under one of `cellPaths`. */
  async enrolments(classId: string, cellPaths: string[] | null = null): Promise<Enrolment[]> {
    return this.ds.query(
      `SELECT ${ENROLMENT_COLS} FROM class_enrolments e JOIN candidates c ON c.id = e.candidate_id JOIN org_units cell ON cell.id = c.cell_id
        WHERE e.class_id = $1 AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE left(cell.path, length(p)) = p))
        ORDER BY c.search_name, e.candidate_id`,
      [classId, cellPaths],
    );
  }

  /** Every class a candidate was proposed for, newest first. */
  async classesOf(candidateId: string): Promise<CandidateClass[]> {
    return this.ds.query(
      `SELECT tc.id AS "classId", tc.name AS "className", tc.kind, to_char(tc.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(tc.ends_on, 'YYYY-MM-DD') AS "endsOn",
              tc.org_unit_id AS "orgUnitId", ou.path AS "orgUnitPath", e.status, e.attendance, e.result, e.certificate_no AS "certificateNo",
              to_char(e.issued_on, 'YYYY-MM-DD') AS "issuedOn"
         FROM class_enrolments e JOIN training_classes tc ON tc.id = e.class_id JOIN org_units ou ON ou.id = tc.org_unit_id
        WHERE e.candidate_id = $1 ORDER BY tc.starts_on DESC, tc.created_at DESC`,
      [candidateId],
    );
  }

  /** What a proposal needs to know about each candidate: where they sit, their open training task, other classes. */
  async trainingCandidates(candidateIds: string[], taskType: string, kind: ClassKind, classId: string): Promise<TrainingCandidate[]> {
    return this.ds.query(
      `SELECT c.id AS "candidateId", c.full_name AS "fullName", cell.path AS "cellPath", c.status,
              t.id AS "taskId", tu.path AS "taskUnitPath",
              (SELECT e.class_id FROM class_enrolments e JOIN training_classes o ON o.id = e.class_id
                WHERE e.candidate_id = c.id AND o.kind = $3 AND e.class_id <> $4 AND e.status <> 'declined' AND e.issued_on IS NULL LIMIT 1) AS "otherClassId"
         FROM candidates c
         JOIN org_units cell ON cell.id = c.cell_id
         LEFT JOIN tasks t ON t.candidate_id = c.id AND t.status = 'open' AND t.type = $2
         LEFT JOIN org_units tu ON tu.id = t.org_unit_id
        WHERE c.id = ANY($1::uuid[])`,
      [candidateIds, taskType, kind, classId],
    );
  }

  /**
   * Who may still be proposed for a class: active candidates of the cells under one of `paths` (null: all)
   * whose open task is the class's step at a unit under the centre, and who sit in no other open class of the
   * same kind and not already in this one. By name, at most 500.
   */
  async eligible(classId: string, taskType: string, kind: ClassKind, centrePath: string, paths: string[] | null): Promise<{ candidateId: string; fullName: string; cellName: string; openedOn: string }[]> {
    return this.ds.query(
      `SELECT c.id AS "candidateId", c.full_name AS "fullName", cell.name AS "cellName", to_char(t.opened_on, 'YYYY-MM-DD') AS "openedOn"
         FROM tasks t
         JOIN candidates c ON c.id = t.candidate_id
         JOIN org_units cell ON cell.id = c.cell_id
         JOIN org_units tu ON tu.id = t.org_unit_id
        WHERE t.status = 'open' AND t.type = $1 AND c.status = 'active'
          AND left(tu.path, length($2)) = $2
          AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($3::text[]) p WHERE left(cell.path, length(p)) = p))
          AND NOT EXISTS (SELECT 1 FROM class_enrolments e JOIN training_classes o ON o.id = e.class_id
                           WHERE e.candidate_id = c.id AND o.kind = $4 AND e.status <> 'declined' AND (e.class_id = $5 OR e.issued_on IS NULL))
        ORDER BY c.search_name, c.id
        LIMIT 500`,
      [taskType, centrePath, paths, kind, classId],
    );
  }

  /** Adds proposals if the class has room; the class row is locked so two proposals cannot both take the last place. */
  async propose(classId: string, candidateIds: string[], userId: string): Promise<{ ok: boolean; capacity: number; taken: number; added: number }> {
    return this.ds.transaction(async (m) => {
      const [cls] = await m.query(`SELECT capacity FROM training_classes WHERE id = $1 FOR UPDATE`, [classId]);
      const [{ taken }] = await m.query(`SELECT count(*)::int AS taken FROM class_enrolments WHERE class_id = $1 AND status <> 'declined'`, [classId]);
      const [{ fresh }] = await m.query(
        `SELECT count(*)::int AS fresh FROM unnest($2::uuid[]) id
          WHERE NOT EXISTS (SELECT 1 FROM class_enrolments e WHERE e.class_id = $1 AND e.candidate_id = id AND e.status <> 'declined')`,
        [classId, candidateIds],
      );
      if (taken + fresh > cls.capacity) return { ok: false, capacity: cls.capacity, taken, added: fresh };
      await m.query(
        `INSERT INTO class_enrolments (class_id, candidate_id, status, proposed_by) SELECT $1, id, 'proposed', $3 FROM unnest($2::uuid[]) id
         ON CONFLICT ON CONSTRAINT pk_class_enrolments DO UPDATE SET status = 'proposed', proposed_by = EXCLUDED.proposed_by, proposed_at = now(), confirmed_at = NULL
         WHERE class_enrolments.status = 'declined'`,
        [classId, candidateIds, userId],
      );
      return { ok: true, capacity: cls.capacity, taken: taken + fresh, added: fresh };
    });
  }

  /** Confirms or declines proposals; returns the candidates changed. Certified enrolments never change. */
  async setStatus(classId: string, candidateIds: string[], status: 'enrolled' | 'declined'): Promise<string[]> {
    const rows = await this.ds.query(
      `UPDATE class_enrolments SET status = $3, confirmed_at = CASE WHEN $3 = 'enrolled' THEN now() ELSE NULL END
        WHERE class_id = $1 AND candidate_id = ANY($2::uuid[]) AND issued_on IS NULL
        RETURNING candidate_id AS "candidateId"`,
      [classId, candidateIds, status],
    );
    return (rows[0] as { candidateId: string }[]).map((r) => r.candidateId);
  }

  /** Attendance and a provisional result for enrolled candidates not yet certified; returns those updated. */
  async recordAttendance(classId: string, records: { candidateId: string; attendance: string; result?: string }[]): Promise<string[]> {
    const rows = await this.ds.query(
      `UPDATE class_enrolments e SET attendance = r.attendance, result = coalesce(r.result, e.result)
         FROM jsonb_to_recordset($2::jsonb) AS r("candidateId" uuid, attendance text, result text)
        WHERE e.class_id = $1 AND e.candidate_id = r."candidateId" AND e.status = 'enrolled' AND e.issued_on IS NULL
        RETURNING e.candidate_id AS "candidateId"`,
      [classId, JSON.stringify(records)],
    );
    return (rows[0] as { candidateId: string }[]).map((r) => r.candidateId);
  }

  /**
   * Records the final results of a class and issues a numbered certificate to each candidate who passed, in
   * one transaction: numbers come from the centre's register for the year (a counter row, so they are
   * sequential without gaps and never issued twice). Results already recorded with the same value are kept
   * as they are (a repeat issues nothing); a different value is a conflict and nothing is written.
   */
  async recordResults(p: { classId: string; kind: ClassKind; centreId: string; issuedOn: string; validUntil: string | null; results: ResultToRecord[]; number: (seq: number, year: number) => string }): Promise<RecordResultsOutcome> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT 1 FROM training_classes WHERE id = $1 FOR UPDATE`, [p.classId]);
      const rows: { candidateId: string; status: string; result: string | null; issuedOn: string | null; fullName: string }[] = await m.query(
        `SELECT e.candidate_id AS "candidateId", e.status, e.result, to_char(e.issued_on, 'YYYY-MM-DD') AS "issuedOn", c.search_name AS "fullName"
           FROM class_enrolments e JOIN candidates c ON c.id = e.candidate_id WHERE e.class_id = $1 AND e.candidate_id = ANY($2::uuid[])`,
        [p.classId, p.results.map((r) => r.candidateId)],
      );
      const byId = new Map(rows.map((r) => [r.candidateId, r]));
      const notEnrolled = p.results.filter((r) => byId.get(r.candidateId)?.status !== 'enrolled').map((r) => r.candidateId);
      const conflicts = p.results
        .filter((r) => { const e = byId.get(r.candidateId); return e?.issuedOn && e.result !== r.result; })
        .map((r) => ({ candidateId: r.candidateId, recorded: byId.get(r.candidateId)!.result! }));
      if (notEnrolled.length || conflicts.length) return { ok: false as const, notEnrolled, conflicts };

      const fresh = p.results.filter((r) => !byId.get(r.candidateId)!.issuedOn);
      // Numbers in the order of the class list (name, then id), so a class's certificates run consecutively.
      const passes = fresh
        .filter((r) => r.result === 'pass')
        .sort((a, b) => byId.get(a.candidateId)!.fullName.localeCompare(byId.get(b.candidateId)!.fullName) || a.candidateId.localeCompare(b.candidateId));
      const year = Number(p.issuedOn.slice(0, 4));
      const issued: { candidateId: string; number: string }[] = [];
      if (passes.length) {
        const [{ last }] = await m.query(
          `INSERT INTO certificate_counters (org_unit_id, year, last) VALUES ($1, $2, $3)
           ON CONFLICT ON CONSTRAINT pk_certificate_counters DO UPDATE SET last = certificate_counters.last + EXCLUDED.last RETURNING last`,
          [p.centreId, year, passes.length],
        );
        const first = last - passes.length + 1;
        passes.forEach((r, i) => issued.push({ candidateId: r.candidateId, number: p.number(first + i, year) }));
        await m.query(
          `INSERT INTO certificates (number, org_unit_id, year, seq, kind, candidate_id, class_id, issued_on, valid_until)
           SELECT x.number, $1, $2, x.seq, $3, x."candidateId", $4, $5, $6
             FROM jsonb_to_recordset($7::jsonb) AS x(number text, seq int, "candidateId" uuid)`,
          [p.centreId, year, p.kind, p.classId, p.issuedOn, p.validUntil, JSON.stringify(issued.map((x, i) => ({ ...x, seq: first + i })))],
        );
      }
      const numbers = new Map(issued.map((x) => [x.candidateId, x.number]));
      await m.query(
        `UPDATE class_enrolments e SET result = r.result, issued_on = $2, certificate_no = r.number, applied_at = NULL, apply_error = NULL
           FROM jsonb_to_recordset($3::jsonb) AS r("candidateId" uuid, result text, number text)
          WHERE e.class_id = $1 AND e.candidate_id = r."candidateId"`,
        [p.classId, p.issuedOn, JSON.stringify(fresh.map((r) => ({ ...r, number: numbers.get(r.candidateId) ?? null })))],
      );
      if (fresh.length) await m.query(`UPDATE training_classes SET certified_on = $2 WHERE id = $1`, [p.classId, p.issuedOn]);
      return { ok: true as const, issued };
    });
  }

  async markAttempt(classId: string, candidateId: string, taskId: string): Promise<void> {
    await this.ds.query(`UPDATE class_enrolments SET task_id = $3 WHERE class_id = $1 AND candidate_id = $2`, [classId, candidateId, taskId]);
  }

  async markApplied(classId: string, candidateId: string): Promise<void> {
    await this.ds.query(`UPDATE class_enrolments SET applied_at = now(), apply_error = NULL WHERE class_id = $1 AND candidate_id = $2`, [classId, candidateId]);
  }

  async markError(classId: string, candidateId: string, error: Record<string, unknown>): Promise<void> {
    await this.ds.query(`UPDATE class_enrolments SET apply_error = $3 WHERE class_id = $1 AND candidate_id = $2`, [classId, candidateId, JSON.stringify(error)]);
  }

  /** Every certificate with that number (numbers are unique per centre; two centres may share one). */
  async certificates(number: string): Promise<CertificateView[]> {
    return this.ds.query(
      `SELECT ce.number, ce.kind, to_char(ce.issued_on, 'YYYY-MM-DD') AS "issuedOn", to_char(ce.valid_until, 'YYYY-MM-DD') AS "validUntil", ce.year,
              ce.org_unit_id AS "orgUnitId", ou.name AS "orgUnitName", ou.path AS "orgUnitPath", ce.class_id AS "classId", tc.name AS "className",
              ce.candidate_id AS "candidateId", c.full_name AS "holderName", to_char(c.date_of_birth, 'YYYY-MM-DD') AS "holderDateOfBirth", cell.path AS "cellPath"
         FROM certificates ce
         JOIN org_units ou ON ou.id = ce.org_unit_id
         JOIN training_classes tc ON tc.id = ce.class_id
         JOIN candidates c ON c.id = ce.candidate_id
         JOIN org_units cell ON cell.id = c.cell_id
        WHERE ce.number = $1 ORDER BY ou.path`,
      [number],
    );
  }
}
