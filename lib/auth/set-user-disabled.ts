import 'server-only';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { auditLog } from '@/lib/actions/audit-log';
import { ensureAdminRemains } from '@/lib/auth/ensure-admin-remains';

export type SetUserDisabledOptions = { userId: string; disabled: boolean; actor: { id: string; name: string } };

/** Disables or re-enables a person. A disabled person is signed out on their next request. */
export async function setUserDisabled(options: SetUserDisabledOptions): Promise<{ disabled: boolean }> {
  if (options.userId === options.actor.id && options.disabled) {
    throw new AppError('precondition_failed', 'You cannot disable your own account.');
  }
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: options.userId } });
    if (!user) throw new AppError('not_found', 'That user no longer exists.');
    if (options.disabled && user.role === 'admin' && !user.disabled) await ensureAdminRemains({ tx, exceptUserId: user.id });
    await tx.user.update({ where: { id: user.id }, data: { disabled: options.disabled } });
    auditLog({
      action: options.disabled ? 'user.disabled' : 'user.enabled',
      actor: options.actor,
      target: user.email,
      before: { disabled: user.disabled },
      after: { disabled: options.disabled },
    });
    return { disabled: options.disabled };
  });
}
