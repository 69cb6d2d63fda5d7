import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The read model: org tree, users and roles, candidates, tasks, the business history, idempotency. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE org_units (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      kind text NOT NULL CONSTRAINT ck_org_units_kind CHECK (kind IN ('province','superior','grassroots_committee','grassroots_cell','cell','training_centre')),
      parent_id uuid NULL CONSTRAINT fk_org_units_parent REFERENCES org_units(id),
      path text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_org_units_path ON org_units (path text_pattern_ops)`);
    await q.query(`CREATE INDEX ix_org_units_parent ON org_units (parent_id)`);

    await q.query(`CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      username text NOT NULL CONSTRAINT uq_users_username UNIQUE,
      password_hash text NOT NULL,
      full_name text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE user_roles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL CONSTRAINT fk_user_roles_user REFERENCES users(id) ON DELETE CASCADE,
      role text NOT NULL CONSTRAINT ck_user_roles_role CHECK (role IN ('cell_secretary','grassroots_committee','superior_board','training_centre','auditor','admin')),
      org_unit_id uuid NULL CONSTRAINT fk_user_roles_unit REFERENCES org_units(id),
      CONSTRAINT uq_user_roles UNIQUE NULLS NOT DISTINCT (user_id, role, org_unit_id)
    )`);

    await q.query(`CREATE TABLE candidates (
      id uuid PRIMARY KEY,
      cell_id uuid NOT NULL CONSTRAINT fk_candidates_cell REFERENCES org_units(id),
      full_name text NOT NULL,
      search_name text NOT NULL,
      date_of_birth date NOT NULL,
      gender text NOT NULL,
      ethnicity text NOT NULL,
      religion text NULL,
      education text NOT NULL,
      youth_union_member boolean NOT NULL,
      hardship_area boolean NOT NULL DEFAULT false,
      source jsonb NOT NULL,
      routing jsonb NOT NULL,
      stage text NOT NULL,
      status text NOT NULL,
      version int NOT NULL DEFAULT 0,
      workflow_id text NOT NULL CONSTRAINT uq_candidates_workflow UNIQUE,
      party_age_from date NULL,
      probation_ends_on date NULL,
      official_from date NULL,
      ended_reason jsonb NULL,
      created_by uuid NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_candidates_cell ON candidates (cell_id)`);
    await q.query(`CREATE INDEX ix_candidates_stage ON candidates (stage)`);

    await q.query(`CREATE TABLE tasks (
      id text PRIMARY KEY,
      candidate_id uuid NOT NULL CONSTRAINT fk_tasks_candidate REFERENCES candidates(id),
      type text NOT NULL,
      role text NOT NULL,
      org_unit_id uuid NOT NULL CONSTRAINT fk_tasks_unit REFERENCES org_units(id),
      status text NOT NULL CONSTRAINT ck_tasks_status CHECK (status IN ('open','done','cancelled')),
      attempt int NOT NULL DEFAULT 1,
      opened_at timestamptz NOT NULL,
      opened_on date NOT NULL,
      not_before date NULL,
      due_date date NULL,
      due_at timestamptz NULL,
      due_rule jsonb NULL,
      closed_at timestamptz NULL,
      outcome text NULL,
      decided_by jsonb NULL,
      version int NOT NULL
    )`);
    await q.query(`CREATE INDEX ix_tasks_candidate ON tasks (candidate_id)`);
    await q.query(`CREATE INDEX ix_tasks_open_unit_due ON tasks (org_unit_id, due_at) WHERE status = 'open'`);

    await q.query(`CREATE TABLE candidate_events (
      candidate_id uuid NOT NULL CONSTRAINT fk_candidate_events_candidate REFERENCES candidates(id),
      seq int NOT NULL,
      type text NOT NULL,
      at timestamptz NOT NULL,
      business_date date NULL,
      actor jsonb NULL,
      rule_set_id text NULL,
      data jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT pk_candidate_events PRIMARY KEY (candidate_id, seq)
    )`);

    await q.query(`CREATE TABLE idempotency_keys (
      user_id uuid NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code int NULL,
      response jsonb NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT pk_idempotency_keys PRIMARY KEY (user_id, key)
    )`);

    await q.query(`CREATE TABLE app_settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['app_settings', 'idempotency_keys', 'candidate_events', 'tasks', 'candidates', 'user_roles', 'users', 'org_units']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
