import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export const API_DOC = 'ketnap:api-doc';

/**
 * What the OpenAPI document (GET /api/openapi.json) says of one route beyond what Nest already knows (method,
 * path, status, @Public, the `uuid` pipe of a path parameter): its summary in both languages and the zod
 * schemas the handler parses — the same constants it passes to `parse()`, never a copy.
 */
export interface ApiDocSpec {
  en: string;
  vi: string;
  /** The JSON body's schema (what `parse(Schema, body)` takes). */
  body?: z.ZodType;
  /** The query's schema: each of its properties is a query parameter. */
  query?: z.ZodType;
  /** The path parameters' schema, when the handler parses them itself. */
  params?: z.ZodType;
  /** The body is raw bytes of these media types (an upload), not JSON. */
  rawBody?: readonly string[];
  /** Media types of the success answer other than JSON (a download). */
  produces?: readonly string[];
  /** The handler reads `Idempotency-Key`: a retry with the same key gets the first answer, applied once. */
  idempotent?: boolean;
  /** The body carries a decision whose data depends on the task's type (`one` task, or `bulk`). */
  decisions?: 'one' | 'bulk';
  /** What the success answer is, in a few words. */
  answer?: string;
  /** The success status when the handler sets it itself (`res.status(202)`), not by @HttpCode. */
  status?: number;
  /** A @Public route that checks a token of its own: the Prometheus scrape's KETNAP_METRICS_TOKEN. */
  auth?: 'metricsToken';
}

/** Documents a route in the OpenAPI document; a route without it is listed there with a `missing` summary. */
export const ApiDoc = (spec: ApiDocSpec) => SetMetadata(API_DOC, spec);
