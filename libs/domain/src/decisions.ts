import { z } from 'zod';
import { addMonths, compareDates, fullMonthsBetween, isBusinessDate, isIsoDate, MAX_BUSINESS_DATE, MIN_BUSINESS_DATE, type IsoDate } from './dates.js';
import type { MessageCode, MessageParams } from './messages.js';
import { STEPS, type Education, type TaskType } from './procedure.js';
import { ruleSetFor, type RuleSet } from './rule-sets.js';
import {
  moreThanHalfNeeded,
  reachesMoreThanHalf,
  reachesTwoThirds,
  twoThirdsNeeded,
} from './thresholds.js';

/** One reason a decision is refused; `code` names a message in messages.ts. */
export interface Violation {
  code: MessageCode;
  field?: string;
  params?: MessageParams;
}

export interface CandidateFacts {
  dateOfBirth: IsoDate;
  youthUnionMember: boolean;
  education: Education;
  /** Mountain, border, island, ethnic-minority or extremely disadvantaged area (primary education suffices). */
  hardshipArea?: boolean;
}

/** What the workflow knows when a decision arrives. */
export interface DecisionContext {
  /** Business "today" (Vietnam time) by the system clock. */
  today: IsoDate;
  /** No business date in the decision may be earlier than this (the previous step's date). */
  notBefore?: IsoDate;
  candidate: CandidateFacts;
  trainingCertificate?: { certificateNo: string; issuedOn: IsoDate };
  newMemberCertificate?: { certificateNo: string; issuedOn: IsoDate };
  /** Date the admission dossier was compiled (introductions and opinions). */
  dossierPreparedOn?: IsoDate;
  probationEndsOn?: IsoDate;
  /**
   * The workflow's handler re-checking a decision its validator already accepted — or, on replay, one
   * recorded before the rules marked "new requests only" existed. Those rules only refuse, so they are
   * checked in the validator alone (which Temporal does not run on replay) and stored histories replay.
   */
  recheck?: boolean;
  /**
   * The introductions of a case imported before the introduction routes (issue 16), replayed at its start: the
   * route and membership rules are skipped, as on recheck.
   */
  introductionsAsBefore?: boolean;
  /**
   * A province-level committee stands above the candidate's units: a candidate over 60 at the cell meeting is
   * decided by it (§2.2) instead of being refused.
   */
  provinceCommittee?: boolean;
  /**
   * Why the task sits where it does, when not at its step's usual unit: `authorised_grassroots` — a grassroots
   * committee authorised to admit decides in place of the superior board, valid only with two thirds of all
   * its members (§3.2 S8, §7.5).
   */
  route?: string;
}

export interface DecisionInput {
  taskType: TaskType;
  outcome?: string;
  data: unknown;
}

export interface AcceptedDecision {
  taskType: TaskType;
  outcome: string;
  /** The business date the decision carries (meeting, resolution, decision or issue date). */
  businessDate: IsoDate;
  /** The rule set in force on that date, pinned with the decision. */
  ruleSetId: string;
  data: Record<string, unknown>;
}

export type DecisionResult = { ok: true; decision: AcceptedDecision } | { ok: false; violations: Violation[] };

/**
 * The official members a cell vote does not count (§3.2 S6 "Denominator", also for recognition: §7.4 "votes as
 * for admission"): members attached temporarily to another organisation; members exempted from activity who
 * are absent (counted if they attend and vote); members suspended, prosecuted or detained. Absentees who are
 * not exempted still count; probationary members are not official members and never count.
 */
export const VOTE_EXCLUSIONS = ['temporarilyAttached', 'exemptedAbsent', 'suspended', 'prosecuted', 'detained'] as const;
export type VoteExclusion = (typeof VOTE_EXCLUSIONS)[number];
export type VoteExclusions = Record<VoteExclusion, number>;

/** The official members a cell vote counts against: `officialMembers` minus every exclusion (may be negative: refused). */
export function voteDenominator(officialMembers: number, exclusions: Partial<VoteExclusions> | undefined): { excluded: number; denominator: number } {
  const excluded = VOTE_EXCLUSIONS.reduce((sum, k) => sum + (exclusions?.[k] ?? 0), 0);
  return { excluded, denominator: officialMembers - excluded };
}

/**
 * Builds the shapes of each step's decision data: fresh schema objects on every call — down to the date
 * pattern, which zod resets (`lastIndex = 0`) before each test and so must not be its shared, frozen constant.
 */
