import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '@/lib/generated/prisma/client';
import { env } from '@/lib/env';

/** The Postgres schema holding every console table (see prisma/schema.prisma). */
export const DB_SCHEMA = 'rollback_console';

/** A client inside `db.$transaction(async (tx) => ...)`: pass it on so writes commit together. */
export type Tx = Prisma.TransactionClient;

type Holder = { client: PrismaClient; url: string };

// Next.js re-evaluates modules on hot reload; keeping the client on globalThis keeps one pool per
// process instead of one per reload.
const globalForDb = globalThis as typeof globalThis & { __rollbackConsoleDb?: Holder };

function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: the console needs its Postgres database (npm run demo sets one up).',
    );
  }
  return url;
}

/**
 * The client for the current DATABASE_URL, created on first use. Tests point DATABASE_URL at a
 * fresh database and call resetEnvForTests(); a different URL gets a new client (the old pool
 * is closed in the background).
 */
export function getDb(): PrismaClient {
  const url = databaseUrl();
  const held = globalForDb.__rollbackConsoleDb;
  if (held && held.url === url) return held.client;
  if (held) void held.client.$disconnect().catch(() => {});
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }, { schema: DB_SCHEMA }) });
  globalForDb.__rollbackConsoleDb = { client, url };
  return client;
}

/**
 * The console's Prisma client, one per process. Lazy: importing this module touches neither the
 * environment nor the database, so `next build` and tests that set DATABASE_URL later both work.
 * @see https://www.prisma.io/docs/orm/overview/databases/postgresql#using-the-node-postgres-driver
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    // Not a promise: `await db` or a framework probing for `then` must not open a pool.
    if (property === 'then') return undefined;
    const client = getDb();
    const value = Reflect.get(client, property, client) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
  has(_target, property) {
    return Reflect.has(getDb(), property);
  },
});
