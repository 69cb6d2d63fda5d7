import type { DataSource } from 'typeorm';
import { eventHash } from '../audit-chain.js';

export interface ChainBreak {
  candidateId: string;
  seq: number;
  reason: 'hash_mismatch' | 'link_mismatch' | 'gap';
}

export interface ChainReport {
  ok: boolean;
  /** Candidates under the unit, all pages together. */
  candidates: number;
  /** Events checked on this page. */
  checked: number;
  firstBroken?: ChainBreak;
  /** This page: candidates `offset`…`offset + limit - 1` in id order. */
  offset: number;
  limit: number;
  /** The offset of the next page, while there is one. */
  next?: number;
}

/** Reads for auditors: chain verification over a subtree, and the log of personal-data reads. */
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Recomputes the chains of one page of the candidates under the unit (by cell, in id order), events page by page so memory stays flat, and
   * names the first event whose stored hash or link does not match.
   */
  async verify(unitPath: string, page: { limit: number; offset: number }, pageSize = 5000): Promise<ChainReport> {
    const rows: { id: string; total: number }[] = await this.ds.query(
      `SELECT c.id, (count(*) OVER ())::int AS total FROM candidates c JOIN org_units ou ON ou.id = c.cell_id
        WHERE ou.path LIKE $1 || '%' ORDER BY c.id LIMIT $2 OFFSET $3`,
      [unitPath, page.limit, page.offset],
    );
    const ids = rows;
    const total = rows[0]?.total ?? (await this.ds.query(`SELECT count(*)::int AS n FROM candidates c JOIN org_units ou ON ou.id = c.cell_id WHERE ou.path LIKE $1 || '%'`, [unitPath]))[0].n;
    const paging = { offset: page.offset, limit: page.limit, ...(page.offset + ids.length < total ? { next: page.offset + ids.length } : {}) };
    let checked = 0;
    for (const { id } of ids) {
      let prev: string | null = null;
      let expectedSeq = 1;
      for (let offset = 0; ; offset += pageSize) {
        const rows: any[] = await this.ds.query(
          `SELECT seq, type, at, to_char(business_date, 'YYYY-MM-DD') AS business_date, to_char(recorded_on, 'YYYY-MM-DD') AS recorded_on, actor, rule_set_id, data, prev_hash, hash
             FROM candidate_events WHERE candidate_id = $1 ORDER BY seq LIMIT $2 OFFSET $3`,
          [id, pageSize, offset],
        );
        for (const r of rows) {
          checked += 1;
          const broken = (reason: ChainBreak['reason']): ChainReport => ({ ok: false, candidates: total, checked, firstBroken: { candidateId: id, seq: r.seq, reason }, ...paging });
          if (r.seq !== expectedSeq) return broken('gap');
          if ((r.prev_hash ?? null) !== prev) return broken('link_mismatch');
          const hash = eventHash(prev, {
            candidateId: id,
            seq: r.seq,
            type: r.type,
            at: new Date(r.at).toISOString(),
            businessDate: r.business_date,
            recordedOn: r.recorded_on ?? undefined,
            actor: r.actor,
            ruleSetId: r.rule_set_id,
            data: r.data,
          });
          if (hash !== r.hash) return broken('hash_mismatch');
          prev = r.hash;
          expectedSeq += 1;
        }
        if (rows.length < pageSize) break;
      }
    }
    return { ok: true, candidates: total, checked, ...paging };
  }

  /** Every candidate whose cell lies in the subtree, oldest first. */
  async candidateIdsUnder(unitPath: string): Promise<string[]> {
    const rows = await this.ds.query(
      `SELECT c.id FROM candidates c JOIN org_units ou ON ou.id = c.cell_id WHERE ou.path LIKE $1 || '%' ORDER BY c.created_at, c.id`,
      [unitPath],
    );
    return rows.map((r: { id: string }) => r.id);
  }

  /**
   * History rows of every candidate in the subtree recorded between two dates (inclusive), in recording
   * order, fetched page by page with keyset paging so a large range never sits in memory at once.
   */
  async *historyRows(unitPath: string, from: string, to: string, pageSize = 2000): AsyncGenerator<Record<string, any>[]> {
    let after: { at: string; candidateId: string; seq: number } | undefined;
    for (;;) {
      const params: unknown[] = [unitPath, from, to, pageSize];
      let keyset = '';
      if (after) {
        params.push(after.at, after.candidateId, after.seq);
        keyset = `AND (e.at, e.candidate_id, e.seq) > ($5::timestamptz, $6::uuid, $7::int)`;
      }
      const rows: Record<string, any>[] = await this.ds.query(
        `SELECT e.at, e.candidate_id AS "candidateId", c.full_name AS "candidateName", ou.name AS "cellName", e.seq, e.type,
                to_char(COALESCE(e.recorded_on, e.business_date), 'YYYY-MM-DD') AS "recordedOn",
                to_char(e.business_date, 'YYYY-MM-DD') AS "businessDate", e.actor->>'username' AS "actor", e.rule_set_id AS "ruleSetId",
                e.data, e.hash
           FROM candidate_events e JOIN candidates c ON c.id = e.candidate_id JOIN org_units ou ON ou.id = c.cell_id
          WHERE ou.path LIKE $1 || '%' AND COALESCE(e.recorded_on, e.business_date) BETWEEN $2::date AND $3::date ${keyset}
          ORDER BY e.at, e.candidate_id, e.seq LIMIT $4`,
        params,
      );
      if (rows.length === 0) return;
      yield rows;
      const last = rows[rows.length - 1];
      after = { at: new Date(last.at).toISOString(), candidateId: last.candidateId, seq: last.seq };
      if (rows.length < pageSize) return;
    }
  }

  /** `candidateId` null: a read not attributable to one candidate (a Temporal codec decode without a workflow id). */
  async logPiiRead(userId: string, candidateId: string | null, what: string): Promise<void> {
    await this.ds.query(`INSERT INTO pii_reads (user_id, candidate_id, what) VALUES ($1,$2,$3)`, [userId, candidateId, what]);
  }

  /** One read of several candidates at once (a class list): one row per candidate, in one statement. */
  async logPiiReads(userId: string, candidateIds: string[], what: string): Promise<void> {
    if (!candidateIds.length) return;
    await this.ds.query(`INSERT INTO pii_reads (user_id, candidate_id, what) SELECT $1, id, $3 FROM unnest($2::uuid[]) AS id`, [userId, [...new Set(candidateIds)], what]);
  }

  /**
   * A history export over a subtree and a date range: one row per candidate whose events it holds (the same
   * filter as `historyRows`), each naming the export's filter, in one statement.
   */
  async logHistoryExport(userId: string, unitPath: string, from: string, to: string, what: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO pii_reads (user_id, candidate_id, what)
       SELECT $4, c.id, $5 FROM candidates c JOIN org_units ou ON ou.id = c.cell_id
        WHERE ou.path LIKE $1 || '%'
          AND EXISTS (SELECT 1 FROM candidate_events e WHERE e.candidate_id = c.id AND COALESCE(e.recorded_on, e.business_date) BETWEEN $2::date AND $3::date)`,
      [unitPath, from, to, userId, what],
    );
  }

  /**
   * Reads of the subtree's candidates; for the top unit of a tree also the reads attributable to no candidate
   * (Temporal codec decodes), which may have shown anyone's data.
   */
  async piiReads(unitPath: string, limit: number, offset: number) {
    return this.ds.query(
      `SELECT p.id, p.at, p.what, p.candidate_id AS "candidateId", c.full_name AS "candidateName",
              p.user_id AS "userId", u.username, u.full_name AS "userFullName"
         FROM pii_reads p LEFT JOIN candidates c ON c.id = p.candidate_id LEFT JOIN org_units ou ON ou.id = c.cell_id JOIN users u ON u.id = p.user_id
        WHERE ou.path LIKE $1 || '%' OR (p.candidate_id IS NULL AND $1 ~ '^/[^/]+/$')
        ORDER BY p.at DESC, p.id LIMIT $2 OFFSET $3`,
      [unitPath, limit, offset],
    );
  }
}
