import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Training classes, certificates, places, quotas, membership counts and the report milestones (migrations 17645…). */

@Entity('training_classes')
export class TrainingClassEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') kind!: string;
  @Column('text') name!: string;
  @Column('date', { name: 'starts_on' }) startsOn!: string;
  @Column('date', { name: 'ends_on' }) endsOn!: string;
  @Column('int') capacity!: number;
  @Column('uuid', { name: 'org_unit_id' }) orgUnitId!: string;
  @Column('date', { name: 'certified_on', nullable: true }) certifiedOn!: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('class_enrolments')
export class ClassEnrolmentEntity {
  @PrimaryColumn('uuid', { name: 'class_id' }) classId!: string;
  @PrimaryColumn('uuid', { name: 'candidate_id' }) candidateId!: string;
  @Column('text') status!: string;
  @Column('uuid', { name: 'proposed_by', nullable: true }) proposedBy!: string | null;
  @Column('timestamptz', { name: 'proposed_at' }) proposedAt!: Date;
  @Column('timestamptz', { name: 'confirmed_at', nullable: true }) confirmedAt!: Date | null;
  @Column('text', { nullable: true }) attendance!: string | null;
  @Column('text', { nullable: true }) result!: string | null;
  @Column('text', { name: 'certificate_no', nullable: true }) certificateNo!: string | null;
  @Column('date', { name: 'issued_on', nullable: true }) issuedOn!: string | null;
  @Column('text', { name: 'task_id', nullable: true }) taskId!: string | null;
  @Column('timestamptz', { name: 'applied_at', nullable: true }) appliedAt!: Date | null;
  @Column('jsonb', { name: 'apply_error', nullable: true }) applyError!: Record<string, unknown> | null;
}

@Entity('certificate_counters')
export class CertificateCounterEntity {
  @PrimaryColumn('uuid', { name: 'org_unit_id' }) orgUnitId!: string;
  @PrimaryColumn('int') year!: number;
  @Column('int') last!: number;
}

@Entity('certificates')
export class CertificateEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') number!: string;
  @Column('uuid', { name: 'org_unit_id' }) orgUnitId!: string;
  @Column('int') year!: number;
  @Column('int') seq!: number;
  @Column('text') kind!: string;
  @Column('uuid', { name: 'candidate_id' }) candidateId!: string;
  @Column('uuid', { name: 'class_id' }) classId!: string;
  @Column('date', { name: 'issued_on' }) issuedOn!: string;
  @Column('date', { name: 'valid_until', nullable: true }) validUntil!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('places')
export class PlaceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') kind!: string;
  @Column('uuid', { name: 'org_unit_id' }) orgUnitId!: string;
  @Column('int', { name: 'party_members' }) partyMembers!: number;
  @Column('boolean', { name: 'has_cell' }) hasCell!: boolean;
  @Column('boolean') active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('place_snapshots')
export class PlaceSnapshotEntity {
  @PrimaryColumn('uuid', { name: 'place_id' }) placeId!: string;
  @PrimaryColumn('date', { name: 'as_of' }) asOf!: string;
  @Column('int', { name: 'party_members' }) partyMembers!: number;
  @Column('boolean', { name: 'has_cell' }) hasCell!: boolean;
  @Column('boolean') active!: boolean;
  @Column('uuid', { name: 'recorded_by', nullable: true }) recordedBy!: string | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
}

@Entity('admission_quotas')
export class AdmissionQuotaEntity {
  @PrimaryColumn('uuid', { name: 'org_unit_id' }) orgUnitId!: string;
  @PrimaryColumn('text', { name: 'period_kind' }) periodKind!: string;
  @PrimaryColumn('text') period!: string;
  @Column('int') quota!: number;
  @Column('uuid', { name: 'set_by', nullable: true }) setBy!: string | null;
  @Column('timestamptz', { name: 'set_at' }) setAt!: Date;
}

@Entity('membership_counts')
export class MembershipCountEntity {
  @PrimaryColumn('uuid', { name: 'org_unit_id' }) orgUnitId!: string;
  @PrimaryColumn('date', { name: 'as_of' }) asOf!: string;
  @Column('int', { name: 'party_members' }) partyMembers!: number;
  @Column('uuid', { name: 'recorded_by', nullable: true }) recordedBy!: string | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
}

/** Kept by PostgreSQL triggers from candidate_events and candidates; never written by the application. */
@Entity('candidate_milestones')
export class CandidateMilestoneEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' }) candidateId!: string;
  @Column('text', { name: 'unit_path', nullable: true }) unitPath!: string | null;
  @Column('uuid', { name: 'grassroots_id', nullable: true }) grassrootsId!: string | null;
  @Column('date', { name: 'introduced_on', nullable: true }) introducedOn!: string | null;
  @Column('date', { name: 'sympathiser_on', nullable: true }) sympathiserOn!: string | null;
  @Column('date', { name: 'certified_on', nullable: true }) certifiedOn!: string | null;
  @Column('date', { name: 'admitted_on', nullable: true }) admittedOn!: string | null;
  @Column('date', { name: 'official_on', nullable: true }) officialOn!: string | null;
  @Column('date', { name: 'ended_on', nullable: true }) endedOn!: string | null;
  @Column('text', { name: 'end_state', nullable: true }) endState!: string | null;
}

export const STATISTICS_ENTITIES = [
  TrainingClassEntity,
  ClassEnrolmentEntity,
  CertificateCounterEntity,
  CertificateEntity,
  PlaceEntity,
  PlaceSnapshotEntity,
  AdmissionQuotaEntity,
  MembershipCountEntity,
  CandidateMilestoneEntity,
];