function decisionDataSchemas() {
  // zod's own default (`def.pattern ??= regexes.date`), copied; its parameter type does not list `pattern`.
  const date = z.iso
    .date({ pattern: new RegExp(z.regexes.date) } as object as Parameters<typeof z.iso.date>[0])
    // Year 0 or 9999: no working-day calendar (nor PostgreSQL, for year 0) could take it.
    .refine((s) => !isIsoDate(s) || isBusinessDate(s), { params: { code: 'date_out_of_range' } });
  const name = z.string().trim().min(1).max(200);
  const count = z.number().int().min(0).max(100_000);
  /**
   * The number a resolution carries ("Số: 12-NQ/CB") on 6, 8, 13 and 15-KNĐ, as decisions carry `decisionNo`.
   * Optional: resolutions recorded before it have none (the printed form then leaves the number blank).
   */
  const resolutionNo = z.string().trim().min(1).max(50).optional();

  // Each category of §3.2 S6 with its count; left out, none.
  const exclusions = z
    .object(Object.fromEntries(VOTE_EXCLUSIONS.map((k) => [k, count.default(0)])) as Record<VoteExclusion, z.ZodDefault<typeof count>>)
    .default(() => Object.fromEntries(VOTE_EXCLUSIONS.map((k) => [k, 0])) as VoteExclusions);

  const relation = z.enum(['father', 'mother', 'father_in_law', 'mother_in_law', 'carer', 'spouse', 'child', 'self']);

  return {
    recognize_sympathiser: z.object({
      meetingDate: date,
      mentor: z.object({ fullName: name }).optional(),
    }),
    record_training_certificate: z.object({
      certificateNo: z.string().trim().min(1).max(50).optional(),
      issuedOn: date,
    }),
    submit_application: z.object({ applicationDate: date, cvSubmittedOn: date }),
    verify_background: z.object({
      conclusion: z.enum(['meets', 'does_not_meet']),
      relativesChecked: z
        .array(z.object({ relation, result: z.enum(['clear', 'issue', 'exempt_party_member', 'deceased']), note: z.string().max(2000).optional() }))
        .min(1),
      concludedOn: date,
      grounds: z.string().max(5000).optional(),
      /**
       * With `does_not_meet` because of relatives' past: the grassroots committee asks the province standing board
       * for the exception of §5.5 (outstanding record, the relatives' acts clearly condemned, written approval).
       */
      provinceException: z
        .object({ outstandingRecord: z.string().trim().min(1).max(5000), condemnedRelativesActs: z.boolean() })
        .optional(),
    }),
    record_introductions: z.object({
      introducers: z
        .array(
          z.object({
            fullName: name,
            official: z.boolean(),
            monthsTogether: z.number().int().min(0).max(1200),
            basis: z.enum(['work', 'study', 'residence']).default('work'),
            /** Replaces an introducer who transferred or can no longer continue: no 12-month history needed. */
            replacement: z.boolean().default(false),
            /** Membership fact: an official member of the candidate's grassroots party organisation (§2.3). */
            sameGrassroots: z.boolean().optional(),
            /** Membership fact: the date the introducer became an official member (evidence; no minimum party age, §2.3). */
            officialSince: date.optional(),
            partyCardNo: z.string().trim().min(1).max(50).optional(),
          }),
        )
        .max(3),
      /**
       * Whether a Youth Union organisation exists at the grassroots where the candidate works or studies: decides
       * whether a candidate of youth age must be introduced by the Youth Union (4-KNĐ), and whether the trade-union
       * route (4A-KNĐ) is open (§2.3).
       */
      youthUnionAtGrassroots: z.boolean().optional(),
      youthUnionResolution: z.object({ number: z.string().trim().min(1).max(50), date }).optional(),
      /** 4A-KNĐ: the grassroots trade-union committee's resolution, for a candidate who is a union member. */
      tradeUnionResolution: z.object({ number: z.string().trim().min(1).max(50), date, tradeUnionMember: z.boolean() }).optional(),
      /** Recorded by the validator from the evidence: `party_members`, `youth_union` (4-KNĐ) or `trade_union` (4A-KNĐ). */
      route: z.enum(['party_members', 'youth_union', 'trade_union']).optional(),
      opinions: z.object({ massOrganizations: z.string().trim().min(1).max(5000), residence: z.string().trim().min(1).max(5000) }),
      compiledOn: date.optional(),
    }),
    cell_admission_vote: z.object({ meetingDate: date, officialMembers: count, exclusions, inFavour: count, resolutionNo }),
    partial_admission_appraisal: z.object({
      appraisedOn: date,
      /** The partial committee's conclusion reported to the grassroots committee (7-KNĐ). */
      opinion: z.enum(['agree', 'disagree']),
      reportNo: z.string().trim().min(1).max(50).optional(),
      grounds: z.string().trim().max(5000).optional(),
    }),
    grassroots_admission_review: z.object({ committeeMembers: count.min(1), inFavour: count, resolutionDate: date, resolutionNo }),
    superior_admission_decision: z.object({
      boardMembers: count.min(1),
      inFavour: count,
      decisionNo: z.string().trim().min(1).max(50).optional(),
      decisionDate: date,
      /** The day the cell receives the decision: the ceremony clock (T4) runs from it; the decision date when absent. */
      receivedOn: date.optional(),
    }),
    admission_ceremony: z.object({ ceremonyDate: date }),
    record_new_member_training: z.object({ certificateNo: z.string().trim().min(1).max(50).optional(), issuedOn: date }),
    probation_review: z.object({
      selfReviewOn: date,
      mentorReviewOn: date,
      opinions: z.object({ massOrganizations: z.string().trim().min(1).max(5000), residence: z.string().trim().min(1).max(5000) }),
    }),
    cell_recognition_vote: z.object({
      meetingDate: date,
      resolutionNo,
      officialMembers: count,
      exclusions,
      /** Votes for the outcome (for recognition when the outcome is inconclusive). */
      inFavour: count,
      /** Votes for removal: lets an inconclusive vote be checked on both sides. */
      forRemoval: count.optional(),
    }),
    partial_recognition_appraisal: z.object({
      appraisedOn: date,
      /** The partial committee's conclusion on the cell's proposal (14-KNĐ). */
      opinion: z.enum(['agree', 'disagree']),
      reportNo: z.string().trim().min(1).max(50).optional(),
      grounds: z.string().trim().max(5000).optional(),
    }),
    grassroots_recognition_review: z.object({
      committeeMembers: count.min(1),
      resolutionNo,
      /** Votes for the outcome (for recognition when the outcome is inconclusive). */
      inFavour: count,
      /** Votes for removal: lets an inconclusive resolution be checked on both sides. */
      forRemoval: count.optional(),
      resolutionDate: date,
    }),
    superior_recognition_decision: z.object({
      boardMembers: count.min(1),
      inFavour: count,
      forRemoval: count.optional(),
      decisionNo: z.string().trim().min(1).max(50).optional(),
      decisionDate: date,
    }),
    overdue_escalation: z.object({ note: z.string().trim().max(5000).optional() }),
    province_political_exception: z.object({
      boardMembers: count.min(1),
      inFavour: count,
      /** The written approval (văn bản đồng ý): its number is required to approve. */
      decisionNo: z.string().trim().min(1).max(50).optional(),
      decisionDate: date,
      grounds: z.string().trim().max(5000).optional(),
    }),
    receive_transfer: z.object({
      presentedOn: date,
      letterNo: z.string().trim().min(1).max(50).optional(),
      /** Required when the letter comes after T10: the reasons the member reported (§7.7). */
      lateReason: z.string().trim().min(3).max(2000).optional(),
    }),
    province_readmission_approval: z.object({
      boardMembers: count.min(1),
      inFavour: count,
      /** The written approval of the re-admission: its number is required to approve. */
      decisionNo: z.string().trim().min(1).max(50).optional(),
      decisionDate: date,
      grounds: z.string().trim().max(5000).optional(),
    }),
  } satisfies Record<TaskType, z.ZodType>;
}

