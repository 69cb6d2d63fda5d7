import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { pendingMigrations } from '../../../../libs/persistence/src/schema-status.js';
import { Public } from '../auth/decorators.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

/** A check's answer: `up`, or `down: <why>`. */
export type CheckResult = 'up' | `down: ${string}`;

/** Runs a check with a deadline (a hung database must not hang the probe). */
export async function check(f: () => Promise<unknown>, timeoutMs = 3000): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([f(), new Promise((_, rej) => (timer = setTimeout(() => rej(new Error('timeout')), timeoutMs)))]);
    return 'up';
  } catch (e) {
    return `down: ${(e as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Probes (README, Operations): `live` answers while the process serves HTTP; `ready` (and the older bare
 * /api/health, same answer) only when PostgreSQL answers with every migration applied and Temporal answers.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(Connection) private readonly temporal: Connection,
  ) {}

  @Public()
  @Get('live')
  @ApiDoc({ en: 'Liveness: the process serves HTTP', vi: 'Tiến trình đang phục vụ HTTP' })
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @ApiDoc({ en: 'Readiness: PostgreSQL with every migration applied, and Temporal, answer', vi: 'Sẵn sàng: PostgreSQL (đủ migration) và Temporal đều trả lời' })
  ready(@Res({ passthrough: true }) res: any) {
    return this.health(res);
  }

  @Public()
  @Get()
  @ApiDoc({ en: 'Readiness (older path, same answer as /api/health/ready)', vi: 'Sẵn sàng (đường dẫn cũ, như /api/health/ready)' })
  async health(@Res({ passthrough: true }) res: any) {
    const [database, temporal] = await Promise.all([
      check(async () => {
        const pending = await pendingMigrations(this.ds);
        if (pending.length) throw new Error(`migrations not applied: ${pending.join(', ')}`);
      }),
      check(() => this.temporal.workflowService.getSystemInfo({})),
    ]);
    const ok = database === 'up' && temporal === 'up';
    res.status(ok ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    return { status: ok ? 'ok' : 'unavailable', database, temporal };
  }
}
