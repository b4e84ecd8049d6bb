'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { ROLES } from '@/lib/auth/permissions';
import { createUser as createUserOp } from '@/lib/auth/create-user';
import { changeUserRole as changeUserRoleOp } from '@/lib/auth/change-user-role';
import { setUserDisabled as setUserDisabledOp } from '@/lib/auth/set-user-disabled';
import { resetUserPassword as resetUserPasswordOp } from '@/lib/auth/reset-user-password';
import { saveConsoleSettings } from '@/lib/settings/save-console-settings';
import type { ConsoleSettings } from '@/lib/settings/console-settings';

const userId = z.string().min(1, 'Choose a user');
const password = z.string().min(10, 'At least 10 characters').max(200);

export const createUser = defineAction({
  name: 'createUser',
  permission: 'users.manage',
  input: z.object({
    email: z.email('Enter an email address'),
    name: z.string().trim().min(1, 'Enter a name').max(120),
    role: z.enum(ROLES, 'Choose a role'),
    password,
  }),
  run: async (input, { user }) => {
    const created = await createUserOp({ ...input, actor: { id: user.id, name: user.name } });
    revalidatePath('/settings');
    return created;
  },
});

export const changeUserRole = defineAction({
  name: 'changeUserRole',
  permission: 'users.manage',
  input: z.object({ userId, role: z.enum(ROLES, 'Choose a role') }),
  run: async (input, { user }) => {
    const result = await changeUserRoleOp({ ...input, actor: { id: user.id, name: user.name } });
    revalidatePath('/settings');
    return result;
  },
});

export const setUserDisabled = defineAction({
  name: 'setUserDisabled',
  permission: 'users.manage',
  input: z.object({ userId, disabled: z.boolean() }),
  run: async (input, { user }) => {
    const result = await setUserDisabledOp({ ...input, actor: { id: user.id, name: user.name } });
    revalidatePath('/settings');
    return result;
  },
});

export const resetUserPassword = defineAction({
  name: 'resetUserPassword',
  permission: 'users.manage',
  input: z.object({ userId, password: password.optional().or(z.literal('').transform(() => undefined)) }),
  run: async (input, { user }) => resetUserPasswordOp({ ...input, actor: { id: user.id, name: user.name } }),
});

/** Blank text means "use the runbook's default". */
const blank = (v: string | undefined) => v === undefined || v.trim() === '';

const settingsInput = z
  .object({
    stabilityWindowMinutes: z.string().max(10),
    smokeMethod: z.enum(['GET', 'POST']),
    smokePath: z.string().max(500),
    smokeBody: z.string().max(10_000),
    smokeExpectStatus: z.string().max(100),
    metricsWindow: z.string().max(20),
  })
  .superRefine((v, ctx) => {
    const minutes = Number(v.stabilityWindowMinutes);
    if (!blank(v.stabilityWindowMinutes) && (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)) {
      ctx.addIssue({ code: 'custom', path: ['stabilityWindowMinutes'], message: 'Whole minutes between 1 and 1440' });
    }
    if (!blank(v.smokePath) && !v.smokePath.trim().startsWith('/')) {
      ctx.addIssue({ code: 'custom', path: ['smokePath'], message: 'A path on the application, starting with /' });
    }
    if (!blank(v.smokeBody)) {
      try {
        JSON.parse(v.smokeBody);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['smokeBody'], message: 'Not valid JSON' });
      }
    }
    if (!blank(v.smokeExpectStatus) && !/^\s*[1-5]\d\d(\s*,\s*[1-5]\d\d)*\s*$/.test(v.smokeExpectStatus)) {
      ctx.addIssue({ code: 'custom', path: ['smokeExpectStatus'], message: 'HTTP statuses separated by commas, e.g. 200, 201' });
    }
    if (!blank(v.metricsWindow) && !/^[1-9][0-9]{0,4}(ms|s|m|h|d)$/.test(v.metricsWindow.trim())) {
      ctx.addIssue({ code: 'custom', path: ['metricsWindow'], message: 'A Prometheus duration such as 5m or 1h' });
    }
  })
  .transform((v): ConsoleSettings => ({
    stabilityWindowMinutes: blank(v.stabilityWindowMinutes) ? undefined : Number(v.stabilityWindowMinutes),
    smokeRequest: blank(v.smokePath)
      ? undefined
      : {
          method: v.smokeMethod,
          path: v.smokePath.trim(),
          ...(blank(v.smokeBody) ? {} : { body: JSON.parse(v.smokeBody) as unknown }),
          expectStatus: blank(v.smokeExpectStatus) ? [200, 201] : v.smokeExpectStatus.split(',').map((s) => Number(s.trim())),
        },
    metricsWindow: blank(v.metricsWindow) ? undefined : v.metricsWindow.trim(),
  }));

export const saveSettings = defineAction({
  name: 'saveSettings',
  permission: 'settings.manage',
  input: settingsInput,
  run: async (settings, { user }) => {
    const saved = await saveConsoleSettings({ settings, actor: { id: user.id, name: user.name } });
    revalidatePath('/settings');
    return saved;
  },
});