/** Shapes of each step's decision data (the single source for API and workflow). */
export const DECISION_DATA_SCHEMAS = decisionDataSchemas();

/**
 * The same shapes, as the copy validateDecision uses, reachable from no export. The Temporal worker loads
 * this module once into its shared V8 context (libs/temporal/src/worker-factory.ts) and deep-freezes what
 * the module's exports reach; zod schemas define their methods and internal caches on first use, so the
 * schemas the workflows parse with must stay out of that reach (a Map's entries are not traversed).
 */
const VALIDATION_SCHEMAS = new Map(Object.entries(decisionDataSchemas()) as [TaskType, z.ZodType][]);

export type DecisionData<T extends TaskType> = z.infer<(typeof DECISION_DATA_SCHEMAS)[T]>;

/** The business date a decision carries, by step. */
function businessDateOf(type: TaskType, d: Record<string, any>, today: IsoDate): { field: string; date: IsoDate }[] {
  switch (type) {
    case 'recognize_sympathiser':
    case 'cell_admission_vote':
    case 'cell_recognition_vote':
      return [{ field: 'meetingDate', date: d.meetingDate }];
    case 'record_training_certificate':
    case 'record_new_member_training':
      return [{ field: 'issuedOn', date: d.issuedOn }];
    case 'submit_application':
      return [
        { field: 'applicationDate', date: d.applicationDate },
        { field: 'cvSubmittedOn', date: d.cvSubmittedOn },
      ];
    case 'verify_background':
      return [{ field: 'concludedOn', date: d.concludedOn }];
    case 'record_introductions':
      return [{ field: 'compiledOn', date: d.compiledOn ?? today }];
    case 'grassroots_admission_review':
    case 'grassroots_recognition_review':
      return [{ field: 'resolutionDate', date: d.resolutionDate }];
    case 'partial_admission_appraisal':
    case 'partial_recognition_appraisal':
      return [{ field: 'appraisedOn', date: d.appraisedOn }];
    case 'superior_admission_decision':
    case 'superior_recognition_decision':
    case 'province_political_exception':
    case 'province_readmission_approval':
      return [{ field: 'decisionDate', date: d.decisionDate }];
    case 'receive_transfer':
      return [{ field: 'presentedOn', date: d.presentedOn }];
    case 'admission_ceremony':
      return [{ field: 'ceremonyDate', date: d.ceremonyDate }];
    case 'probation_review':
      return [
        { field: 'selfReviewOn', date: d.selfReviewOn },
        { field: 'mentorReviewOn', date: d.mentorReviewOn },
      ];
    case 'overdue_escalation':
      return [{ field: 'acknowledgedOn', date: today }];
  }
}

