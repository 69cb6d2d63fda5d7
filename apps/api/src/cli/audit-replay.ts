import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../../../libs/config/src/config.js';
import { AuditRepository } from '../../../../libs/persistence/src/repositories/audit.repository.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { AppModule } from '../app.module.js';
import { progressBar, replayJurisdiction } from '../audit/replay-jurisdiction.js';
import { ReplayService } from '../audit/replay.service.js';

/**
 * After a deploy: replays every candidate of a jurisdiction against the deployed workflow code and compares
 * each with its recorded business history.
 *   node dist/apps/api/src/cli/audit-replay.js --org-unit <uuid>     (npm run audit:replay -- --org-unit <uuid>)
 * Exit code 0 when everything matches, 1 when a case diverges or cannot be replayed, 2 on bad usage.
 */
async function main(): Promise<number> {
  const i = process.argv.indexOf('--org-unit');
  const orgUnitId = i > 0 ? process.argv[i + 1] : undefined;
  if (!orgUnitId) {
    console.error('usage: audit-replay --org-unit <org unit id>');
    return 2;
  }
  // Only warnings from the replay workers: the progress bar is the output.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig()), { logger: ['error'] });
  try {
    const unit = await app.get(OrgUnitRepository).get(orgUnitId);
    if (!unit) {
      console.error(`Không tìm thấy tổ chức đảng / org unit not found: ${orgUnitId}`);
      return 2;
    }
    const ids = await app.get(AuditRepository).candidateIdsUnder(unit.path);
    console.error(`Đối chiếu ${ids.length} hồ sơ của "${unit.name}" / replaying ${ids.length} case(s)…`);
    const tty = process.stderr.isTTY;
    const summary = await replayJurisdiction(app.get(ReplayService), ids, (done, total, last) => {
      const line = `${progressBar(done, total)} ${last ? `${last.candidateId} ${last.match ? 'khớp/match' : 'LỆCH/DIVERGED'}` : ''}`;
      if (tty) process.stderr.write(`\r${line.padEnd(110)}`);
      else if (done === total || done % 50 === 0 || (last && !last.match)) process.stderr.write(`${line}\n`);
    });
    if (tty) process.stderr.write('\n');
    console.log(`Kết quả / summary: ${summary.matched} khớp/matched, ${summary.diverged.length} lệch/diverged, ${summary.failed.length} lỗi/failed, ${summary.total} tổng/total, ${summary.seconds.toFixed(1)} s`);
    for (const d of summary.diverged) console.log(`  LỆCH ${d.candidateId}: ${JSON.stringify(d.divergence)}`);
    for (const f of summary.failed) console.log(`  LỖI  ${f.candidateId}: ${f.error}`);
    return summary.diverged.length || summary.failed.length ? 1 : 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
