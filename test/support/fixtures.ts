import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { BusinessClock } from '../../libs/domain/src/clock.js';
import { businessNowMs } from '../../libs/domain/src/clock.js';
import { vnDateOf } from '../../libs/domain/src/dates.js';
import type { Routing } from '../../libs/domain/src/procedure.js';
import { createDataSource } from '../../libs/persistence/src/data-source.js';
import { OrgUnitRepository, type OrgUnit } from '../../libs/persistence/src/repositories/org-unit.repository.js';
import { candidateWorkflowId, type CandidateWorkflowInput } from '../../workflows/candidate/candidate.messages.js';
import { candidateCreated } from '../../workflows/candidate/candidate-row.js';
import { insertCreatedCandidate } from '../../libs/persistence/src/repositories/projection.repository.js';
import { ownerDatabaseUrl } from './env.js';

/** The test database as its owner (the admin): fixtures may read and write behind the application. */
export async function openDataSource(): Promise<DataSource> {
  return createDataSource(ownerDatabaseUrl(), { poolSize: 4 }).initialize();
}

export interface OrgTree {
  province: OrgUnit;
  superior: OrgUnit;
  grassroots: OrgUnit;
  cell: OrgUnit;
  grassrootsCell: OrgUnit;
  centre: OrgUnit;
  otherSuperior: OrgUnit;
  otherCell: OrgUnit;
}

/** A small org tree of its own for each test file (unique names, so tests can run side by side). */
export async function seedOrgTree(ds: DataSource, tag = randomUUID().slice(0, 8)): Promise<OrgTree> {
  const units = new OrgUnitRepository(ds);
  const province = await units.create(`Tỉnh ủy ${tag}`, 'province', null);
  const superior = await units.create(`Đảng ủy phường ${tag}`, 'superior', province);
  const grassroots = await units.create(`Đảng ủy cơ sở ${tag}`, 'grassroots_committee', superior);
  const cell = await units.create(`Chi bộ ${tag}`, 'cell', grassroots);
  const grassrootsCell = await units.create(`Chi bộ cơ sở ${tag}`, 'grassroots_cell', superior);
  const centre = await units.create(`Trung tâm chính trị ${tag}`, 'training_centre', superior);
  const otherSuperior = await units.create(`Đảng ủy xã khác ${tag}`, 'superior', province);
  const otherGrassroots = await units.create(`Đảng ủy cơ sở khác ${tag}`, 'grassroots_committee', otherSuperior);
  const otherCell = await units.create(`Chi bộ khác ${tag}`, 'cell', otherGrassroots);
  return { province, superior, grassroots, cell, grassrootsCell, centre, otherSuperior, otherCell };
}

export function routingOf(tree: OrgTree, grassrootsCell = false): Routing {
  return grassrootsCell
    ? { cellId: tree.grassrootsCell.id, provinceId: tree.province.id, grassrootsId: tree.grassrootsCell.id, grassrootsIsCell: true, superiorId: tree.superior.id, trainingCentreId: tree.centre.id }
    : { cellId: tree.cell.id, provinceId: tree.province.id, grassrootsId: tree.grassroots.id, grassrootsIsCell: false, superiorId: tree.superior.id, trainingCentreId: tree.centre.id };
}

/** About 3 real seconds per business year: 12 months of probation pass in ~3 s, certificates stay valid. */
export const FAST_SPEED = 10_000_000;

export function fastClock(speed = FAST_SPEED): BusinessClock {
  const now = Date.now();
  return { anchorRealMs: now, anchorBusinessMs: now, speed };
}

export function businessToday(clock: BusinessClock): string {
  return vnDateOf(businessNowMs(clock, Date.now()));
}

/** The workflow input of a new case, as the API builds it (the workflow writes the candidate row itself). */
export async function newCandidate(
  _ds: DataSource,
  routing: Routing,
  clock: BusinessClock,
  facts: Partial<CandidateWorkflowInput['facts']> = {},
  fullName = 'Nguyễn Văn An',
): Promise<CandidateWorkflowInput> {
  const id = randomUUID();
  const input: CandidateWorkflowInput = {
    candidateId: id,
    fullName,
    facts: { dateOfBirth: '1998-03-15', youthUnionMember: true, education: 'university', ...facts },
    routing,
    clock,
    source: { organization: 'Đoàn cơ sở', introducedOn: businessToday(clock) },
    createdBy: { userId: randomUUID(), username: 'test' },
    // As the API starts a case: the workflow's first projection writes the candidate row from this.
    profile: { gender: 'male', ethnicity: 'Kinh' },
  };
  return input;
}

/** The candidate row of `input` without its workflow, as its first projection writes it (tests of the read model alone). */
export async function insertCandidateRow(ds: DataSource, input: CandidateWorkflowInput): Promise<void> {
  await insertCreatedCandidate(ds, input.candidateId, candidateWorkflowId(input.candidateId), candidateCreated(input, Date.now()));
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
