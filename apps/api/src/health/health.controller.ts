import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators.js';

/** 200 only when both PostgreSQL and Temporal answer. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(Connection) private readonly temporal: Connection,
  ) {}

  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: any) {
    const check = async (f: () => Promise<unknown>) => {
      try {
        await Promise.race([f(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 3000))]);
        return 'up';
      } catch (e) {
        return `down: ${(e as Error).message}`;
      }
    };
    const [database, temporal] = await Promise.all([
      check(() => this.ds.query('SELECT 1')),
      check(() => this.temporal.workflowService.getSystemInfo({})),
    ]);
    const ok = database === 'up' && temporal === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', database, temporal };
  }
}
