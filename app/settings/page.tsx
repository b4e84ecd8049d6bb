import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { RoleBadge } from '@/components/shell/role-badge';
import { can, ROLE_LABELS, ROLE_PERMISSIONS, ROLES } from '@/lib/auth/permissions';
import { requirePageUser } from '@/lib/auth/session';
import { listUsers } from '@/lib/auth/list-users';
import { UsersAdmin } from '@/app/settings/users-admin';
import { SettingsForm } from '@/app/settings/settings-form';
import { loadConsoleSettings } from '@/lib/settings/load-console-settings';
import { env } from '@/lib/env';

export const metadata = { title: 'Settings' };

/** Admin settings: people and their roles. Refuses, in words, anyone who cannot manage users. */
export default async function SettingsPage() {
  const user = await requirePageUser({ path: '/settings' });
  const manageUsers = can(user.role, 'users.manage');
  const manageSettings = can(user.role, 'settings.manage');
  if (!manageUsers && !manageSettings) {
    return (
      <div className="mx-auto max-w-lg py-12" data-testid="settings-refused">
        <h1 className="text-xl font-semibold">Settings are for administrators</h1>
        <Alert tone="warning" className="mt-3">
          You are signed in as <strong>{user.name}</strong> with the role <strong>{user.role}</strong>, which cannot manage users or
          settings. Ask an admin if you need a different role.
        </Alert>
      </div>
    );
  }
  const [users, settings] = await Promise.all([manageUsers ? listUsers() : [], manageSettings ? loadConsoleSettings() : {}]);
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold">Settings</h1>
        <p className="text-sm text-slate-600">People who can sign in, and what their role lets them do. Changes apply on their next click.</p>
      </div>
      {manageUsers && <UsersAdmin users={users} currentUserId={user.id} />}
      {manageSettings && (
        <SettingsForm
          settings={settings}
          defaults={{ stabilityWindowMinutes: env().STABILITY_WINDOW_MINUTES, smokeMethod: 'POST', smokePath: '/api/v1/workflows', metricsWindow: '5m' }}
        />
      )}
      <Card title="Roles" description="One table of permissions (lib/auth/permissions.ts); the server enforces it on every action.">
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1.5 pr-3 font-medium">Role</th>
                <th className="py-1.5 font-medium">Permissions</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {ROLES.map((role) => (
                <tr key={role}>
                  <td className="py-2 pr-3 align-top">
                    <RoleBadge role={role} />
                    <div className="mt-1 text-xs text-slate-500">{ROLE_LABELS[role]}</div>
                  </td>
                  <td className="py-2">
                    <div className="flex flex-wrap gap-1">
                      {ROLE_PERMISSIONS[role].map((p) => (
                        <code key={p} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                          {p}
                        </code>
                      ))}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
