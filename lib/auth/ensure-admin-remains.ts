import 'server-only';
import { AppError } from '@/lib/errors';

type Tx = { user: { count(args: { where: { role: string; disabled: boolean; id: { not: string } } }): Promise<number> } };

/**
 * Refuses a change that would leave no enabled admin: nobody could then manage users, and the
 * only way back would be editing the database by hand.
 */
export async function ensureAdminRemains(options: { tx: Tx; exceptUserId: string }): Promise<void> {
  const others = await options.tx.user.count({ where: { role: 'admin', disabled: false, id: { not: options.exceptUserId } } });
  if (others === 0) throw new AppError('precondition_failed', 'This is the last enabled admin. Make someone else admin first.');
}
