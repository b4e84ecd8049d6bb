import 'server-only';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { auditLog } from '@/lib/actions/audit-log';
import { ensureAdminRemains } from '@/lib/auth/ensure-admin-remains';
import type { Role } from '@/lib/auth/permissions';

export type ChangeUserRoleOptions = { userId: string; role: Role; actor: { id: string; name: string } };

/** Changes a person's role; it applies on their next request (roles are re-read every time). */
export async function changeUserRole(options: ChangeUserRoleOptions): Promise<{ role: Role; previousRole: string }> {
  // Why: an admin demoting themselves by mistake loses the page they would need to undo it.
  if (options.userId === options.actor.id) throw new AppError('precondition_failed', 'You cannot change your own role. Ask another admin.');
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: options.userId } });
    if (!user) throw new AppError('not_found', 'That user no longer exists.');
    if (user.role === 'admin' && options.role !== 'admin' && !user.disabled) await ensureAdminRemains({ tx, exceptUserId: user.id });
    await tx.user.update({ where: { id: user.id }, data: { role: options.role } });
    auditLog({ action: 'user.role-changed', actor: options.actor, target: user.email, before: { role: user.role }, after: { role: options.role } });
    return { role: options.role, previousRole: user.role };
  });
}
