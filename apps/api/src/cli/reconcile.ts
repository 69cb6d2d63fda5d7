import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../../../../libs/config/src/config.js';
import type { Drift } from '../../../../libs/persistence/src/read-model-drift.js';
import { AppModule } from '../app.module.js';
import { progressBar } from '../audit/replay-jurisdiction.js';
import { ReconcileService, type CaseReconcileReport, type ReconcileSummary } from '../audit/reconcile.service.js';

const USAGE = `usage: reconcile --org-unit <org unit id> [--repair] [--json]
       reconcile --rebuild [--org-unit <org unit id>] [--json]`;

/**
 * Self-healing read model: compares every candidate of a jurisdiction with its workflow and reports drift,
 * or repairs it, or rebuilds the read model from Temporal.
 *   node dist/apps/api/src/cli/reconcile.js --org-unit <uuid> [--repair] [--json]   (npm run reconcile -- …)
 *   node dist/apps/api/src/cli/reconcile.js --rebuild [--org-unit <uuid>] [--json]
 * Progress on stderr; the summary on stdout (`--json`: the summary as JSON). Exit code 0 when everything is in
 * sync (or was repaired / rebuilt), 1 on drift left (without --repair: any drift), unrepairable or failed cases,
 * 2 on bad usage. Runs as the app's database role (DATABASE_URL) and needs the worker running (it queries the
 * workflows; --rebuild reads histories only).
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const known = new Set(['--org-unit', '--repair', '--json', '--rebuild']);
  const i = args.indexOf('--org-unit');
  const orgUnitId = i >= 0 ? args[i + 1] : undefined;
  const unknown = args.filter((a, k) => !known.has(a) && !(k === i + 1 && i >= 0));
  const rebuild = args.includes('--rebuild');
  const repair = args.includes('--repair');
  const json = args.includes('--json');
  if (unknown.length || (i >= 0 && !orgUnitId) || (!orgUnitId && !rebuild) || (rebuild && repair)) {
    console.error(USAGE);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig()), { logger: ['error'] });
  try {
    const tty = process.stderr.isTTY;
    let summary: ReconcileSummary;
    try {
      summary = await app.get(ReconcileService).run({ orgUnitId, repair, rebuild }, (done, total, last) => {
        const line = `${progressBar(done, total)} ${last.candidateId} ${OUTCOME[last.outcome]}`;
        if (tty) process.stderr.write(`\r${line.padEnd(110)}`);
        else if (done === total || done % 50 === 0 || !['in_sync', 'rebuilt', 'skipped', 'repaired'].includes(last.outcome)) process.stderr.write(`${line}\n`);
      });
    } catch (e) {
      console.error((e as Error).message);
      return 2;
    }
    if (tty) process.stderr.write('\n');
    if (json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(
        `Kết quả / summary: ${summary.total} kiểm tra/checked, ${summary.inSync} khớp/in sync, ${summary.drifted} lệch/drifted, ` +
          `${summary.repaired} đã sửa/repaired, ${summary.rebuilt} dựng lại/rebuilt, ${summary.unrepairable} không sửa được/unrepairable, ` +
          `${summary.failed} lỗi/failed, ${summary.seconds.toFixed(1)} s`,
      );
      for (const c of summary.cases) console.log(caseLine(c));
    }
    return summary.drifted || summary.unrepairable || summary.failed ? 1 : 0;
  } finally {
    await app.close();
  }
}

const OUTCOME: Record<CaseReconcileReport['outcome'], string> = {
  in_sync: 'khớp/in sync',
  drifted: 'LỆCH/DRIFTED',
  repaired: 'đã sửa/repaired',
  rebuilt: 'dựng lại/rebuilt',
  unrepairable: 'KHÔNG SỬA ĐƯỢC/UNREPAIRABLE',
  failed: 'LỖI/FAILED',
  skipped: 'ngoài phạm vi/outside',
};

function driftText(d: Drift): string {
  return `${d.field}: workflow=${JSON.stringify(d.workflow)} read model=${JSON.stringify(d.readModel)}${d.repairable ? '' : ' (append-only history: tampering?)'}`;
}

function caseLine(c: CaseReconcileReport): string {
  const parts = [`  ${OUTCOME[c.outcome]} ${c.candidateId}`];
  if (c.error) parts.push(`    ${c.error}`);
  for (const d of c.outcome === 'repaired' ? c.drift : (c.remaining ?? c.drift)) parts.push(`    ${driftText(d)}`);
  if (c.projectionPending) parts.push('    (a projection activity of the case is still pending)');
  for (const w of c.warnings ?? []) parts.push(`    ! ${w}`);
  return parts.join('\n');
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