/** Outcome defaults to the step's only outcome when it has just one. */
export function resolveOutcome(type: TaskType, outcome: string | undefined): string | undefined {
  const allowed = STEPS[type].outcomes;
  if (outcome === undefined || outcome === '') return allowed.length === 1 ? allowed[0] : undefined;
  return allowed.includes(outcome) ? outcome : undefined;
}

export function ageInMonths(dateOfBirth: IsoDate, on: IsoDate): number {
  return fullMonthsBetween(dateOfBirth, on);
}

export function certificateExpiresOn(issuedOn: IsoDate, rules: RuleSet): IsoDate {
  return addMonths(issuedOn, rules.certificateValidityMonths);
}

/** A certificate is valid up to, not including, the day 60 months after issue (T1). */
export function isCertificateValidOn(issuedOn: IsoDate, on: IsoDate, rules: RuleSet): boolean {
  return compareDates(on, certificateExpiresOn(issuedOn, rules)) < 0;
}

export function isYouthAge(dateOfBirth: IsoDate, on: IsoDate, rules: RuleSet): boolean {
  return ageInMonths(dateOfBirth, on) < (rules.youthAgeMaxYears + 1) * 12;
}

const EDUCATION_RANK: Record<Education, number> = {
  none: 0,
  primary: 1,
  lower_secondary_equivalent: 2,
  lower_secondary: 3,
  upper_secondary: 4,
  vocational: 4,
  college: 5,
  university: 6,
  postgraduate: 7,
};

export function educationViolation(c: CandidateFacts, rules: RuleSet): Violation | undefined {
  const required: Education = c.hardshipArea
    ? 'primary'
    : rules.educationEquivalentAccepted
      ? 'lower_secondary_equivalent'
      : 'lower_secondary';
  if (EDUCATION_RANK[c.education] >= EDUCATION_RANK[required]) return undefined;
  return { code: 'education_insufficient', field: 'education', params: { education: c.education, required, ruleSet: rules.citation } };
}

/** Over full 60 (counted in months) on `on`: admission is for the province-level committee to decide (§2.2). */
export function isOverMaximumAge(dateOfBirth: IsoDate, on: IsoDate, rules: RuleSet): boolean {
  return ageInMonths(dateOfBirth, on) > rules.maxAgeMonths;
}

export function ageViolations(dateOfBirth: IsoDate, on: IsoDate, rules: RuleSet): Violation[] {
  const months = ageInMonths(dateOfBirth, on);
  const params = { date: on, years: Math.floor(months / 12), months: months % 12 };
  if (months < rules.minAgeMonths) return [{ code: 'age_below_minimum', field: 'meetingDate', params }];
  if (months > rules.maxAgeMonths) return [{ code: 'age_above_maximum', field: 'meetingDate', params }];
  return [];
}

function voteViolations(
  kind: 'two_thirds' | 'more_than_half',
  members: number,
  inFavour: number,
  outcome: string,
  passOutcomes: readonly string[],
  membersField: string,
): Violation[] {
  if (inFavour > members) {
    return [{ code: 'votes_exceed_members', field: 'inFavour', params: { inFavour, members } }];
  }
  const reached = kind === 'two_thirds' ? reachesTwoThirds(inFavour, members) : reachesMoreThanHalf(inFavour, members);
  const needed = kind === 'two_thirds' ? twoThirdsNeeded(members) : moreThanHalfNeeded(members);
  const params = { inFavour, members, needed, outcome };
  const passing = passOutcomes.includes(outcome);
  if (passing && !reached) {
    return [{ code: kind === 'two_thirds' ? 'two_thirds_not_reached' : 'majority_not_reached', field: 'inFavour', params }];
  }
  if (!passing && reached) {
    return [{ code: kind === 'two_thirds' ? 'two_thirds_reached_but_rejected' : 'majority_reached_but_rejected', field: membersField, params }];
  }
  return [];
}

/**
 * An outcome recorded as inconclusive: neither recognition (`inFavour`) nor removal (`forRemoval`, when given)
 * reached the threshold.
 */
function inconclusiveViolations(kind: 'two_thirds' | 'more_than_half', members: number, membersField: string, inFavour: number, forRemoval: number | undefined): Violation[] {
  const outcome = 'inconclusive';
  const v = voteViolations(kind, members, inFavour, outcome, [], membersField);
  if (v.length || forRemoval === undefined) return v;
  if (inFavour + forRemoval > members) return [{ code: 'votes_exceed_members', field: 'forRemoval', params: { inFavour: inFavour + forRemoval, members } }];
  const twoThirds = kind === 'two_thirds';
  if (twoThirds ? reachesTwoThirds(forRemoval, members) : reachesMoreThanHalf(forRemoval, members)) {
    const needed = twoThirds ? twoThirdsNeeded(members) : moreThanHalfNeeded(members);
    return [{ code: twoThirds ? 'two_thirds_reached_but_rejected' : 'majority_reached_but_rejected', field: 'forRemoval', params: { inFavour: forRemoval, members, needed, outcome } }];
  }
  return [];
}

