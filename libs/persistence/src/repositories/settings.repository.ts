import type { DataSource } from 'typeorm';

/** Small key/value settings the processes share through the database (business clock, token secret). */
export class SettingsRepository {
  constructor(private readonly ds: DataSource) {}

  async get<T>(key: string): Promise<T | undefined> {
    const rows = await this.ds.query(`SELECT value FROM app_settings WHERE key = $1`, [key]);
    return rows[0]?.value as T | undefined;
  }

  /** Stores `value` unless the key exists; returns what is stored (first writer wins). */
  async getOrCreate<T>(key: string, value: T): Promise<T> {
    await this.ds.query(`INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, JSON.stringify(value)]);
    return (await this.get<T>(key))!;
  }

  async set<T>(key: string, value: T): Promise<void> {
    await this.ds.query(
      `INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    );
  }
}
