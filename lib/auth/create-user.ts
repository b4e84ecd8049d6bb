import 'server-only';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { hashPassword } from '@/lib/auth/password';
import { auditLog } from '@/lib/actions/audit-log';
import type { Role } from '@/lib/auth/permissions';

export type CreateUserOptions = {
  email: string;
  name: string;
  role: Role;
  password: string;
  actor: { id: string; name: string };
};

/** Creates a person who signs in with email and password. */
export async function createUser(options: CreateUserOptions): Promise<{ id: string }> {
  const email = options.email.trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  // Why: emails identify people at sign-in; a second row would make one of them unreachable.
  if (existing) throw new AppError('conflict', `A user with email ${email} already exists.`, { fieldErrors: { email: ['Already in use'] } });
  const user = await db.user.create({
    data: { email, name: options.name.trim(), role: options.role, passwordHash: await hashPassword(options.password) },
  });
  auditLog({ action: 'user.created', actor: options.actor, target: email, after: { role: user.role, disabled: false } });
  return { id: user.id };
}
