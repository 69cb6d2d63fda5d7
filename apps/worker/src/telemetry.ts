import { Runtime } from '@temporalio/worker';
import type { KetnapConfig } from '../../../libs/config/src/config.js';

/**
 * Installs the Temporal SDK's runtime once per process, before any connection: with
 * KETNAP_WORKER_METRICS_ADDRESS, its Prometheus exporter serves GET /metrics there (the SDK's worker, poller,
 * cache and activity metrics, `temporal_` prefix, and ketnap's worker metrics: ketnap_reminders_delivered_total,
 * ketnap_projection_lag_seconds), latencies in seconds. Without it the SDK's defaults (no metrics).
 */
export function installWorkerRuntime(cfg: Pick<KetnapConfig, 'observability'>): Runtime {
  const bindAddress = cfg.observability.workerMetricsAddress;
  return Runtime.install({
    ...(bindAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true } } } }
      : {}),
  });
}
