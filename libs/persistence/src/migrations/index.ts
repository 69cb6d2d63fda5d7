import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { Notifications1764100000000 } from './1764100000000-notifications.js';
import { CalendarYears1764200000000 } from './1764200000000-calendar-years.js';
import { HistoryChain1764300000000 } from './1764300000000-history-chain.js';
import { WebApp1764400000000 } from './1764400000000-web-app.js';

/** Every migration, in order. Listed explicitly (no globbing) so the ESM build loads them reliably. */
export const MIGRATIONS = [InitialSchema1764000000000, Notifications1764100000000, CalendarYears1764200000000, HistoryChain1764300000000, WebApp1764400000000];
