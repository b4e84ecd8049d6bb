import 'server-only';
import { db } from '@/lib/db/client';

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
};

/** Everyone who can sign in, for the admin's users table. Never returns password hashes. */
export async function listUsers(): Promise<UserRow[]> {
  const rows = await db.user.findMany({ orderBy: [{ disabled: 'asc' }, { email: 'asc' }] });
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    hasPassword: Boolean(u.passwordHash),
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  }));
}