/**
 * The members a cell vote counts against (§3.2 S6), written into the decision data as `denominator` beside
 * `officialMembers` and `exclusions`. Refused: a cell under 3 official members (§1.1 "Needs ≥3 official
 * members to exist"), exclusions above the official members, nobody left to vote, and — when members are
 * excluded — more votes than the denominator (without exclusions the general `votes_exceed_members` applies).
 */
function cellVoteDenominator(d: Record<string, any>, votes: number[]): { ok: true; denominator: number } | { ok: false; violations: Violation[] } {
  const members: number = d.officialMembers;
  if (members < 3) return { ok: false, violations: [{ code: 'cell_too_small', field: 'officialMembers', params: { members } }] };
  const { excluded, denominator } = voteDenominator(members, d.exclusions);
  if (excluded > members) {
    return { ok: false, violations: [{ code: 'vote_exclusions_exceed_members', field: 'exclusions', params: { excluded, members } }] };
  }
  if (denominator === 0) return { ok: false, violations: [{ code: 'vote_denominator_empty', field: 'exclusions', params: { excluded, members } }] };
  const cast = votes.reduce((a, b) => a + b, 0);
  if (excluded > 0 && cast > denominator) {
    const field = votes.length > 1 ? 'forRemoval' : 'inFavour';
    return { ok: false, violations: [{ code: 'votes_exceed_denominator', field, params: { inFavour: cast, members, excluded, denominator } }] };
  }
  d.denominator = denominator;
  return { ok: true, denominator };
}

export type IntroductionRoute = 'party_members' | 'youth_union' | 'trade_union';

/** The route the evidence shows: the Youth Union's resolution (4-KNĐ), the trade union's (4A-KNĐ), or two members. */
export function introductionRouteOf(d: { youthUnionResolution?: unknown; tradeUnionResolution?: unknown }): IntroductionRoute {
  return d.youthUnionResolution ? 'youth_union' : d.tradeUnionResolution ? 'trade_union' : 'party_members';
}

const NO_YOUTH_UNION_AT_GRASSROOTS = 'nơi công tác, học tập không có tổ chức Đoàn cơ sở / has no Youth Union organisation at the grassroots';

/**
 * Introduction (§2.3). Two official members; or, for a candidate of youth age (≤ 30, `youthAgeMaxYears`) where a
 * Youth Union organisation exists at the grassroots, the Youth Union's resolution (4-KNĐ) plus one — required
 * there, and the candidate must be a Youth Union member; or, where there is no Youth Union organisation, the
 * grassroots trade union's resolution (4A-KNĐ) for a union member plus one. Every introducer an official member
 * of the same grassroots organisation with 12 months together (not for a replacement). The rules added by
 * issue 16 (route, same grassroots, membership dates) are for new requests only (see DecisionContext.recheck).
 * Writes the route into the data.
 */
