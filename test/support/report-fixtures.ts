import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** One candidate of a report fixture: who they are and the dates they reached each step (absent: not reached). */
export interface FixtureCandidate {
  cellId: string;
  grassrootsId: string;
  gender?: 'female' | 'male';
  dateOfBirth?: string;
  ethnicity?: string;
  religion?: string | null;
  youthUnionMember?: boolean;
  education?: string;
  occupation?: string;
  placeId?: string;
  introducedOn: string;
  sympathiserOn?: string;
  certifiedOn?: string;
  admittedOn?: string;
  officialOn?: string;
}

/**
 * Writes candidates and their business history straight into the read model (candidates and
 * candidate_events, as the projection would), for reports over more cases than driving workflows allows.
 * Returns the candidate ids in order.
 */
export async function seedReadModel(ds: DataSource, list: FixtureCandidate[]): Promise<string[]> {
  const candidates = list.map((f, i) => ({
    id: randomUUID(),
    cellId: f.cellId,
    fullName: `Ứng viên mẫu ${i + 1}`,
    dateOfBirth: f.dateOfBirth ?? '1998-05-20',
    gender: f.gender ?? 'male',
    ethnicity: f.ethnicity ?? 'Kinh',
    religion: f.religion ?? null,
    education: f.education ?? 'upper_secondary',
    youth: f.youthUnionMember ?? false,
    occupation: f.occupation ?? null,
    placeId: f.placeId ?? null,
    routing: { cellId: f.cellId, grassrootsId: f.grassrootsId },
    source: { organization: 'Đoàn thanh niên', introducedOn: f.introducedOn },
    stage: f.officialOn ? 'official' : f.admittedOn ? 'probation' : 'awareness_training',
    status: f.officialOn ? 'official' : 'active',
  }));
  await ds.query(
    `INSERT INTO candidates (id, cell_id, full_name, search_name, date_of_birth, gender, ethnicity, religion, education, youth_union_member,
                             occupation, place_id, source, routing, stage, status, version, workflow_id)
     SELECT x.id, x."cellId", x."fullName", lower(x."fullName"), x."dateOfBirth", x.gender, x.ethnicity, x.religion, x.education, x.youth,
            x.occupation, x."placeId", x.source, x.routing, x.stage, x.status, 1, 'fixture-' || x.id
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, "cellId" uuid, "fullName" text, "dateOfBirth" date, gender text, ethnicity text, religion text,
            education text, youth boolean, occupation text, "placeId" uuid, source jsonb, routing jsonb, stage text, status text)`,
    [JSON.stringify(candidates)],
  );
  const events: Record<string, unknown>[] = [];
  list.forEach((f, i) => {
    const id = candidates[i].id;
    const push = (type: string, businessDate: string, data: Record<string, unknown>) =>
      events.push({ candidateId: id, seq: events.filter((e) => e.candidateId === id).length + 1, type, businessDate, data });
    push('candidate_created', f.introducedOn, { candidateId: id, source: candidates[i].source });
    const decision = (taskType: string, outcome: string, date?: string) => date && push('decision_recorded', date, { taskType, outcome, decision: {} });
    decision('recognize_sympathiser', 'approve', f.sympathiserOn);
    decision('record_training_certificate', 'pass', f.certifiedOn);
    decision('superior_admission_decision', 'approve', f.admittedOn);
    if (f.officialOn) push('path_ended', f.officialOn, { endState: 'official', officialFrom: f.officialOn });
  });
  await ds.query(
    `INSERT INTO candidate_events (candidate_id, seq, type, at, business_date, data, hash)
     SELECT x."candidateId", x.seq, x.type, x."businessDate"::timestamptz, x."businessDate", x.data, md5(x."candidateId"::text || x.seq)
       FROM jsonb_to_recordset($1::jsonb) AS x("candidateId" uuid, seq int, type text, "businessDate" date, data jsonb)`,
    [JSON.stringify(events)],
  );
  return candidates.map((c) => c.id);
}

/** ISO date `n` days after `date`. */
export function plusDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
