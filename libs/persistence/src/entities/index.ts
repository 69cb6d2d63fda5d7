import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { STATISTICS_ENTITIES } from './statistics.js';

@Entity('org_units')
export class OrgUnitEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') kind!: string;
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId!: string | null;
  /** Materialised path of ids, '/a/b/c/', for subtree (jurisdiction) queries. */
  @Column('text') path!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { unique: true }) username!: string;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('text', { name: 'full_name' }) fullName!: string;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('boolean', { default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('user_roles')
export class UserRoleEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('text') role!: string;
  @Column('uuid', { name: 'org_unit_id', nullable: true }) orgUnitId!: string | null;
}

@Entity('candidates')
export class CandidateEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'cell_id' }) cellId!: string;
  @Column('text', { name: 'full_name' }) fullName!: string;
  @Column('text', { name: 'search_name' }) searchName!: string;
  @Column('date', { name: 'date_of_birth' }) dateOfBirth!: string;
  @Column('text') gender!: string;
  @Column('text') ethnicity!: string;
  @Column('text', { nullable: true }) religion!: string | null;
  @Column('text') education!: string;
  @Column('boolean', { name: 'youth_union_member' }) youthUnionMember!: boolean;
  @Column('boolean', { name: 'hardship_area', default: false }) hardshipArea!: boolean;
  @Column('text', { nullable: true }) occupation!: string | null;
  @Column('text', { nullable: true }) sector!: string | null;
  @Column('text', { name: 'professional_qualification', nullable: true }) professionalQualification!: string | null;
  @Column('uuid', { name: 'place_id', nullable: true }) placeId!: string | null;
  @Column('jsonb') source!: Record<string, unknown>;
  @Column('jsonb') routing!: Record<string, unknown>;
  @Column('text') stage!: string;
  @Column('text') status!: string;
  @Column('int') version!: number;
  @Column('text', { name: 'workflow_id' }) workflowId!: string;
  @Column('date', { name: 'party_age_from', nullable: true }) partyAgeFrom!: string | null;
  @Column('date', { name: 'probation_ends_on', nullable: true }) probationEndsOn!: string | null;
  @Column('date', { name: 'official_from', nullable: true }) officialFrom!: string | null;
  @Column('jsonb', { name: 'ended_reason', nullable: true }) endedReason!: Record<string, unknown> | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('tasks')
@Index('ix_tasks_open_unit_role_due', ['orgUnitId', 'role', 'dueAt'], { where: "status = 'open'" })
export class TaskEntity {
  @PrimaryColumn('text') id!: string;
  @Column('uuid', { name: 'candidate_id' }) candidateId!: string;
  @Column('text') type!: string;
  @Column('text') role!: string;
  @Column('uuid', { name: 'org_unit_id' }) orgUnitId!: string;
  @Column('text') status!: string;
  @Column('int') attempt!: number;
  @Column('timestamptz', { name: 'opened_at' }) openedAt!: Date;
  @Column('date', { name: 'opened_on' }) openedOn!: string;
  @Column('date', { name: 'not_before', nullable: true }) notBefore!: string | null;
  @Column('date', { name: 'due_date', nullable: true }) dueDate!: string | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('jsonb', { name: 'due_rule', nullable: true }) dueRule!: Record<string, unknown> | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('text', { nullable: true }) outcome!: string | null;
  @Column('jsonb', { name: 'decided_by', nullable: true }) decidedBy!: Record<string, unknown> | null;
  @Column('int') version!: number;
}

@Entity('candidate_events')
export class CandidateEventEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' }) candidateId!: string;
  @PrimaryColumn('int') seq!: number;
  @Column('text') type!: string;
  @Column('timestamptz') at!: Date;
  @Column('date', { name: 'business_date', nullable: true }) businessDate!: string | null;
  @Column('jsonb', { nullable: true }) actor!: Record<string, unknown> | null;
  @Column('text', { name: 'rule_set_id', nullable: true }) ruleSetId!: string | null;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('text', { name: 'prev_hash', nullable: true }) prevHash!: string | null;
  @Column('text') hash!: string;
  @Column('jsonb', { name: 'temporal_ref', nullable: true }) temporalRef!: Record<string, unknown> | null;
}

@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('int', { name: 'status_code', nullable: true }) statusCode!: number | null;
  @Column('jsonb', { nullable: true }) response!: unknown;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('app_settings')
export class AppSettingEntity {
  @PrimaryColumn('text') key!: string;
  @Column('jsonb') value!: unknown;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('notifications')
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('uuid', { name: 'candidate_id', nullable: true }) candidateId!: string | null;
  @Column('text', { name: 'task_id', nullable: true }) taskId!: string | null;
  @Column('text') kind!: string;
  @Column('text', { name: 'dedupe_key' }) dedupeKey!: string;
  @Column('text') title!: string;
  @Column('text') body!: string;
  @Column('jsonb') data!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt!: Date | null;
  @Column('timestamptz', { name: 'emailed_at', nullable: true }) emailedAt!: Date | null;
}

@Entity('calendar_years')
export class CalendarYearEntity {
  @PrimaryColumn('int') year!: number;
  @PrimaryColumn('int') version!: number;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('text') source!: string;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('pii_reads')
export class PiiReadEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  /** Null for a read attributable to no candidate (a Temporal codec decode). */
  @Column('uuid', { name: 'candidate_id', nullable: true }) candidateId!: string | null;
  @Column('text') what!: string;
  @Column('timestamptz') at!: Date;
}

@Entity('saved_filters')
export class SavedFilterEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('text') name!: string;
  @Column('jsonb') query!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('candidate_comments')
export class CandidateCommentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'candidate_id' }) candidateId!: string;
  @Column('uuid', { name: 'author_id' }) authorId!: string;
  @Column('text') body!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('candidate_attachments')
export class CandidateAttachmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'candidate_id' }) candidateId!: string;
  @Column('text') filename!: string;
  @Column('text', { name: 'content_type' }) contentType!: string;
  @Column('text', { nullable: true }) kind!: string | null;
  @Column('int') size!: number;
  @Column('text') sha256!: string;
  @Column('bytea') content!: Buffer;
  @Column('uuid', { name: 'uploaded_by' }) uploadedBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

export const ENTITIES = [
  ...STATISTICS_ENTITIES,
  SavedFilterEntity,
  CandidateCommentEntity,
  CandidateAttachmentEntity,
  PiiReadEntity,
  CalendarYearEntity,
  NotificationEntity,
  OrgUnitEntity,
  UserEntity,
  UserRoleEntity,
  CandidateEntity,
  TaskEntity,
  CandidateEventEntity,
  IdempotencyKeyEntity,
  AppSettingEntity,
];
