import type { DataSource } from 'typeorm';

/** Fixed-window counters in PostgreSQL, so a limit holds across every API process. */
export class RateLimitRepository {
  constructor(private readonly ds: DataSource) {}

  /** Counts one hit of `key` in the current window; returns the hits so far and the seconds until the window ends. */
  async hit(key: string, windowSeconds: number): Promise<{ hits: number; resetSeconds: number }> {
    const [r] = await this.ds.query(
      `INSERT INTO rate_limit_hits AS r (key, window_start, hits)
       VALUES ($1, to_timestamp(floor(extract(epoch FROM clock_timestamp()) / $2) * $2), 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = r.hits + 1
       RETURNING hits, ceil(extract(epoch FROM r.window_start + make_interval(secs => $2) - clock_timestamp()))::int AS reset`,
      [key, windowSeconds],
    );
    return { hits: r.hits, resetSeconds: Math.max(1, r.reset) };
  }

  /** Drops windows that ended long ago. */
  async prune(olderThanSeconds: number): Promise<void> {
    await this.ds.query(`DELETE FROM rate_limit_hits WHERE window_start < now() - make_interval(secs => $1)`, [olderThanSeconds]);
  }
}
