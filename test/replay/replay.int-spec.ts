import { readdirSync, readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { EncryptionCodec } from '../../libs/temporal/src/encryption-codec.js';
import { KetnapTracing } from '../../libs/temporal/src/tracing.js';
import { bundlerOptions, workflowsEntry } from '../../libs/temporal/src/worker-factory.js';

/**
 * Every stored history (test/replay/histories/*.json, recorded from real runs with
 * KETNAP_RECORD_HISTORIES=1) must replay against the current workflow code: a nondeterministic change
 * fails the build. Never delete a history to make this pass; guard the change with patched() instead.
 * The histories were recorded in clear; they replay through the payload codec as cases started before
 * encryption was switched on are replayed (plaintext passes through; no requirement of encryption here).
 */
const dir = new URL('./histories/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('stored candidate histories', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  /** Replays every stored history with the worker's bundle (and `extra` options); the failures. */
  async function replayAll(extra: Pick<ReplayWorkerOptions, 'interceptors' | 'sinks'> = {}): Promise<string[]> {
    const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))) }));
    const codec = new EncryptionCodec({ keys: new Map([['replay', new Uint8Array(32).fill(1)]]), encryptKeyId: 'replay', requireEncrypted: false });
    const failures: string[] = [];
    let replayed = 0;
    for await (const r of Worker.runReplayHistories({ workflowsPath: workflowsEntry(), bundlerOptions, replayName: 'ketnap-replay-ci', dataConverter: { payloadCodecs: [codec] }, ...extra }, histories)) {
      replayed += 1;
      if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
    }
    expect(replayed).toBe(files.length);
    return failures;
  }

  it('replay against the current workflow code without nondeterminism', async () => {
    expect(await replayAll()).toEqual([]);
  });

  it('replay with the tracing interceptors bundled (KETNAP_TRACING=1 switched on for running cases), exporting no span', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = KetnapTracing.start({ tracing: { tracesUrl: 'http://127.0.0.1:9/v1/traces' } }, 'ketnap-replay', { exporter });
    expect(await replayAll(tracing.workerOptions())).toEqual([]);
    await tracing.shutdown();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
