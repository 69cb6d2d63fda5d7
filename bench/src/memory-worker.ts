/**
 * A worker process on its own, for the worker-memory scenario: runs a prebuilt workflow bundle (the ketnap
 * candidate workflows, or the bench workflows) with no-op activities, and answers 'measure' over IPC with
 * its memory after a few full garbage collections. Exits when told to stop or when the parent goes away.
 *
 *   node --expose-gc dist/bench/src/memory-worker.js   (env: BENCH_MEM_ADDRESS, BENCH_MEM_NAMESPACE,
 *                                                       BENCH_MEM_TASK_QUEUE, BENCH_MEM_BUNDLE, BENCH_MEM_MAX_CACHED,
 *                                                       BENCH_MEM_DEBUG_MODE=1: workflows on the main thread)
 *
 * With debugMode the workflow sandbox runs on the main thread, so the forced GCs before each measurement
 * also collect the workflows' garbage (in worker threads they would not be reachable from here).
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { parsePayloadEncryption } from '../../libs/config/src/config.js';
import { temporalDataConverter } from '../../libs/temporal/src/connection.js';

type Message = { type: 'measure' } | { type: 'status' } | { type: 'stop' };

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('memory-worker must be started with an IPC channel (child_process.fork)');
  Runtime.install({ logger: new DefaultLogger('WARN', (e) => process.stderr.write(`${e.level} ${e.message}\n`)), shutdownSignals: [] });
  const connection = await NativeConnection.connect({ address: env('BENCH_MEM_ADDRESS') });
  // The parent's client encrypts when KETNAP_PAYLOAD_KEYS is set (inherited environment): decode alike.
  const payloadEncryption = parsePayloadEncryption(process.env.KETNAP_PAYLOAD_KEYS, process.env.KETNAP_PAYLOAD_KEY_ID, 'false');
  const noop = async () => undefined;
  const worker = await Worker.create({
    connection,
    namespace: env('BENCH_MEM_NAMESPACE'),
    taskQueue: env('BENCH_MEM_TASK_QUEUE'),
    workflowBundle: { codePath: env('BENCH_MEM_BUNDLE') },
    // The candidate workflow's activities, as no-ops: the read model is not what is measured here.
    activities: { projectCandidate: noop, notify: noop, sendDailyDigest: noop },
    maxCachedWorkflows: Number(env('BENCH_MEM_MAX_CACHED')),
    dataConverter: temporalDataConverter({ payloadEncryption }),
    debugMode: process.env.BENCH_MEM_DEBUG_MODE === '1',
    shutdownGraceTime: '2 seconds',
  });
  const running = worker.run();
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await connection.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('disconnect', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('message', async (m: Message) => {
    if (m.type === 'stop') return stop(0);
    const status = () => {
      const s = worker.getStatus();
      return { cached: s.numCachedWorkflows, activations: s.numInFlightWorkflowActivations, activities: s.numInFlightActivities };
    };
    if (m.type === 'status') process.send!({ type: 'status', ...status() });
    if (m.type === 'measure') {
      const gc = (globalThis as { gc?: () => void }).gc;
      for (let i = 0; i < 3; i++) {
        gc?.();
        await new Promise((r) => setTimeout(r, 50));
      }
      const mem = process.memoryUsage();
      process.send!({ type: 'memory', ...mem, ...status(), gc: Boolean(gc) });
    }
  });
  running.catch((e) => {
    process.stderr.write(`worker failed: ${(e as Error).message}\n`);
    process.exit(1);
  });
  if (!process.connected) return stop(0); // the parent went away while we were starting
  process.send({ type: 'ready', pid: process.pid });
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
