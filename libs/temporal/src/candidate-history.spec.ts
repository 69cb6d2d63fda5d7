import type { Payload } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec.js';
import { projectionBatches } from './candidate-history.js';

/**
 * The projection batches as the audit replay and the reconciliation read them from a history: from an
 * activity's input (before local-projection-v1) and from a local activity's marker (its result), in history
 * order, decrypted by the codec when encrypted.
 */
const json = (v: unknown): Payload => ({ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(JSON.stringify(v)) });
const nothing: Payload = { metadata: { encoding: new TextEncoder().encode('binary/null') } };
const batch = (seq: number) => ({ events: [{ seq, type: 'decision_recorded' }], tasks: [] });

const scheduled = (eventId: number, activityId: string, type: string, input: Payload[]) => ({
  eventId,
  activityTaskScheduledEventAttributes: { activityId, activityType: { name: type }, input: { payloads: input } },
});
const started = (eventId: number, scheduledEventId: number, attempt: number) => ({ eventId, activityTaskStartedEventAttributes: { scheduledEventId, attempt } });
/** A marker as the SDK's core records it: `data` plain JSON (never through the codec), `result` the returned value. */
const marker = (eventId: number, activityType: string, result: Payload | undefined, extra: object = {}) => ({
  eventId,
  markerRecordedEventAttributes: {
    markerName: 'core_local_activity',
    details: { data: { payloads: [json({ seq: 1, attempt: 2, activity_id: `${eventId}`, activity_type: activityType })] }, ...(result ? { result: { payloads: [result] } } : {}) },
    ...extra,
  },
});
const patchMarker = (eventId: number) => ({ eventId, markerRecordedEventAttributes: { markerName: 'core_patch', details: { patch_data: { payloads: [json({ id: 'local-projection-v1' })] } } } });

describe('projectionBatches', () => {
  it('reads an old case that switched to local activities: the activities’ inputs, then the markers’ results, in history order', async () => {
    const history = {
      events: [
        scheduled(5, '1', 'projectCandidate', [json(batch(1))]),
        started(6, 5, 3),
        scheduled(12, '2', 'projectCandidate', [json(batch(2)), json([{ kind: 'reminder' }])]),
        patchMarker(20),
        marker(21, 'projectCandidate', json(batch(3))),
        marker(30, 'notify', nothing),
        marker(31, 'projectCandidate', nothing), // an ordinary activity's result (undefined): no batch
        marker(40, 'projectCandidate', undefined, { failure: { message: 'boom' } }),
        marker(41, 'projectCandidate', json(batch(4))),
      ],
    };
    const out = await projectionBatches(history);
    // `local`: the rows a marker's batch wrote may be withdrawn if a lost task wrote them (the projection's rule).
    expect(out.map((p) => [p.batch.events[0].seq, p.temporalEventId, p.activityId, p.attempt, p.local ?? false])).toEqual([
      [1, '5', '1', 3, false],
      [2, '12', '2', undefined, false],
      [3, '21', '21', 2, true],
      [4, '41', '41', 2, true],
    ]);
  });

  it('decrypts a marker’s result with the codec (its data detail stays plain)', async () => {
    const codec = new EncryptionCodec({ keys: new Map([['k', new Uint8Array(32).fill(7)]]), encryptKeyId: 'k', requireEncrypted: false });
    const [secret] = await codec.encode([json(batch(9))]);
    expect(Buffer.from(secret.data!).toString('utf8')).not.toContain('decision_recorded');
    const out = await projectionBatches({ events: [marker(8, 'projectCandidate', secret)] }, codec);
    expect(out).toHaveLength(1);
    expect(out[0].batch).toEqual(batch(9));
  });
});