function introductionViolations(d: DecisionData<'record_introductions'>, ctx: DecisionContext, rules: RuleSet, on: IsoDate): Violation[] {
  const v: Violation[] = [];
  const fresh = !ctx.recheck && !ctx.introductionsAsBefore;
  let valid = 0;
  for (const i of d.introducers) {
    let ok = true;
    if (!i.official) {
      v.push({ code: 'introducer_not_official', field: 'introducers', params: { name: i.fullName } });
      ok = false;
    }
    if (fresh && i.sameGrassroots !== true) {
      v.push({ code: 'introducer_not_same_grassroots', field: 'introducers', params: { name: i.fullName } });
      ok = false;
    }
    if (fresh && i.officialSince !== undefined && i.officialSince > on) {
      v.push({ code: 'introducer_not_yet_official', field: 'introducers', params: { name: i.fullName, officialSince: i.officialSince, date: on } });
      ok = false;
    }
    if (!i.replacement) {
      if (i.basis === 'residence' && !rules.residenceCountsForIntroducer) {
        v.push({ code: 'introducer_residence_not_allowed', field: 'introducers', params: { name: i.fullName, ruleSet: rules.citation } });
        ok = false;
      } else if (i.monthsTogether < rules.introducerMinMonthsTogether) {
        v.push({
          code: 'introducer_too_short',
          field: 'introducers',
          params: { name: i.fullName, monthsTogether: i.monthsTogether, required: rules.introducerMinMonthsTogether },
        });
        ok = false;
      }
    }
    if (ok) valid += 1;
  }
  const route = introductionRouteOf(d);
  const youthAge = isYouthAge(ctx.candidate.dateOfBirth, on, rules);
  const maxYears = rules.youthAgeMaxYears;
  if (fresh) {
    if (d.youthUnionResolution && d.tradeUnionResolution) v.push({ code: 'introduction_routes_conflict', field: 'tradeUnionResolution' });
    else if (d.route !== undefined && d.route !== route) {
      const field = d.route === 'youth_union' ? 'youthUnionResolution' : d.route === 'trade_union' ? 'tradeUnionResolution' : 'route';
      v.push({ code: 'introduction_route_evidence_missing', field, params: { route: d.route } });
    }
    for (const [field, r] of [['youthUnionResolution', d.youthUnionResolution], ['tradeUnionResolution', d.tradeUnionResolution]] as const) {
      if (r && r.date > on) v.push({ code: 'introduction_resolution_after_compiled', field: `${field}.date`, params: { date: r.date, compiledOn: on } });
    }
  }
  if (route === 'youth_union') {
    const reasons: string[] = [];
    if (!ctx.candidate.youthUnionMember) reasons.push('không phải đoàn viên / is not a Youth Union member');
    if (!youthAge) reasons.push(`đã quá ${maxYears} tuổi / is over ${maxYears}`);
    if (fresh && d.youthUnionAtGrassroots === false) reasons.push(NO_YOUTH_UNION_AT_GRASSROOTS);
    if (reasons.length) {
      v.push({ code: 'youth_union_route_not_allowed', field: 'youthUnionResolution', params: { maxYears, reason: reasons.join('; ') } });
    }
  } else if (route === 'trade_union' && fresh) {
    const reasons: string[] = [];
    if (d.youthUnionAtGrassroots !== false) reasons.push('chỉ áp dụng nơi không có tổ chức Đoàn cơ sở / only applies where there is no Youth Union organisation at the grassroots');
    if (d.tradeUnionResolution?.tradeUnionMember !== true) reasons.push('người vào Đảng phải là đoàn viên công đoàn / the candidate must be a trade-union member');
    if (reasons.length) v.push({ code: 'trade_union_route_not_allowed', field: 'tradeUnionResolution', params: { reason: reasons.join('; ') } });
  } else if (route === 'party_members' && fresh && youthAge) {
    // A candidate of youth age where a Youth Union organisation exists is introduced by it (and must be a member).
    if (d.youthUnionAtGrassroots === undefined) v.push({ code: 'youth_union_organisation_unstated', field: 'youthUnionAtGrassroots', params: { maxYears } });
    else if (d.youthUnionAtGrassroots && !ctx.candidate.youthUnionMember) v.push({ code: 'youth_union_membership_required', field: 'youthUnionAtGrassroots', params: { maxYears } });
    else if (d.youthUnionAtGrassroots) v.push({ code: 'youth_union_route_required', field: 'youthUnionResolution', params: { maxYears } });
  }
  if (route !== 'party_members') {
    if (d.introducers.length > 1) v.push({ code: 'introducers_too_many', field: 'introducers' });
    if (valid < 1 && v.length === 0) v.push({ code: 'introducers_insufficient', field: 'introducers', params: { valid } });
  } else {
    if (d.introducers.length > 2) v.push({ code: 'introducers_too_many', field: 'introducers' });
    if (valid < 2 && v.length === 0) v.push({ code: 'introducers_insufficient', field: 'introducers', params: { valid } });
  }
  d.route = route;
  return v;
}

/**
 * The exception of §5.5 to a `does_not_meet` conclusion: only for relatives' past (parents, parents-in-law or
 * carer, spouse — the candidate's own past has none), when the candidate has an outstanding record and has clearly
 * condemned the relatives' acts; the province standing board approves, so a province must stand above the units.
 */
function provinceExceptionViolations(d: DecisionData<'verify_background'>, ctx: DecisionContext): Violation[] {
  const v: Violation[] = [];
  const field = 'provinceException';
  if (d.conclusion !== 'does_not_meet') return [{ code: 'province_exception_not_applicable', field, params: { reason: 'kết luận đủ tiêu chuẩn / the conclusion is that the standards are met' } }];
  const issues = d.relativesChecked.filter((r) => r.result === 'issue');
  if (issues.some((r) => r.relation === 'self')) {
    v.push({ code: 'province_exception_not_applicable', field, params: { reason: 'vấn đề thuộc về bản thân người vào Đảng / the issue is the candidate\'s own' } });
  } else if (issues.length === 0) {
    v.push({ code: 'province_exception_not_applicable', field, params: { reason: 'không có người thân nào có vấn đề / no relative has an issue' } });
  }
  if (!d.provinceException!.condemnedRelativesActs) v.push({ code: 'province_exception_not_condemned', field: 'provinceException.condemnedRelativesActs' });
  if (!ctx.provinceCommittee) v.push({ code: 'province_exception_no_province', field });
  return v;
}

function zodViolations(error: z.ZodError): Violation[] {
  return error.issues.map((issue) => {
    const field = issue.path.join('.') || 'data';
    if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) {
      return { code: 'missing_field', field, params: { field } };
    }
    if (issue.code === 'invalid_format' && (issue as { format?: string }).format === 'date') {
      return { code: 'invalid_date', field, params: { field } };
    }
    if (issue.code === 'custom' && (issue as { params?: { code?: string } }).params?.code === 'date_out_of_range') {
      return { code: 'date_out_of_range', field, params: { field, min: MIN_BUSINESS_DATE, max: MAX_BUSINESS_DATE } };
    }
    return { code: 'invalid_field', field, params: { field, detail: issue.message } };
  });
}

