import type { MetricMeter } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { NotificationRequest, ProjectionBatch } from '../../../workflows/candidate/candidate.messages.js';
import type { NotificationActivities } from './notification.activities.js';
import { candidateActivities, type ProjectionActivities } from './projection.activities.js';

/** A meter that remembers what was recorded, by metric name. */
function recordingMeter() {
  const recorded: { name: string; value: number; tags?: Record<string, unknown> }[] = [];
  const metric = (name: string) => ({ add: (value: number, tags?: Record<string, unknown>) => recorded.push({ name, value, tags }), record: (value: number, tags?: Record<string, unknown>) => recorded.push({ name, value, tags }), set: () => undefined });
  const meter = { createCounter: metric, createHistogram: metric, createGauge: metric, withTags: () => meter } as unknown as MetricMeter;
  return { meter, recorded };
}

const request = (kind: NotificationRequest['kind']) => ({ kind }) as NotificationRequest;

describe('candidateActivities metrics', () => {
  it('counts delivered reminders by kind, through notify and with a projection', async () => {
    const { meter, recorded } = recordingMeter();
    const env = new MockActivityEnvironment({}, { metricMeter: meter });
    const acts = candidateActivities({ projectCandidate: async () => ({ applied: true, withdrawn: 0 }) } as unknown as ProjectionActivities, { notify: async () => undefined, sendDailyDigest: async () => undefined } as unknown as NotificationActivities);
    await env.run(acts.notify, [request('before_due'), request('before_due'), request('overdue')]);
    await env.run(acts.projectCandidate, { events: [], tasks: [] } as unknown as ProjectionBatch, [request('escalation')]);
    // The activity's meter adds its own tags (activityType, namespace, taskQueue).
    const reminders = recorded.filter((r) => r.name === 'ketnap_reminders_delivered').map((r) => [r.tags?.kind, r.value]);
    expect(reminders).toEqual([
      ['before_due', 2],
      ['overdue', 1],
      ['escalation', 1],
    ]);
  });

  it('records the projection lag from the batch’s earliest event, in seconds, and none for a batch without events', async () => {
    const { meter, recorded } = recordingMeter();
    const env = new MockActivityEnvironment({}, { metricMeter: meter });
    const acts = candidateActivities({ projectCandidate: async () => ({ applied: true, withdrawn: 0 }) } as unknown as ProjectionActivities, { notify: async () => undefined, sendDailyDigest: async () => undefined } as unknown as NotificationActivities);
    const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
    await env.run(acts.projectCandidate, { events: [{ at: at(1500) }, { at: at(200) }], tasks: [] } as unknown as ProjectionBatch);
    await env.run(acts.projectCandidate, { events: [], tasks: [] } as unknown as ProjectionBatch);
    const lag = recorded.filter((r) => r.name === 'ketnap_projection_lag_seconds');
    expect(lag).toHaveLength(1);
    expect(lag[0].value).toBeGreaterThanOrEqual(1.5);
    expect(lag[0].value).toBeLessThan(5);
  });

  it('counts withdrawn rows, and delivers no reminder for a superseded batch (the lost task’s retry delivered them)', async () => {
    const { meter, recorded } = recordingMeter();
    const env = new MockActivityEnvironment({}, { metricMeter: meter });
    const outcomes = [{ applied: true, withdrawn: 3 }, { applied: false, reason: 'superseded' }];
    const delivered: NotificationRequest[][] = [];
    const acts = candidateActivities({ projectCandidate: async () => outcomes.shift() } as unknown as ProjectionActivities, { notify: async (r: NotificationRequest[]) => void delivered.push(r), sendDailyDigest: async () => undefined } as unknown as NotificationActivities);
    await env.run(acts.projectCandidate, { events: [], tasks: [] } as unknown as ProjectionBatch, [request('overdue')]);
    await env.run(acts.projectCandidate, { events: [], tasks: [] } as unknown as ProjectionBatch, [request('escalation')]);
    expect(recorded.filter((r) => r.name === 'ketnap_projection_rows_withdrawn').map((r) => r.value)).toEqual([3]);
    expect(delivered).toEqual([[request('overdue')]]);
  });
});
