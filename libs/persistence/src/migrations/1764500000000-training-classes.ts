import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training classes run by a training centre (party awareness, new member), the candidates proposed and
 * enrolled in them with attendance and result, and the certificates issued, numbered per centre and year.
 */
export class TrainingClasses1764500000000 implements MigrationInterface {
  name = 'TrainingClasses1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE training_classes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CONSTRAINT ck_training_classes_kind CHECK (kind IN ('party_awareness','new_member')),
      name text NOT NULL,
      starts_on date NOT NULL,
      ends_on date NOT NULL,
      capacity int NOT NULL CONSTRAINT ck_training_classes_capacity CHECK (capacity > 0),
      org_unit_id uuid NOT NULL CONSTRAINT fk_training_classes_unit REFERENCES org_units(id),
      certified_on date NULL,
      created_by uuid NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ck_training_classes_dates CHECK (ends_on >= starts_on)
    )`);
    await q.query(`CREATE INDEX ix_training_classes_unit_starts ON training_classes (org_unit_id, starts_on)`);

    await q.query(`CREATE TABLE class_enrolments (
      class_id uuid NOT NULL CONSTRAINT fk_class_enrolments_class REFERENCES training_classes(id),
      candidate_id uuid NOT NULL CONSTRAINT fk_class_enrolments_candidate REFERENCES candidates(id),
      status text NOT NULL CONSTRAINT ck_class_enrolments_status CHECK (status IN ('proposed','enrolled','declined')),
      proposed_by uuid NULL,
      proposed_at timestamptz NOT NULL DEFAULT now(),
      confirmed_at timestamptz NULL,
      attendance text NULL CONSTRAINT ck_class_enrolments_attendance CHECK (attendance IN ('full','partial','absent')),
      result text NULL CONSTRAINT ck_class_enrolments_result CHECK (result IN ('pass','fail')),
      certificate_no text NULL,
      issued_on date NULL,
      task_id text NULL,
      applied_at timestamptz NULL,
      apply_error jsonb NULL,
      CONSTRAINT pk_class_enrolments PRIMARY KEY (class_id, candidate_id)
    )`);
    await q.query(`CREATE INDEX ix_class_enrolments_candidate ON class_enrolments (candidate_id)`);

    await q.query(`CREATE TABLE certificate_counters (
      org_unit_id uuid NOT NULL CONSTRAINT fk_certificate_counters_unit REFERENCES org_units(id),
      year int NOT NULL,
      last int NOT NULL,
      CONSTRAINT pk_certificate_counters PRIMARY KEY (org_unit_id, year)
    )`);
    await q.query(`CREATE TABLE certificates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number text NOT NULL,
      org_unit_id uuid NOT NULL CONSTRAINT fk_certificates_unit REFERENCES org_units(id),
      year int NOT NULL,
      seq int NOT NULL,
      kind text NOT NULL,
      candidate_id uuid NOT NULL CONSTRAINT fk_certificates_candidate REFERENCES candidates(id),
      class_id uuid NOT NULL CONSTRAINT fk_certificates_class REFERENCES training_classes(id),
      issued_on date NOT NULL,
      valid_until date NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_certificates_unit_number UNIQUE (org_unit_id, number),
      CONSTRAINT uq_certificates_unit_year_seq UNIQUE (org_unit_id, year, seq),
      CONSTRAINT uq_certificates_class_candidate UNIQUE (class_id, candidate_id)
    )`);
    await q.query(`CREATE INDEX ix_certificates_number ON certificates (number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['certificates', 'certificate_counters', 'class_enrolments', 'training_classes']) await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
