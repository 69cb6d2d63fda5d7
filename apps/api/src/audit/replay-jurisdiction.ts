import type { ReplayReport, ReplayService } from './replay.service.js';

export interface JurisdictionReplaySummary {
  total: number;
  matched: number;
  diverged: ReplayReport[];
  failed: { candidateId: string; error: string }[];
  seconds: number;
}

/** Replays every candidate in turn, reporting progress; one failure never stops the run. */
export async function replayJurisdiction(
  service: Pick<ReplayService, 'replay'>,
  candidateIds: string[],
  onProgress: (done: number, total: number, last: ReplayReport | undefined) => void = () => {},
): Promise<JurisdictionReplaySummary> {
  const started = Date.now();
  const summary: JurisdictionReplaySummary = { total: candidateIds.length, matched: 0, diverged: [], failed: [], seconds: 0 };
  for (const [i, id] of candidateIds.entries()) {
    let report: ReplayReport | undefined;
    try {
      report = await service.replay(id);
      if (report.match) summary.matched += 1;
      else summary.diverged.push(report);
    } catch (e) {
      summary.failed.push({ candidateId: id, error: (e as Error).message });
    }
    onProgress(i + 1, candidateIds.length, report);
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/** A one-line progress bar for a terminal (stderr). */
export function progressBar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}
