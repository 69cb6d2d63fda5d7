/**
 * Connection settings for system tests, as prepared by test/support/global-setup.ts.
 *
 *   import { databaseUrl, temporalAddress } from '../support/env.js';
 */

function required(name: string, hint: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: ${hint}`);
  }
  return value;
}

const SETUP_HINT =
  'system tests must run in the jest "system" project (npm run test:system or npm test), whose global setup ' +
  '(test/support/global-setup.ts) prepares it';

/** host:port of the Temporal frontend the system tests use. */
export function temporalAddress(): string {
  return required('TEMPORAL_ADDRESS', SETUP_HINT);
}

/** Temporal namespace for the tests ('default' unless TEMPORAL_NAMESPACE is set). */
export function temporalNamespace(): string {
  return process.env.TEMPORAL_NAMESPACE || 'default';
}

/**
 * postgres:// URL of this test run's own, freshly migrated database, as the application's least-privileged
 * login role (member of ketnap_app): what the API and worker under test connect with.
 */
export function databaseUrl(): string {
  return required('DATABASE_URL', SETUP_HINT);
}

/** The same database as the admin, who owns its tables (migrations; fixtures that read or write behind the app). */
export function ownerDatabaseUrl(): string {
  return required('KETNAP_MIGRATION_DATABASE_URL', SETUP_HINT);
}

/** postgres:// URL of the server's admin connection (to create/drop extra databases in a test). */
export function adminDatabaseUrl(): string {
  return required('KETNAP_TEST_ADMIN_DATABASE_URL', SETUP_HINT);
}
