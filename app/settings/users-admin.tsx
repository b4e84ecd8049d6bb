'use client';

import { useState, useTransition, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { ROLE_LABELS, ROLES, type Role } from '@/lib/auth/permissions';
import type { ActionResult } from '@/lib/actions/result';
import type { UserRow } from '@/lib/auth/list-users';
import { changeUserRole, createUser, resetUserPassword, setUserDisabled } from '@/app/settings/actions';

type Notice = { tone: 'success' | 'danger' | 'info'; text: string; secret?: string };

/** The users table with its controls, and the form to add someone. */
export function UsersAdmin({ users, currentUserId }: { users: UserRow[]; currentUserId: string }) {
  const [notice, setNotice] = useState<Notice | undefined>();
  const [pending, startTransition] = useTransition();
  const [busyId, setBusyId] = useState<string | undefined>();

  function run<T>(id: string, call: () => Promise<ActionResult<T>>, success: (data: T) => Notice) {
    setBusyId(id);
    startTransition(async () => {
      const result = await call();
      setNotice(result.ok ? success(result.data) : { tone: 'danger', text: result.message });
      setBusyId(undefined);
    });
  }

  return (
    <div className="space-y-5">
      {notice && (
        <Alert tone={notice.tone}>
          <span data-testid="settings-notice">{notice.text}</span>
          {notice.secret && (
            <code className="ml-2 select-all rounded bg-white px-1.5 py-0.5 font-mono text-sm ring-1 ring-slate-300" data-testid="generated-password">
              {notice.secret}
            </code>
          )}
        </Alert>
      )}
      <Card title="Users" description={`${users.length} people. Disabled people cannot sign in and are signed out on their next request.`}>
        {/* A list of rows rather than a table: on a phone each person wraps onto two lines. */}
        <div className="-mx-4 -my-4 text-sm" role="list">
          <div className="hidden bg-slate-50 px-4 py-2 text-xs font-medium text-slate-500 md:grid md:grid-cols-[minmax(0,1fr)_11rem_7rem_13rem] md:gap-4">
            <span>Person</span>
            <span>Role</span>
            <span>Status</span>
            <span className="text-right">Actions</span>
          </div>
          <div className="divide-y divide-slate-100">
            {users.map((u) => {
              const self = u.id === currentUserId;
              const busy = pending && busyId === u.id;
              return (
                <div
                  key={u.id}
                  role="listitem"
                  data-testid="user-row"
                  data-email={u.email}
                  className={`grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-4 gap-y-2 px-4 py-2.5 md:grid-cols-[minmax(0,1fr)_11rem_7rem_13rem] ${u.disabled ? 'bg-slate-50 text-slate-500' : ''}`}
                >
                  <div className="min-w-0">
                    <div className="truncate font-medium text-slate-900">
                      {u.name} {self && <span className="text-xs font-normal text-slate-500">(you)</span>}
                    </div>
                    <div className="truncate text-xs text-slate-500">{u.email}</div>
                  </div>
                  <div>
                    <label className="sr-only" htmlFor={`role-${u.id}`}>
                      Role of {u.email}
                    </label>
                    <Select
                      id={`role-${u.id}`}
                      value={u.role}
                      disabled={self || busy}
                      className="w-36 py-1 md:w-full"
                      title={self ? 'You cannot change your own role' : ROLE_LABELS[u.role as Role]}
                      onChange={(e) => {
                        const role = e.target.value as Role;
                        run(u.id, () => changeUserRole({ userId: u.id, role }), (d) => ({
                          tone: 'success',
                          text: `${u.email} is now ${d.role} (was ${d.previousRole}).`,
                        }));
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </Select>
                  </div>
                  <div className="flex flex-wrap gap-1">
                    {u.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>}
                    {!u.hasPassword && <Badge tone="neutral">SSO only</Badge>}
                  </div>
                  <div className="flex justify-end gap-1.5">
                    <Button
                      size="sm"
                      disabled={busy}
                      onClick={() =>
                        run(u.id, () => resetUserPassword({ userId: u.id }), (d) => ({
                          tone: 'info',
                          text: `New password for ${u.email} (shown once):`,
                          secret: d.generatedPassword,
                        }))
                      }
                    >
                      Reset password
                    </Button>
                    <Button
                      size="sm"
                      variant={u.disabled ? 'secondary' : 'danger'}
                      disabled={busy || (self && !u.disabled)}
                      onClick={() =>
                        run(u.id, () => setUserDisabled({ userId: u.id, disabled: !u.disabled }), (d) => ({
                          tone: 'success',
                          text: `${u.email} is ${d.disabled ? 'disabled' : 'enabled'}.`,
                        }))
                      }
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </Button>
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      </Card>
      <AddUserForm onDone={setNotice} />
    </div>
  );
}

function AddUserForm({ onDone }: { onDone: (n: Notice) => void }) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    startTransition(async () => {
      const result = await createUser({
        email: String(data.get('email') ?? ''),
        name: String(data.get('name') ?? ''),
        role: String(data.get('role') ?? '') as Role,
        password: String(data.get('password') ?? ''),
      });
      if (result.ok) {
        setErrors({});
        form.reset();
        onDone({ tone: 'success', text: `Added ${String(data.get('email'))}.` });
      } else {
        setErrors(result.fieldErrors ?? {});
        onDone({ tone: 'danger', text: result.message });
      }
    });
  }

  return (
    <Card title="Add a user" description="They sign in with this email and password; share the password out of band.">
      <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
        <Field label="Name" htmlFor="new-name" errors={errors.name}>
          <Input id="new-name" name="name" required />
        </Field>
        <Field label="Email" htmlFor="new-email" errors={errors.email}>
          <Input id="new-email" name="email" type="email" required />
        </Field>
        <Field label="Role" htmlFor="new-role" errors={errors.role}>
          <Select id="new-role" name="role" defaultValue="viewer">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Password" htmlFor="new-password" errors={errors.password}>
          <Input id="new-password" name="password" type="password" autoComplete="new-password" minLength={10} required />
        </Field>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Adding…' : 'Add user'}
        </Button>
      </form>
    </Card>
  );
}
