/** The demo's four users: created with their roles, idempotent, re-hashed on a new password. */
import { compare } from 'bcryptjs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoUsers } from '@/scripts/lib/seed';
import { createTestDatabase, type TestDatabase } from '@/tests/support/db';

let t: TestDatabase;

async function users(): Promise<Array<{ email: string; role: string; passwordHash: string; disabled: boolean }>> {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    const res = await client.query(`SELECT email, role, "passwordHash", disabled FROM rollback_console."User" ORDER BY email`);
    return res.rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe('seedDemoUsers', () => {
  it('creates one user per role whose password verifies', async () => {
    const seeded = await seedDemoUsers({ password: 'first-password', databaseUrl: t.url });
    expect(seeded.map((u) => [u.email, u.role, u.change])).toEqual([
      ['commander@demo.local', 'commander', 'created'],
      ['viewer@demo.local', 'viewer', 'created'],
      ['author@demo.local', 'author', 'created'],
      ['admin@demo.local', 'admin', 'created'],
    ]);
    const rows = await users();
    expect(rows.map((r) => [r.email, r.role])).toEqual([
      ['admin@demo.local', 'admin'],
      ['author@demo.local', 'author'],
      ['commander@demo.local', 'commander'],
      ['viewer@demo.local', 'viewer'],
    ]);
    for (const row of rows) {
      expect(row.passwordHash).toMatch(/^\$2[aby]\$10\$/);
      expect(await compare('first-password', row.passwordHash)).toBe(true);
    }
  });

  it('changes nothing when run again with the same password', async () => {
    const before = await users();
    const seeded = await seedDemoUsers({ password: 'first-password', databaseUrl: t.url });
    expect(seeded.every((u) => u.change === 'unchanged')).toBe(true);
    expect(await users()).toEqual(before);
  });

  it('replaces the hashes when the password changes, and restores a changed role', async () => {
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    await client.query(`UPDATE rollback_console."User" SET role = 'viewer', disabled = true WHERE email = 'commander@demo.local'`);
    await client.end();

    const seeded = await seedDemoUsers({ password: 'second-password', databaseUrl: t.url });
    expect(seeded.every((u) => u.change === 'updated')).toBe(true);
    const rows = await users();
    const commander = rows.find((r) => r.email === 'commander@demo.local');
    expect(commander).toMatchObject({ role: 'commander', disabled: false });
    for (const row of rows) {
      expect(await compare('second-password', row.passwordHash)).toBe(true);
      expect(await compare('first-password', row.passwordHash)).toBe(false);
    }
  });
});
