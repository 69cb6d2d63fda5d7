import { startWorker } from './run-worker.js';

/** The Temporal worker process: no HTTP port; stops gracefully on SIGINT/SIGTERM, exits non-zero on failure. */
async function main(): Promise<void> {
  const running = await startWorker(undefined, { identity: `ketnap-worker@${process.pid}` });
  const stop = () => running.worker.getState() === 'RUNNING' && running.worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`[worker] polling task queue; pid ${process.pid}`);
  await running.done;
  console.log('[worker] stopped');
}

main().catch((e) => {
  console.error('[worker] failed:', e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
