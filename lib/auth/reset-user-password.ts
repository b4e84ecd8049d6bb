import 'server-only';
import { randomBytes } from 'node:crypto';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { auditLog } from '@/lib/actions/audit-log';
import { hashPassword } from '@/lib/auth/password';

export type ResetUserPasswordOptions = {
  userId: string;
  /** The new password; when absent one is generated and returned once. */
  password?: string;
  actor: { id: string; name: string };
};

/** Sets a new password. A generated one is returned to be handed over; it is never stored in clear. */
export async function resetUserPassword(options: ResetUserPasswordOptions): Promise<{ generatedPassword?: string }> {
  const user = await db.user.findUnique({ where: { id: options.userId }, select: { id: true, email: true } });
  if (!user) throw new AppError('not_found', 'That user no longer exists.');
  const generated = options.password ? undefined : randomBytes(12).toString('base64url');
  const password = options.password ?? generated ?? '';
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  // Old and new values of a password are not logged, only that it changed and by whom.
  auditLog({ action: 'user.password-reset', actor: options.actor, target: user.email, after: { generated: Boolean(generated) } });
  return generated ? { generatedPassword: generated } : {};
}
