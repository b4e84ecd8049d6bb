/**
 * `npm run db:migrate`: applies the console's migrations to the database named by DATABASE_URL
 * (creating the database if needed), offline. For a real deployment; the demo migrates its own.
 */
import { migrateDatabase } from './lib/migrate';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set. Example: DATABASE_URL=postgresql://user:pass@host:5432/rollback_console npm run db:migrate');
    process.exit(2);
  }
  const started = Date.now();
  const { applied } = await migrateDatabase(url);
  console.log(
    applied.length > 0 ? `Applied ${applied.join(', ')}` : 'Database schema is up to date',
    `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
