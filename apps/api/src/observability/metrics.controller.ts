import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../../libs/config/src/config.js';
import { Public } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { ApiMetrics } from './metrics.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

/**
 * Prometheus scrape endpoint. Not for the public: it answers only with `Authorization: Bearer
 * <KETNAP_METRICS_TOKEN>` (a user's session token is not enough), and not at all (404) when no token is set.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
  ) {}

  @Public()
  @Get()
  @ApiDoc({ en: 'Prometheus metrics: only with Authorization: Bearer <KETNAP_METRICS_TOKEN> (not a session token); 404 when no token is configured', vi: 'Số liệu Prometheus: chỉ với mã KETNAP_METRICS_TOKEN; 404 khi chưa cấu hình', produces: ['text/plain'], auth: 'metricsToken' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: any): Promise<void> {
    const token = this.config.observability.metricsToken;
    if (!token) throw new DomainError('not_found');
    const given = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1] ?? '';
    if (!sameSecret(given, token)) throw new DomainError('unauthenticated');
    const { contentType, body } = await this.metrics.scrape();
    res.status(200).setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.end(body);
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
