/**
 * Pure checks behind the chaos run's invariants (unit-tested in compare.spec.ts); the read model against the
 * workflow is libs/persistence/src/read-model-drift.ts, the comparison `npm run reconcile` makes:
 * - reminders and escalations recorded once;
 * - e-mails the SMTP sink received against the notification rows: at most one e-mail per recipient and key;
 * - decisions of the ledger against the business history: an acknowledged one exactly once, others at most once.
 */
import type { CaseEvent, CaseState, TaskSnapshot } from '../../../workflows/candidate/candidate.messages.js';

/**
 * Reminder and escalation events (anything carrying a `key`) recorded more than once for the same task: `type
 * key ×n` (a key is a reminder point of one task: two tasks sharing a clock have the same keys).
 */
export function repeatedReminders(events: Pick<CaseEvent, 'type' | 'data'>[]): string[] {
  const n = new Map<string, number>();
  for (const e of events) {
    const key = e.data?.key;
    if (typeof key !== 'string') continue;
    const k = `${e.type} ${key}${e.data.taskId ? ` (task ${String(e.data.taskId)})` : ''}`;
    n.set(k, (n.get(k) ?? 0) + 1);
  }
  return [...n].filter(([, c]) => c > 1).map(([k, c]) => `${k} ×${c}`);
}

export interface NotificationRowLite {
  email: string | null;
  key: string;
  title: string;
  body: string;
}

export interface MailLite {
  to: string[];
  subject: string;
  text: string;
  key?: string;
}

export interface MailCheck {
  /** E-mails received. */
  received: number;
  /** recipient + key with more than one e-mail: `recipient key ×n` (or by content when the mail names no key). */
  duplicates: string[];
  /** E-mails that match no notification row of their recipient. */
  unexpected: number;
}

/**
 * At most one e-mail per recipient and notification key. When the e-mail names its key (a header) it is
 * counted per (recipient, key). Otherwise by content: the same recipient may legitimately get identical
 * texts for different keys (two reminder points of one task read alike), so what is a duplicate is more
 * e-mails with a given (recipient, subject, text) than there are keys whose row renders to that content.
 */
export function checkMails(mails: MailLite[], rows: NotificationRowLite[]): MailCheck {
  const norm = (s: string) => s.replace(/\r\n/g, '\n').replace(/\s+$/, '');
  const keysByContent = new Map<string, Set<string>>();
  const keysByRecipient = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.email) continue;
    const email = r.email.toLowerCase();
    const c = `${email}\u0000${r.title}\u0000${norm(r.body)}`;
    if (!keysByContent.has(c)) keysByContent.set(c, new Set());
    keysByContent.get(c)!.add(r.key);
    if (!keysByRecipient.has(email)) keysByRecipient.set(email, new Set());
    keysByRecipient.get(email)!.add(r.key);
  }
  const byKey = new Map<string, number>();
  const byContent = new Map<string, number>();
  let received = 0;
  let unexpected = 0;
  for (const m of mails) {
    for (const to of m.to) {
      received++;
      const email = to.toLowerCase();
      if (m.key) {
        const k = `${email} ${m.key}`;
        byKey.set(k, (byKey.get(k) ?? 0) + 1);
        if (!keysByRecipient.get(email)?.has(m.key)) unexpected++;
      } else {
        const c = `${email}\u0000${m.subject}\u0000${norm(m.text)}`;
        byContent.set(c, (byContent.get(c) ?? 0) + 1);
        if (!keysByContent.has(c)) unexpected++;
      }
    }
  }
  const duplicates: string[] = [];
  for (const [k, n] of byKey) if (n > 1) duplicates.push(`${k} ×${n}`);
  for (const [c, n] of byContent) {
    const keys = keysByContent.get(c);
    const allowed = keys?.size ?? 0;
    if (allowed > 0 && n > allowed) {
      const [email, subject] = c.split('\u0000');
      duplicates.push(`${email} "${subject}" (${[...keys!].join(', ')}) ×${n} for ${allowed} key(s)`);
    }
  }
  return { received, duplicates, unexpected };
}

export interface DecisionLite {
  key: string;
  caseId: string;
  /** Empty for certify lines: the case's party-awareness step is counted instead. */
  taskId: string;
  taskType: string;
  outcome: 'pending' | 'ok' | 'refused' | 'unanswered';
}

export interface DecisionCheck<D extends DecisionLite = DecisionLite> {
  acknowledged: number;
  /** Acknowledged but not in the history. */
  lost: D[];
  /** In the history more than once (any outcome). */
  duplicated: D[];
  /** Refused or unanswered, yet recorded (allowed: at most once). */
  appliedAnyway: number;
}

/** How many times each decision of the ledger is in `history` (decision_recorded events per task id). */
export function checkDecisions<D extends DecisionLite>(decisions: D[], recorded: (d: D) => number): DecisionCheck<D> {
  const out: DecisionCheck<D> = { acknowledged: 0, lost: [], duplicated: [], appliedAnyway: 0 };
  for (const d of decisions) {
    const n = recorded(d);
    if (d.outcome === 'ok') {
      out.acknowledged++;
      if (n === 0) out.lost.push(d);
    } else if (n === 1) out.appliedAnyway++;
    if (n > 1) out.duplicated.push(d);
  }
  return out;
}

/** decision_recorded events per task id, and per (task type) for the certify lines' lookup. */
export function decisionCounts(events: Pick<CaseEvent, 'type' | 'data'>[]): { byTask: Map<string, number>; byType: Map<string, number> } {
  const byTask = new Map<string, number>();
  const byType = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'decision_recorded') continue;
    const id = String(e.data.taskId);
    byTask.set(id, (byTask.get(id) ?? 0) + 1);
    const t = String(e.data.taskType);
    byType.set(t, (byType.get(t) ?? 0) + 1);
  }
  return { byTask, byType };
}

/** Nothing can move an active case: no open task, and not waiting for the end of probation. */
export function isStuck(wf: Pick<CaseState, 'status' | 'stage' | 'openTasks' | 'events' | 'probationEndsOn'>): boolean {
  if (wf.status !== 'active') return false;
  if (wf.openTasks.some((t: TaskSnapshot) => t.status === 'open')) return false;
  const waitingForProbation = wf.stage === 'probation' && Boolean(wf.probationEndsOn) && !wf.events.some((e) => e.type === 'probation_ended');
  return !waitingForProbation;
}
