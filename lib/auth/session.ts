import 'server-only';
import { cache } from 'react';
import { getServerSession } from 'next-auth';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db/client';
import { getAuthOptions } from '@/lib/auth/options';
import { isRole, requirePermission, type Permission, type Role } from '@/lib/auth/permissions';

/** The signed-in person as the server sees them right now. */
export type SessionUser = { id: string; email: string; name: string; role: Role };

/**
 * The signed-in user, re-read from the User table on every call (deduplicated per request), so
 * a role change or a disabled account takes effect on the very next request, whatever the
 * session cookie says. Null when nobody is signed in, the user no longer exists or is disabled.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  // Read the request first: it marks the page as dynamic during `next build` (a session page is
  // never prerendered) before anything can fail for want of runtime configuration.
  await cookies();
  const session = await getServerSession(getAuthOptions());
  const id = (session?.user as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string' || !id) return null;
  const row = await db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, disabled: true },
  });
  if (!row || row.disabled || !isRole(row.role)) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
});

/**
 * For pages: the signed-in user, or a redirect to the sign-in page that comes back to `path`.
 * With `permission`, throws AuthorizationError('forbidden') when the role lacks it; pages that
 * prefer a friendly refusal check `can()` themselves instead.
 */
export async function requirePageUser(options: { path: string; permission?: Permission }): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(options.path)}`);
  if (options.permission) requirePermission(user, options.permission);
  return user;
}
