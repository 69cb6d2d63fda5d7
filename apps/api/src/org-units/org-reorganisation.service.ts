import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Lang, MessageCode } from '../../../../libs/domain/src/messages.js';
import { canSetTradeUnionRoute } from '../../../../libs/domain/src/introduction-policy.js';
import { checkDissolve, checkMerge, checkMove, dissolvedQuotaGoesTo, settingAfterMerge, settingHandedDown, type ReorganisationRefusal } from '../../../../libs/domain/src/reorganisation.js';
import {
  OrgReorganisationRepository,
  REORGANISATION_LOCK,
  type GrantChange,
  type MembershipHandover,
  type OrgUnitState,
  type QuotaHandover,
} from '../../../../libs/persistence/src/repositories/org-reorganisation.repository.js';
import { SecurityRepository } from '../../../../libs/persistence/src/repositories/security.repository.js';
import type { ReorganisationJobInput } from '../../../worker/src/org-reorganisation.chunk.js';
import type { ClientInfo } from '../auth/auth.service.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { ClockService } from '../clock/clock.service.js';
import { DomainError } from '../common/domain-error.js';
import { jobView, JobsService } from '../jobs/jobs.service.js';

type Action = ReorganisationJobInput['subject']['action'];

/** What a merged or dissolved unit held of its own and where it went (in the answer and the security log). */
export interface Handover {
  settings: { setting: 'dossierFormsPolicy' | 'tradeUnionRoute'; unitId: string; merged: string | boolean | null; before: string | boolean | null; after: string | boolean | null }[];
  quotas: QuotaHandover[];
  membership: MembershipHandover | null;
  places: string[];
  trainingClasses: string[];
}

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
    @Inject(ClockService) private readonly clock: ClockService,
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
      return { target: parent, grants: [], handover: null };
    });
  }

  merge(user: AuthUser, id: string, intoId: string, lang: Lang, client: ClientInfo, key?: string) {
    return this.reorganise(user, 'merge', id, intoId, lang, client, key, async (m, unit) => {
      const into = await this.unit(m, intoId);
      refuse(checkMerge(unit, into));
      for (const child of await this.repo.children(m, unit.id)) await this.repo.moveSubtree(m, child, into);
      await this.repo.markDissolved(m, unit.id, into.id);
      const handover = await this.handOver(m, user, 'merge', unit, into, []);
      return { target: into, grants: await this.repo.moveGrants(m, unit.id, into.id), handover };
    });
  }

  dissolve(user: AuthUser, id: string, childrenTo: string | null, lang: Lang, client: ClientInfo, key?: string) {
    return this.reorganise(user, 'dissolve', id, childrenTo, lang, client, key, async (m, unit) => {
      const to = childrenTo ? await this.unit(m, childrenTo) : null;
      const children = await this.repo.children(m, unit.id);
      refuse(checkDissolve(unit, to, children.map((c) => c.kind)));
      for (const child of children) await this.repo.moveSubtree(m, child, to);
      await this.repo.markDissolved(m, unit.id, to?.id ?? null);
      const handover = await this.handOver(m, user, 'dissolve', unit, to, children.map((c) => c.id));
      return { target: to, grants: await this.repo.removeGrants(m, unit.id), handover };
    });
  }

  /**
   * What the merged or dissolved unit held of its own, in the reorganisation's transaction (the rules are in
   * libs/domain/src/reorganisation.ts):
   * - per-unit settings (dossier-forms policy, trade-union route): on a merge the successor keeps its own and
   *   takes the merged unit's only where it has none; on a dissolution each child handed over without one takes
   *   the dissolved level's own (where its kind may hold it). The dissolved unit's columns stay as they were.
   * - admission quotas: a merge adds each period's quota into the successor's; a dissolution adds them into the
   *   unit taking the children unless it is the level they were allocated from. The unit holds none afterwards.
   * - membership counts: the unit's latest count joins the successor's on the business date, the unit's closes at 0.
   * - places go to the successor; a training centre's classes go to the centre it is merged into (or that takes
   *   it over on a dissolution). With no successor (a dissolved unit without children) they stay where they are.
   */
  private async handOver(m: EntityManager, user: AuthUser, action: 'merge' | 'dissolve', unit: OrgUnitState, to: OrgUnitState | null, children: string[]): Promise<Handover> {
    const settings: Handover['settings'] = [];
    const [own] = await this.repo.ownSettings(m, [unit.id]);
    if (action === 'merge' && to) {
      const [theirs] = await this.repo.ownSettings(m, [to.id]);
      const after = { dossierFormsPolicy: settingAfterMerge(theirs.dossierFormsPolicy, own.dossierFormsPolicy), tradeUnionRoute: settingAfterMerge(theirs.tradeUnionRoute, own.tradeUnionRoute) };
      if (after.dossierFormsPolicy !== theirs.dossierFormsPolicy || after.tradeUnionRoute !== theirs.tradeUnionRoute) await this.repo.setOwnSettings(m, to.id, after);
      for (const k of ['dossierFormsPolicy', 'tradeUnionRoute'] as const) {
        if (own[k] !== null) settings.push({ setting: k, unitId: to.id, merged: own[k], before: theirs[k], after: after[k] });
      }
    } else if (action === 'dissolve' && (own.dossierFormsPolicy !== null || own.tradeUnionRoute !== null)) {
      for (const child of await this.repo.ownSettings(m, children)) {
        const after = {
          dossierFormsPolicy: settingHandedDown(child.dossierFormsPolicy, own.dossierFormsPolicy),
          tradeUnionRoute: settingHandedDown(child.tradeUnionRoute, own.tradeUnionRoute, canSetTradeUnionRoute(child.kind)),
        };
        if (after.dossierFormsPolicy === child.dossierFormsPolicy && after.tradeUnionRoute === child.tradeUnionRoute) continue;
        await this.repo.setOwnSettings(m, child.id, after);
        for (const k of ['dossierFormsPolicy', 'tradeUnionRoute'] as const) {
          if (after[k] !== child[k]) settings.push({ setting: k, unitId: child.id, merged: own[k], before: child[k], after: after[k] });
        }
      }
    }
    const quotaTo = action === 'merge' ? to : dissolvedQuotaGoesTo(unit, to);
    const quotas = await this.repo.handOverQuotas(m, unit.id, quotaTo?.id ?? null, user.id);
    const membership = await this.repo.handOverMembership(m, unit.id, to?.id ?? null, this.clock.today(), user.id);
    const places = to ? await this.repo.handOverPlaces(m, unit.id, to.id) : [];
    const trainingClasses = to && unit.kind === 'training_centre' && to.kind === 'training_centre' ? await this.repo.handOverClasses(m, unit.id, to.id) : [];
    return { settings, quotas, membership, places, trainingClasses };
  }

  /**
   * A grassroots committee authorised to admit, or no longer (§3.2 S8–S9), as a reorganisation without a move:
   * its active cases take the new routing through the same job, so each records the change in its history and
   * the steps it opens from then on follow it (an open step stays where it is).
   */
  authorise(user: AuthUser, id: string, authorised: boolean, lang: Lang, client: ClientInfo, key?: string) {
    return this.reorganise(user, 'authorise', id, null, lang, client, key, async (m, unit) => {
      if (unit.kind !== 'grassroots_committee') throw new DomainError('org_unit_not_grassroots_committee', { kind: unit.kind });
      if (unit.authorisedToAdmit === authorised) throw new DomainError('org_unit_no_change', { id });
      await this.repo.setAuthorisedToAdmit(m, id, authorised);
      return { target: null, grants: [], handover: null };
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
    change: (m: EntityManager, unit: OrgUnitState) => Promise<{ target: OrgUnitState | null; grants: GrantChange[]; handover: Handover | null }>,
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
    let handover: Handover | null = null;
    const job = await this.jobs.start(
      user,
      {
        kind: 'org_reorganisation',
        orgUnitId: null,
        input,
        items: { activeCasesRoutedTo: affected },
        also: async (m) => {
          await m.query(`SELECT pg_advisory_xact_lock(${REORGANISATION_LOCK})`);
          const unit = await this.unit(m, id);
          affected.push(...(await this.repo.subtreeIds(m, unit.path)));
          const done = await change(m, unit);
          grants = done.grants;
          handover = done.handover;
          await this.security.record(
            {
              kind: 'org_unit_reorganised',
              actorId: user.id,
              username: user.username,
              clientAddress: client.address,
              details: { reorganisationId, action, unit: { id, name: unit.name, kind: unit.kind, parentId: unit.parentId }, target: done.target && { id: done.target.id, name: done.target.name, kind: done.target.kind }, units: affected.length, grants, ...(handover ? { handover } : {}) },
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
    return { ...jobView(job), grants, ...(handover ? { handover } : {}) };
  }
}
