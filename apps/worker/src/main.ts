import { loadConfig } from '../../../libs/config/src/config.js';
import { startWorker } from './run-worker.js';
import { installWorkerRuntime } from './telemetry.js';

/**
 * The Temporal worker process: no HTTP port but, when configured, its probes (KETNAP_WORKER_HEALTH_PORT) and
 * the SDK's Prometheus exporter (KETNAP_WORKER_METRICS_ADDRESS); stops gracefully on SIGINT/SIGTERM, exits
 * non-zero on failure.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  installWorkerRuntime(config);
  const running = await startWorker(config, { identity: `ketnap-worker@${process.pid}` });
  const stop = () => running.worker.getState() === 'RUNNING' && running.worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`[worker] polling task queue; pid ${process.pid}`);
  if (running.health) console.log(`[worker] probes on http://0.0.0.0:${running.health.port}/live and /ready`);
  if (config.observability.workerMetricsAddress) console.log(`[worker] Prometheus metrics on http://${config.observability.workerMetricsAddress}/metrics`);
  if (config.tracing) console.log(`[worker] OpenTelemetry traces to ${config.tracing.tracesUrl}`);
  await running.done;
  console.log('[worker] stopped');
}

main().catch((e) => {
  console.error('[worker] failed:', e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
