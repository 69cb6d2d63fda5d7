import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Lang, MessageCode } from '../../../../libs/domain/src/messages.js';
import { checkDissolve, checkMerge, checkMove, type ReorganisationRefusal } from '../../../../libs/domain/src/reorganisation.js';
import { OrgReorganisationRepository, type GrantChange, type OrgUnitState } from '../../../../libs/persistence/src/repositories/org-reorganisation.repository.js';
import { SecurityRepository } from '../../../../libs/persistence/src/repositories/security.repository.js';
import type { ReorganisationJobInput } from '../../../worker/src/org-reorganisation.chunk.js';
import type { ClientInfo } from '../auth/auth.service.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { jobView, JobsService } from '../jobs/jobs.service.js';

type Action = ReorganisationJobInput['subject']['action'];

function refuse(r: ReorganisationRefusal | undefined): void {
  if (r) throw new DomainError(r.code as MessageCode, r.params);
}

/**
 * Reorganisation of the org tree (issue 16), administrators only. A rename only changes the name (every view
 * reads names from `org_units`; no case changes). A move, merge or dissolution changes the tree in one
 * transaction — the subtree's paths rewritten, a merged or dissolved unit marked with its successor, its
 * grants moved (merge: the same level, so the same people keep their role) or removed (dissolution: the level
 * is gone; the new parent is a different level and its grants are not given away) — logged in the security
 * log, and in the same transaction a durable job (`org_reorganisation`, its ID the reorganisation's) lists the
 * active cases routed through the affected units; the worker moves each (update `reorganise`,
 * `org_restructured` in its history). Answered 202 with the job (GET /api/jobs/:id).
 */
@Injectable()
export class OrgReorganisationService {
  private readonly log = new Logger('org-reorganisation');

  constructor(
    @Inject(OrgReorganisationRepository) private readonly repo: OrgReorganisationRepository,
    @Inject(SecurityRepository) private readonly security: SecurityRepository,
    @Inject(JobsService) private readonly jobs: JobsService,
  ) {}

  private async unit(m: EntityManager, id: string): Promise<OrgUnitState> {
    const u = await this.repo.get(id, m, true);
    if (!u) throw new DomainError('org_unit_not_found', { id });
    if (u.dissolvedAt) throw new DomainError('org_unit_dissolved', { id });
    return u;
  }

  async rename(user: AuthUser, id: string, name: string, client: ClientInfo) {
    return this.repo.transaction(async (m) => {
      const u = await this.unit(m, id);
      if (u.name === name) throw new DomainError('org_unit_no_change', { id });
      await this.repo.rename(m, id, name);
      await this.security.record({ kind: 'org_unit_renamed', actorId: user.id, username: user.username, clientAddress: client.address, details: { unitId: id, kind: u.kind, from: u.name, to: name } }, m);
      return { id, name, kind: u.kind, parentId: u.parentId, previousName: u.name };
    });
  }

  move(user: AuthUser, id: string, parentId: string | null, lang: Lang, client: ClientInfo, key?: string) {
    return this.reorganise(user, 'move', id, parentId, lang, client, key, async (m, unit) => {
      const parent = parentId ? await this.unit(m, parentId) : null;
      refuse(checkMove(unit, parent));
      await this.repo.moveSubtree(m, unit, parent);
      return { target: parent, grants: [] };
    });
  }

  merge(user: AuthUser, id: string, intoId: string, lang: Lang, client: ClientInfo, key?: string) {
    return this.reorganise(user, 'merge', id, intoId, lang, client, key, async (m, unit) => {
      const into = await this.unit(m, intoId);
      refuse(checkMerge(unit, into));
      for (const child of await this.repo.children(m, unit.id)) await this.repo.moveSubtree(m, child, into);
      await this.repo.markDissolved(m, unit.id, into.id);
      return { target: into, grants: await this.repo.moveGrants(m, unit.id, into.id) };
    });
  }

  dissolve(user: AuthUser, id: string, childrenTo: string | null, lang: Lang, client: ClientInfo, key?: string) {
    return this.reorganise(user, 'dissolve', id, childrenTo, lang, client, key, async (m, unit) => {
      const to = childrenTo ? await this.unit(m, childrenTo) : null;
      const children = await this.repo.children(m, unit.id);
      refuse(checkDissolve(unit, to, children.map((c) => c.kind)));
      for (const child of children) await this.repo.moveSubtree(m, child, to);
      await this.repo.markDissolved(m, unit.id, to?.id ?? null);
      return { target: to, grants: await this.repo.removeGrants(m, unit.id) };
    });
  }

  /**
   * The change and its job in one transaction (JobsService.start writes the job, runs `change` as its `also`,
   * then lists the cases routed through the affected units, read after the change under the same lock). The
   * job's ID comes from the Idempotency-Key (a retry gets the same job and changes nothing again).
   */
  private async reorganise(
    user: AuthUser,
    action: Action,
    id: string,
    targetId: string | null,
    lang: Lang,
    client: ClientInfo,
    key: string | undefined,
    change: (m: EntityManager, unit: OrgUnitState) => Promise<{ target: OrgUnitState | null; grants: GrantChange[] }>,
  ) {
    const again = await this.jobs.existing(user, 'org_reorganisation', key);
    if (again) return jobView(again);
    const jobKey = key ?? randomUUID();
    const reorganisationId = JobsService.jobId(user.id, 'org_reorganisation', jobKey);
    const before = await this.repo.get(id);
    if (!before) throw new DomainError('org_unit_not_found', { id });
    const target = targetId ? await this.repo.get(targetId) : undefined;
    if (targetId && !target) throw new DomainError('org_unit_not_found', { id: targetId });
    const input: Omit<ReorganisationJobInput, 'taskQueue'> = {
      subject: { reorganisationId, action, unitId: id, unitName: before.name, targetId, targetName: target?.name ?? null },
      lang,
      actor: { userId: user.id, username: user.username, fullName: user.fullName, role: 'admin' },
    };
    // Filled by the change inside the job's transaction, before the job's items are listed from it.
    const affected: string[] = [];
    let grants: GrantChange[] = [];
    const job = await this.jobs.start(
      user,
      {
        kind: 'org_reorganisation',
        orgUnitId: null,
        input,
        items: { activeCasesRoutedTo: affected },
        also: async (m) => {
          await m.query(`SELECT pg_advisory_xact_lock(hashtext('ketnap:org-reorganisation'))`);
          const unit = await this.unit(m, id);
          affected.push(...(await this.repo.subtreeIds(m, unit.path)));
          const done = await change(m, unit);
          grants = done.grants;
          await this.security.record(
            {
              kind: 'org_unit_reorganised',
              actorId: user.id,
              username: user.username,
              clientAddress: client.address,
              details: { reorganisationId, action, unit: { id, name: unit.name, kind: unit.kind, parentId: unit.parentId }, target: done.target && { id: done.target.id, name: done.target.name, kind: done.target.kind }, units: affected.length, grants },
            },
            m,
          );
          for (const g of grants) {
            await this.security.record({ kind: 'roles_changed', actorId: user.id, subjectId: g.userId, clientAddress: client.address, details: { reason: 'org_reorganisation', reorganisationId, role: g.role, from: g.from, to: g.to } }, m);
          }
        },
      },
      jobKey,
    );
    this.log.log(`${action} ${id} by ${user.username}: reorganisation ${job.id}, ${job.total} active case(s) to move`);
    return { ...jobView(job), grants };
  }
}
