/**
 * Roles and what each may do: the one table of permissions (ARCHITECTURE.md "Who uses it").
 * The server checks these inside every server action and mutating route; the UI reads the same
 * table only to hide controls a role could not use anyway.
 *
 * Plain module (no `server-only`): client components call `can()` to decide what to show.
 */
import { AuthorizationError } from '@/lib/errors';

export { AuthorizationError } from '@/lib/errors';

export const ROLES = ['commander', 'viewer', 'author', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'incident.read',
  'cluster.read',
  'timeline.note',
  'timeline.export',
  'incident.declare',
  'incident.update',
  'step.update',
  'rollback.execute',
  'sharelink.manage',
  'users.manage',
  'settings.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: readonly Permission[] = ['incident.read', 'cluster.read'];
const AUTHOR: readonly Permission[] = [...VIEWER, 'timeline.note', 'timeline.export'];
const COMMANDER: readonly Permission[] = [
  ...AUTHOR,
  'incident.declare',
  'incident.update',
  'step.update',
  'rollback.execute',
  'sharelink.manage',
];
// Admins manage people and settings but do not act on the cluster: running a rollback is the
// commander's job, and keeping the roles apart keeps the audit trail unambiguous.
const ADMIN: readonly Permission[] = ['incident.read', 'cluster.read', 'timeline.export', 'users.manage', 'settings.manage'];

/** The permission table. Changing a role's rights means changing this object and nothing else. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  author: AUTHOR,
  commander: COMMANDER,
  admin: ADMIN,
};

/** How each role is named to people (badges, the users table). */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  commander: 'Incident commander',
  viewer: 'Stakeholder (read-only)',
  author: 'Postmortem author',
  admin: 'Administrator',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` grants `permission`. Unknown roles grant nothing. */
export function can(role: string | null | undefined, permission: Permission): boolean {
  if (!isRole(role)) return false;
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** The minimum a permission check needs to know about a person. */
export type PermissionSubject = { id: string; role: string; name?: string; email?: string };

/**
 * Throws AuthorizationError unless `user` is signed in and their role grants `permission`.
 * Call it inside every server action and route handler: each one is reachable by a direct POST.
 * `defineAction` and `guardRoute` call it for you and turn the error into a result.
 */
export function requirePermission<U extends PermissionSubject>(
  user: U | null | undefined,
  permission: Permission,
): asserts user is U {
  if (!user) throw new AuthorizationError('unauthenticated', 'Sign in to do this.');
  if (!can(user.role, permission)) {
    throw new AuthorizationError('forbidden', `Your role (${user.role}) is not allowed to do this (needs ${permission}).`);
  }
}
