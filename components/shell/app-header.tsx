import Link from 'next/link';
import type { SessionUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { NavLinks, type NavItem } from '@/components/shell/nav-links';
import { RoleBadge } from '@/components/shell/role-badge';
import { SignOutButton } from '@/components/shell/sign-out-button';

/** Sections a role sees in the navigation. Settings only for those who can manage something. */
export function navItemsFor(role: string): NavItem[] {
  const items: NavItem[] = [];
  if (can(role, 'incident.read')) items.push({ href: '/incidents', label: 'Incidents' });
  if (can(role, 'cluster.read')) items.push({ href: '/deployments', label: 'Deployments' });
  if (can(role, 'users.manage') || can(role, 'settings.manage')) items.push({ href: '/settings', label: 'Settings' });
  return items;
}

/** The dark top bar: product name, navigation, who is signed in and as what. */
export function AppHeader({ user }: { user: SessionUser | null }) {
  return (
    <header className="sticky top-0 z-30 border-b border-slate-950 bg-slate-900 text-slate-100 shadow">
      <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center gap-x-5 gap-y-1 px-3 py-2 sm:px-5">
        <Link href="/" className="flex items-center gap-2 py-1 text-sm font-semibold tracking-tight text-white">
          <span aria-hidden className="grid size-6 place-items-center rounded bg-red-600 text-xs font-bold">
            ↺
          </span>
          Rollback Console
        </Link>
        {user && (
          <div className="order-last w-full sm:order-none sm:w-auto">
            <NavLinks items={navItemsFor(user.role)} />
          </div>
        )}
        {user && (
          <div className="ml-auto flex min-w-0 items-center gap-2 text-sm" data-testid="current-user">
            <span className="hidden truncate text-slate-200 sm:inline" title={user.email}>
              {user.name}
            </span>
            <RoleBadge role={user.role} />
            <SignOutButton />
          </div>
        )}
      </div>
    </header>
  );
}
