import { Body, Controller, Headers, HttpCode, Inject, Module, Post, Req, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../../libs/config/src/config.js';
import { AuditRepository } from '../../../../libs/persistence/src/repositories/audit.repository.js';
import { CandidateRepository } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import { SecurityRepository } from '../../../../libs/persistence/src/repositories/security.repository.js';
import { EncryptionCodec, PayloadEncryptionError } from '../../../../libs/temporal/src/encryption-codec.js';
import { clientInfo } from '../auth/client-info.js';
import { CurrentUser } from '../auth/decorators.js';
import { isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { parse } from '../common/parse.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

/**
 * The Temporal codec server protocol (what the Temporal UI's "codec endpoint" and the CLI's `--codec-endpoint`
 * speak): POST <endpoint>/decode and /encode with `{payloads: [{metadata: {key: base64}, data: base64}]}`
 * (the JSON form of temporal.api.common.v1.Payloads), answered in the same form; header X-Namespace.
 *
 * Decoding shows candidates' personal data: administrators and auditors only, every call logged in
 * `pii_reads` (with the candidate when X-Workflow-Id names one). Encoding lets the caller produce payloads the
 * worker accepts — a decision it would trust (README, Security, trust boundary) — so administrators only.
 */
const base64 = z.string().max(8_000_000).regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const Payloads = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string().max(256), base64).optional(), data: base64.optional() }))
    .max(10_000)
    .default([]),
});

type WirePayload = { metadata: Record<string, string>; data: string };

function fromWire(p: z.infer<typeof Payloads>['payloads'][number]): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  };
}

function toWire(p: Payload): WirePayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

const CANDIDATE_WORKFLOW = /^candidate-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Printable, bounded header text for the log line. */
function clean(v: string | undefined): string | undefined {
  const s = v?.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
  return s || undefined;
}

@Controller('temporal-codec')
export class TemporalCodecController {
  constructor(
    @Inject(EncryptionCodec) private readonly codec: EncryptionCodec,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(CandidateRepository) private readonly candidates: CandidateRepository,
    @Inject(SecurityRepository) private readonly security: SecurityRepository,
  ) {}

  @Post('decode')
  @HttpCode(200)
  @ApiDoc({ en: 'Temporal codec server: decode payloads (administrators, auditors over a whole tree; logged)', vi: 'Giải mã payload Temporal (quản trị, kiểm tra toàn cây; có ghi nhật ký)', body: Payloads })
  async decode(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers('x-namespace') namespace?: string, @Headers('x-workflow-id') workflowId?: string) {
    // A payload does not say whose data it holds, so jurisdiction cannot be checked per payload: decoding is for
    // those who see everything anyway, administrators and auditors over a whole tree (a grant on a root unit).
    if (!user.roles.some((g) => g.role === 'admin' || (g.role === 'auditor' && isRootPath(g.orgUnitPath)))) throw new DomainError('forbidden');
    const { payloads } = parse(Payloads, body);
    let decoded: Payload[];
    try {
      decoded = await this.codec.decode(payloads.map(fromWire));
    } catch (e) {
      if (e instanceof PayloadEncryptionError) throw new DomainError('temporal_payload_undecodable', { reason: e.message });
      throw e;
    }
    const wf = clean(workflowId);
    const m = wf ? CANDIDATE_WORKFLOW.exec(wf) : null;
    const candidateId = m && (await this.candidates.get(m[1].toLowerCase())) ? m[1].toLowerCase() : null;
    await this.audit.logPiiRead(user.id, candidateId, `temporal-codec:decode namespace=${clean(namespace) ?? '-'} workflow=${wf ?? '-'} payloads=${payloads.length}`);
    return { payloads: decoded.map(toWire) };
  }

  @Post('encode')
  @HttpCode(200)
  @ApiDoc({ en: 'Temporal codec server: encode payloads (administrators; logged)', vi: 'Mã hóa payload Temporal (quản trị; có ghi nhật ký)', body: Payloads })
  async encode(@CurrentUser() user: AuthUser, @Body() body: unknown, @Req() req: any, @Headers('x-workflow-id') workflowId?: string) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const { payloads } = parse(Payloads, body);
    const encoded = (await this.codec.encode(payloads.map(fromWire))).map(toWire);
    // Encoded payloads are trusted by the worker (they could carry a decision with any actor): who made them is
    // security evidence.
    await this.security.record({ kind: 'payloads_encoded', actorId: user.id, subjectId: user.id, username: user.username, clientAddress: clientInfo(req).address, details: { payloads: payloads.length, workflowId: clean(workflowId) ?? null } });
    return { payloads: encoded };
  }
}

/**
 * CORS for the Temporal UI (a browser on another origin): only KETNAP_CODEC_CORS_ORIGIN, none by default. A
 * preflight is answered here, before the token check; a request from any other browser origin is refused. The
 * CLI sends no Origin and is not concerned.
 */
export function codecCors(allowed: string | undefined) {
  return (req: { method: string; headers: Record<string, string | string[] | undefined> }, res: any, next: () => void) => {
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    if (origin === undefined) return next();
    if (!allowed || origin !== allowed) {
      res.statusCode = 403;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ statusCode: 403, code: 'forbidden', message: 'Origin not allowed for the Temporal codec endpoint (KETNAP_CODEC_CORS_ORIGIN)' }));
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', allowed);
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.setHeader('Access-Control-Allow-Methods', 'POST');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace, X-Workflow-Id');
      res.setHeader('Access-Control-Max-Age', '600');
      res.end();
      return;
    }
    next();
  };
}

@Module({ controllers: [TemporalCodecController] })
export class TemporalCodecModule implements NestModule {
  constructor(@Inject(KETNAP_CONFIG) private readonly config: KetnapConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(codecCors(this.config.codecCorsOrigin)).forRoutes({ path: 'temporal-codec/*path', method: RequestMethod.ALL });
  }
}

/** A grant on a unit with no parent (its path has one segment) covers a whole tree. */
function isRootPath(path: string): boolean {
  return path.split('/').filter(Boolean).length === 1;
}
