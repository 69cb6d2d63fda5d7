import { createRequire } from 'node:module';
import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { context, propagation, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import { KETNAP_CONFIG, type KetnapConfig } from '../../config/src/config.js';

/**
 * The SDK's workflow interceptors (a span per workflow run, signal, update and its validator, query, and per
 * activity scheduled; the context travels in the `_tracer-data` header). Bundled into the workflow code only
 * when tracing is on: they run inside the sandbox, deterministic (span ids come from the workflow's seeded
 * random), and hand their spans out through the `exporter` sink, which is not called on replay.
 */
export const WORKFLOW_TRACING_MODULE = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

let globalsInstalled = false;

/**
 * Once per process: the async-context manager (the active span follows an HTTP request into the Temporal
 * client call it makes, and an activity into the client calls it makes) and the W3C trace-context
 * propagator, which the SDK's interceptors use to write and read their header. No global tracer provider:
 * each app exports through its own (the API and a worker may share a process, as in the tests).
 */
function installGlobals(): void {
  if (globalsInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  globalsInstalled = true;
}

/**
 * OpenTelemetry tracing of one app (KETNAP_TRACING=1): spans exported in batches over OTLP/HTTP (JSON) to
 * the configured collector, with `service.name` the app's. Off (the default), it holds nothing: no
 * interceptors, no sink, no span is made, the workflow bundle is the same as without the feature.
 */
export class KetnapTracing {
  private constructor(
    private readonly on?: { provider: BasicTracerProvider; processor: SpanProcessor; resource: Resource; tracer: Tracer },
  ) {}

  static readonly OFF = new KetnapTracing();

  /** `exporter` replaces the OTLP exporter (tests). */
  static start(config: Pick<KetnapConfig, 'tracing'>, serviceName: string, o: { exporter?: SpanExporter } = {}): KetnapTracing {
    if (!config.tracing) return KetnapTracing.OFF;
    installGlobals();
    const resource = new Resource({ 'service.name': serviceName });
    const processor = new BatchSpanProcessor(o.exporter ?? new OTLPTraceExporter({ url: config.tracing.tracesUrl }));
    const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
    return new KetnapTracing({ provider, processor, resource, tracer: provider.getTracer('ketnap') });
  }

  get enabled(): boolean {
    return this.on !== undefined;
  }

  /** The app's tracer; undefined when tracing is off. */
  get tracer(): Tracer | undefined {
    return this.on?.tracer;
  }

  /** A Temporal Client's interceptors: a span per start, signal, update, query…, its context sent in the header. */
  clientInterceptors(): ClientInterceptors | undefined {
    return this.on ? { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: this.on.tracer })] } : undefined;
  }

  /** A Worker's options: the workflow interceptors (bundled), the activity interceptors, the workflow spans' sink. */
  workerOptions(): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
    if (!this.on) return {};
    const { tracer, processor, resource } = this.on;
    return {
      interceptors: {
        workflowModules: [WORKFLOW_TRACING_MODULE],
        activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
      },
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    };
  }

  /** Exports the spans still buffered. */
  async flush(): Promise<void> {
    await this.on?.provider.forceFlush();
  }

  /** Exports the spans still buffered and stops the exporter. */
  async shutdown(): Promise<void> {
    await this.on?.provider.shutdown();
  }
}

@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  constructor(@Inject(KetnapTracing) private readonly tracing: KetnapTracing) {}
  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}

/** The app's KetnapTracing (named `serviceName` in the traces), shut down (flushed) with the app. */
@Global()
@Module({})
export class TracingModule {
  static forRoot(serviceName: string): DynamicModule {
    return {
      module: TracingModule,
      providers: [{ provide: KetnapTracing, useFactory: (config: KetnapConfig) => KetnapTracing.start(config, serviceName), inject: [KETNAP_CONFIG] }, TracingShutdown],
      exports: [KetnapTracing],
    };
  }
}