/**
 * Checks a decision on a step against the rules in force on its business date.
 * Pure and deterministic: the workflow's update validator and the API both call it.
 */
export function validateDecision(input: DecisionInput, ctx: DecisionContext): DecisionResult {
  const type = input.taskType;
  const outcome = resolveOutcome(type, input.outcome);
  if (!outcome) {
    return {
      ok: false,
      violations: [{ code: 'invalid_outcome', field: 'outcome', params: { outcome: String(input.outcome ?? ''), allowed: STEPS[type].outcomes.join(', ') } }],
    };
  }
  const parsed = VALIDATION_SCHEMAS.get(type)!.safeParse(input.data ?? {}, { reportInput: true });
  if (!parsed.success) return { ok: false, violations: zodViolations(parsed.error) };
  const d = parsed.data as Record<string, any>;

  const dates = businessDateOf(type, d, ctx.today);
  const violations: Violation[] = [];
  for (const { field, date: value } of dates) {
    if (value > ctx.today) violations.push({ code: 'date_in_future', field, params: { field, date: value, today: ctx.today } });
    if (ctx.notBefore && value < ctx.notBefore) {
      violations.push({ code: 'date_before_previous_step', field, params: { field, date: value, previous: ctx.notBefore } });
    }
  }
  const businessDate = dates.reduce((a, b) => (b.date > a ? b.date : a), dates[0].date);
  const rules = ruleSetFor(businessDate);
  const votesPass = (kind: 'two_thirds' | 'more_than_half', membersField: string, members: number, pass: readonly string[]) =>
    violations.push(...voteViolations(kind, members, d.inFavour, outcome, pass, membersField));
  // The deciding body of the superior steps: a standing board (more than half), or an authorised grassroots
  // committee (two thirds of all its members).
  const boardThreshold = ctx.route === 'authorised_grassroots' ? 'two_thirds' : 'more_than_half';

  switch (type) {
    case 'recognize_sympathiser':
      if (outcome === 'approve' && !d.mentor) violations.push({ code: 'mentor_required', field: 'mentor.fullName' });
      break;
    case 'record_training_certificate':
    case 'record_new_member_training':
      if (outcome === 'pass' && !d.certificateNo) violations.push({ code: 'missing_field', field: 'certificateNo', params: { field: 'certificateNo' } });
      if (type === 'record_training_certificate' && outcome === 'pass' && !isCertificateValidOn(d.issuedOn, ctx.today, rules)) {
        violations.push({
          code: 'certificate_expired',
          field: 'issuedOn',
          params: { certificateNo: d.certificateNo, issuedOn: d.issuedOn, expiresOn: certificateExpiresOn(d.issuedOn, rules) },
        });
      }
      break;
    case 'submit_application':
      if (d.applicationDate > d.cvSubmittedOn) {
        violations.push({ code: 'application_after_cv', field: 'applicationDate', params: { applicationDate: d.applicationDate, cvSubmittedOn: d.cvSubmittedOn } });
      }
      break;
    case 'verify_background':
      if (d.provinceException) violations.push(...provinceExceptionViolations(d as DecisionData<'verify_background'>, ctx));
      break;
    case 'province_political_exception':
    case 'province_readmission_approval':
      votesPass('more_than_half', 'boardMembers', d.boardMembers, ['approve']);
      if (outcome === 'approve' && !d.decisionNo) violations.push({ code: 'decision_number_required', field: 'decisionNo' });
      break;
    case 'record_introductions':
      violations.push(...introductionViolations(d as DecisionData<'record_introductions'>, ctx, rules, businessDate));
      if (!d.compiledOn) d.compiledOn = ctx.today;
      break;
    case 'cell_admission_vote':
      {
        const counted = cellVoteDenominator(d, [d.inFavour]);
        if (!counted.ok) violations.push(...counted.violations);
        else votesPass('two_thirds', 'officialMembers', counted.denominator, ['approve']);
      }
      if (outcome === 'approve') {
        // Over 60 goes to the province-level committee where there is one (the case routes it there).
        violations.push(...ageViolations(ctx.candidate.dateOfBirth, d.meetingDate, rules).filter((v) => !(v.code === 'age_above_maximum' && ctx.provinceCommittee)));
        const edu = educationViolation(ctx.candidate, rules);
        if (edu) violations.push(edu);
        const cert = ctx.trainingCertificate;
        if (!cert) violations.push({ code: 'certificate_missing', field: 'meetingDate' });
        else if (!isCertificateValidOn(cert.issuedOn, d.meetingDate, rules)) {
          violations.push({
            code: 'certificate_expired',
            field: 'meetingDate',
            params: { certificateNo: cert.certificateNo, issuedOn: cert.issuedOn, expiresOn: certificateExpiresOn(cert.issuedOn, rules) },
          });
        }
        if (ctx.dossierPreparedOn && d.meetingDate > addMonths(ctx.dossierPreparedOn, rules.dossierFreshnessMonths)) {
          violations.push({ code: 'dossier_stale', field: 'meetingDate', params: { preparedOn: ctx.dossierPreparedOn, date: d.meetingDate } });
        }
      }
      break;
    case 'grassroots_admission_review':
      votesPass('two_thirds', 'committeeMembers', d.committeeMembers, ['approve']);
      break;
    case 'grassroots_recognition_review':
      // Either proposal (recognise or remove) needs two thirds of the committee; neither reached is recorded
      // as inconclusive and reported up to the competent committee.
      if (outcome === 'inconclusive') violations.push(...inconclusiveViolations('two_thirds', d.committeeMembers, 'committeeMembers', d.inFavour, d.forRemoval));
      else votesPass('two_thirds', 'committeeMembers', d.committeeMembers, [outcome]);
      break;
    case 'partial_admission_appraisal':
    case 'partial_recognition_appraisal':
    case 'receive_transfer':
      break;
    case 'superior_admission_decision':
      votesPass(boardThreshold, 'boardMembers', d.boardMembers, ['approve']);
      if (outcome === 'approve' && !d.decisionNo) violations.push({ code: 'decision_number_required', field: 'decisionNo' });
      if (d.receivedOn !== undefined) {
        // Not a business date of the decision (party age runs from the signature): checked on its own.
        if (d.receivedOn > ctx.today) violations.push({ code: 'date_in_future', field: 'receivedOn', params: { field: 'receivedOn', date: d.receivedOn, today: ctx.today } });
        if (d.receivedOn < d.decisionDate) {
          violations.push({ code: 'received_before_decision', field: 'receivedOn', params: { receivedOn: d.receivedOn, decisionDate: d.decisionDate } });
        }
      }
      break;
    case 'superior_recognition_decision':
      // Neither side with more than half: no decision is issued; the board votes again.
      if (outcome === 'inconclusive') violations.push(...inconclusiveViolations(boardThreshold, d.boardMembers, 'boardMembers', d.inFavour, d.forRemoval));
      else votesPass(boardThreshold, 'boardMembers', d.boardMembers, [outcome]);
      if (outcome !== 'inconclusive' && !d.decisionNo) violations.push({ code: 'decision_number_required', field: 'decisionNo' });
      // The new-member class is in the recognition dossier (§7.3) on every route, also after three failed
      // cell votes (T8). New requests only (see DecisionContext.recheck).
      if (outcome === 'recognize' && !ctx.recheck && !ctx.newMemberCertificate) violations.push({ code: 'new_member_certificate_missing', field: 'outcome' });
      break;
    case 'admission_ceremony':
    case 'overdue_escalation':
      break;
    case 'probation_review':
      for (const field of ['selfReviewOn', 'mentorReviewOn'] as const) {
        if (ctx.probationEndsOn && d[field] < ctx.probationEndsOn) {
          violations.push({ code: 'before_probation_end', field, params: { field, date: d[field], probationEndsOn: ctx.probationEndsOn } });
        }
      }
      break;
    case 'cell_recognition_vote':
      {
        // The recognition vote is taken "as for admission" (§7.4): the same denominator.
        const counted = cellVoteDenominator(d, outcome === 'inconclusive' && d.forRemoval !== undefined ? [d.inFavour, d.forRemoval] : [d.inFavour]);
        if (!counted.ok) violations.push(...counted.violations);
        else if (outcome === 'inconclusive') {
          const members = counted.denominator;
          votesPass('two_thirds', 'officialMembers', members, []);
          if (d.forRemoval !== undefined) {
            if (d.inFavour + d.forRemoval > members) {
              violations.push({ code: 'votes_exceed_members', field: 'forRemoval', params: { inFavour: d.inFavour + d.forRemoval, members } });
            } else if (reachesTwoThirds(d.forRemoval, members)) {
              violations.push({
                code: 'two_thirds_reached_but_rejected',
                field: 'forRemoval',
                params: { inFavour: d.forRemoval, members, needed: twoThirdsNeeded(members), outcome },
              });
            }
          }
        } else votesPass('two_thirds', 'officialMembers', counted.denominator, [outcome]);
      }
      if (ctx.probationEndsOn && d.meetingDate < ctx.probationEndsOn) {
        violations.push({ code: 'before_probation_end', field: 'meetingDate', params: { field: 'meetingDate', date: d.meetingDate, probationEndsOn: ctx.probationEndsOn } });
      }
      if (outcome === 'recognize' && !ctx.newMemberCertificate) violations.push({ code: 'new_member_certificate_missing', field: 'outcome' });
      break;
  }

  if (violations.length) return { ok: false, violations };
  return { ok: true, decision: { taskType: type, outcome, businessDate, ruleSetId: rules.id, data: d } };
}
