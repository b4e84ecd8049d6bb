/**
 * Sign-in checks and the admin's user operations against the real console database: what a
 * person signing in, or an admin managing people, would notice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { db } from '@/lib/db/client';
import { verifyCredentials } from '@/lib/auth/verify-credentials';
import { createUser } from '@/lib/auth/create-user';
import { changeUserRole } from '@/lib/auth/change-user-role';
import { setUserDisabled } from '@/lib/auth/set-user-disabled';
import { resetUserPassword } from '@/lib/auth/reset-user-password';
import { listUsers } from '@/lib/auth/list-users';
import { AppError } from '@/lib/errors';
import { createTestDatabase, type TestDatabase } from '@/tests/support/db';

let t: TestDatabase;
const PASSWORD = 'correct horse battery';
let admin: { id: string; name: string };

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  resetEnvForTests();
  const created = await createUser({ email: 'Root@Example.test', name: 'Root Admin', role: 'admin', password: PASSWORD, actor: { id: 'test', name: 'test' } });
  admin = { id: created.id, name: 'Root Admin' };
});
afterAll(async () => {
  await db.$disconnect();
  await t?.drop();
});

async function expectAppError(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(AppError);
  await expect(promise).rejects.toMatchObject({ code });
}

describe('verifyCredentials', () => {
  it('accepts the right password, with the email in any case, and returns the role', async () => {
    const result = await verifyCredentials({ email: ' ROOT@example.test ', password: PASSWORD, ip: '10.0.0.1' });
    expect(result).toMatchObject({ ok: true, user: { email: 'root@example.test', role: 'admin' } });
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    expect(await verifyCredentials({ email: 'root@example.test', password: 'nope', ip: '10.0.0.2' })).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyCredentials({ email: 'ghost@example.test', password: PASSWORD, ip: '10.0.0.2' })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses after five failures for one email within a minute, even with the right password', async () => {
    await createUser({ email: 'target@example.test', name: 'Target', role: 'viewer', password: PASSWORD, actor: admin });
    for (let i = 0; i < 5; i++) {
      expect(await verifyCredentials({ email: 'target@example.test', password: `guess-${i}`, ip: `10.1.0.${i}` })).toMatchObject({ reason: 'invalid' });
    }
    const blocked = await verifyCredentials({ email: 'target@example.test', password: PASSWORD, ip: '10.1.1.1' });
    expect(blocked).toMatchObject({ ok: false, reason: 'rate_limited' });
    // A minute later (simulated clock) the right password works again.
    const later = await verifyCredentials({ email: 'target@example.test', password: PASSWORD, ip: '10.1.1.1', now: Date.now() + 61_000 });
    expect(later.ok).toBe(true);
  });

  it('refuses a disabled person only once their password is right', async () => {
    const { id } = await createUser({ email: 'leaver@example.test', name: 'Leaver', role: 'author', password: PASSWORD, actor: admin });
    await setUserDisabled({ userId: id, disabled: true, actor: admin });
    expect(await verifyCredentials({ email: 'leaver@example.test', password: 'wrong', ip: '10.2.0.1' })).toMatchObject({ reason: 'invalid' });
    expect(await verifyCredentials({ email: 'leaver@example.test', password: PASSWORD, ip: '10.2.0.1' })).toMatchObject({ reason: 'disabled' });
    await setUserDisabled({ userId: id, disabled: false, actor: admin });
    expect((await verifyCredentials({ email: 'leaver@example.test', password: PASSWORD, ip: '10.2.0.1' })).ok).toBe(true);
  });
});

describe('managing people', () => {
  it('refuses a second account with the same email', async () => {
    await expectAppError(createUser({ email: 'root@example.test', name: 'Again', role: 'viewer', password: PASSWORD, actor: admin }), 'conflict');
  });

  it('changes a role and lists it, never exposing password hashes', async () => {
    const { id } = await createUser({ email: 'mover@example.test', name: 'Mover', role: 'viewer', password: PASSWORD, actor: admin });
    expect(await changeUserRole({ userId: id, role: 'commander', actor: admin })).toEqual({ role: 'commander', previousRole: 'viewer' });
    const row = (await listUsers()).find((u) => u.id === id);
    expect(row).toMatchObject({ role: 'commander', hasPassword: true });
    expect(JSON.stringify(row)).not.toContain('$2');
  });

  it('never leaves the console without an enabled admin, and admins cannot demote or disable themselves', async () => {
    await expectAppError(changeUserRole({ userId: admin.id, role: 'viewer', actor: admin }), 'precondition_failed');
    await expectAppError(setUserDisabled({ userId: admin.id, disabled: true, actor: admin }), 'precondition_failed');
    // Another admin cannot remove the last one either.
    const other = await createUser({ email: 'second@example.test', name: 'Second', role: 'viewer', password: PASSWORD, actor: admin });
    await expectAppError(changeUserRole({ userId: admin.id, role: 'viewer', actor: { id: other.id, name: 'Second' } }), 'precondition_failed');
    await changeUserRole({ userId: other.id, role: 'admin', actor: admin });
    await expect(changeUserRole({ userId: admin.id, role: 'author', actor: { id: other.id, name: 'Second' } })).resolves.toMatchObject({ role: 'author' });
    await changeUserRole({ userId: admin.id, role: 'admin', actor: { id: other.id, name: 'Second' } });
  });

  it('resets a password to a generated one that signs in, and the old one stops working', async () => {
    const { id } = await createUser({ email: 'forgetful@example.test', name: 'Forgetful', role: 'viewer', password: PASSWORD, actor: admin });
    const { generatedPassword } = await resetUserPassword({ userId: id, actor: admin });
    expect(generatedPassword).toMatch(/^[\w-]{16}$/);
    expect((await verifyCredentials({ email: 'forgetful@example.test', password: generatedPassword!, ip: '10.3.0.1' })).ok).toBe(true);
    expect(await verifyCredentials({ email: 'forgetful@example.test', password: PASSWORD, ip: '10.3.0.1' })).toMatchObject({ reason: 'invalid' });
  });

  it('reports a user that no longer exists as not_found', async () => {
    await expectAppError(changeUserRole({ userId: 'missing', role: 'viewer', actor: admin }), 'not_found');
    await expectAppError(resetUserPassword({ userId: 'missing', actor: admin }), 'not_found');
  });
});
