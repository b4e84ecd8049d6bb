'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { ROLES } from '@/lib/auth/permissions';
import { createUser as createUserOp } from '@/lib/auth/create-user';
import { changeUserRole as changeUserRoleOp } from '@/lib/auth/change-user-role';
import { setUserDisabled as setUserDisabledOp } from '@/lib/auth/set-user-disabled';
import { resetUserPassword as resetUserPasswordOp } from '@/lib/auth/reset-user-password';

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
