import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { Notifications1764100000000 } from './1764100000000-notifications.js';
import { CalendarYears1764200000000 } from './1764200000000-calendar-years.js';
import { HistoryChain1764300000000 } from './1764300000000-history-chain.js';
import { WebApp1764400000000 } from './1764400000000-web-app.js';
import { TrainingClasses1764500000000 } from './1764500000000-training-classes.js';
import { PlacesAndAttributes1764510000000 } from './1764510000000-places-and-attributes.js';
import { QuotasAndMembership1764520000000 } from './1764520000000-quotas-and-membership.js';
import { CandidateMilestones1764530000000 } from './1764530000000-candidate-milestones.js';
import { MilestonesFollowTransfers1764540000000 } from './1764540000000-milestones-follow-transfers.js';
import { InboxIndex1764600000000 } from './1764600000000-inbox-index.js';
import { PiiReadsAppendOnly1764700000000 } from './1764700000000-pii-reads-append-only.js';
import { SessionsAndSecurityLog1764720000000 } from './1764720000000-sessions-and-security-log.js';
import { PiiReadsCodec1764730000000 } from './1764730000000-pii-reads-codec.js';
import { RateLimits1764740000000 } from './1764740000000-rate-limits.js';
import { NotificationKeyPerCase1764820000000 } from './1764820000000-notification-key-per-case.js';
import { EmailOutbox1764800000000 } from './1764800000000-email-outbox.js';
import { Jobs1764810000000 } from './1764810000000-jobs.js';
import { AttachmentFormCode1764830000000 } from './1764830000000-attachment-form-code.js';
import { CandidateImportJobs1764840000000 } from './1764840000000-candidate-import-jobs.js';
import { DossierFormsPolicy1764850000000 } from './1764850000000-dossier-forms-policy.js';
import { OrgReorganisation1764860000000 } from './1764860000000-org-reorganisation.js';
import { TradeUnionRoute1764880000000 } from './1764880000000-trade-union-route.js';
import { PartialCommittees1764870000000 } from './1764870000000-partial-committees.js';
import { WithdrawnLocalWrites1764890000000 } from './1764890000000-withdrawn-local-writes.js';

/** Every migration, in order. Listed explicitly (no globbing) so the ESM build loads them reliably. */
export const MIGRATIONS = [InitialSchema1764000000000, Notifications1764100000000, CalendarYears1764200000000, HistoryChain1764300000000, WebApp1764400000000, TrainingClasses1764500000000, PlacesAndAttributes1764510000000, QuotasAndMembership1764520000000, CandidateMilestones1764530000000, MilestonesFollowTransfers1764540000000, InboxIndex1764600000000, PiiReadsAppendOnly1764700000000, SessionsAndSecurityLog1764720000000, PiiReadsCodec1764730000000, RateLimits1764740000000, EmailOutbox1764800000000, Jobs1764810000000, NotificationKeyPerCase1764820000000, AttachmentFormCode1764830000000, CandidateImportJobs1764840000000, DossierFormsPolicy1764850000000, OrgReorganisation1764860000000, PartialCommittees1764870000000, TradeUnionRoute1764880000000, WithdrawnLocalWrites1764890000000];
