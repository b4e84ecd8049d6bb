/**
 * The demo's four sign-ins, one per role. Used by `npm run demo` (and the browser tests).
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { compare, hash } from 'bcryptjs';
import { PrismaClient } from '../../lib/generated/prisma/client';

export type DemoRole = 'commander' | 'viewer' | 'author' | 'admin';

/** The demo users, in the order the launcher prints them. */
export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: DemoRole }> = [
  { email: 'commander@demo.local', name: 'Casey Commander', role: 'commander' },
  { email: 'viewer@demo.local', name: 'Vic Viewer', role: 'viewer' },
  { email: 'author@demo.local', name: 'Ari Author', role: 'author' },
  { email: 'admin@demo.local', name: 'Ada Admin', role: 'admin' },
];

/** bcrypt cost of the demo hashes (lower than production's: four hashes at every start). */
const COST = 10;

export type SeededUser = { email: string; name: string; role: DemoRole; change: 'created' | 'updated' | 'unchanged' };

/**
 * Creates or updates the four demo users so each signs in with `password` and has its role,
 * enabled. Idempotent: a second run with the same password changes nothing; a new password
 * replaces the hashes. Uses DATABASE_URL unless `databaseUrl` is given.
 */
export async function seedDemoUsers(options: { password: string; databaseUrl?: string }): Promise<SeededUser[]> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!url) throw new Error('seedDemoUsers: no database URL (set DATABASE_URL or pass databaseUrl)');
  if (options.password.length < 8) throw new Error('The demo password must be at least 8 characters');
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }, { schema: 'rollback_console' }) });
  try {
    const results: SeededUser[] = [];
    for (const user of DEMO_USERS) {
      const existing = await client.user.findUnique({ where: { email: user.email } });
      if (!existing) {
        await client.user.create({ data: { ...user, passwordHash: await hash(options.password, COST) } });
        results.push({ ...user, change: 'created' });
        continue;
      }
      const passwordOk = existing.passwordHash ? await compare(options.password, existing.passwordHash) : false;
      const same = passwordOk && existing.role === user.role && existing.name === user.name && !existing.disabled;
      if (same) {
        results.push({ ...user, change: 'unchanged' });
        continue;
      }
      await client.user.update({
        where: { email: user.email },
        data: {
          name: user.name,
          role: user.role,
          disabled: false,
          ...(passwordOk ? {} : { passwordHash: await hash(options.password, COST) }),
        },
      });
      results.push({ ...user, change: 'updated' });
    }
    return results;
  } finally {
    await client.$disconnect();
  }
}
