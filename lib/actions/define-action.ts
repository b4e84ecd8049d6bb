import 'server-only';
import { randomUUID } from 'node:crypto';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { getSessionUser, type SessionUser } from '@/lib/auth/session';
import { requirePermission, type Permission } from '@/lib/auth/permissions';
import { isAppError } from '@/lib/errors';
import { fail, type ActionResult } from '@/lib/actions/result';

export type ActionContext = { user: SessionUser };

export type ActionDefinition<S extends z.ZodType, T> = {
  /** The exported name, e.g. 'pauseRollout'. The authorization test checks it matches the export. */
  name: string;
  /** The permission the caller's role must grant (lib/auth/permissions.ts). */
  permission: Permission;
  /** Validates the input; failures come back as `invalid` with fieldErrors, and nothing runs. */
  input: S;
  /** The work. Throw AppError for expected failures, or return a result from `fail()`. */
  run: (input: z.output<S>, ctx: ActionContext) => Promise<T | ActionResult<T>>;
};

/** The function a client component calls. FormData works too (forms, useActionState). */
export type ServerAction<S extends z.ZodType, T> = (input: z.input<S> | FormData, ...rest: unknown[]) => Promise<ActionResult<T>>;

/** Marks functions built here, so tooling can tell them from hand-written actions. */
export const DEFINED_ACTION = Symbol.for('rollback-console.defineAction');

/**
 * Builds a server action with the checks every action needs, in this order:
 * 1. the session user is re-read from the database: nobody → `unauthenticated`;
 * 2. the role must grant `permission` → else `forbidden` (before validation, so a caller
 *    without the right learns nothing about the input and the authorization test can probe
 *    every action with an empty input);
 * 3. the input is parsed with zod → `invalid` with fieldErrors, nothing changed;
 * 4. `run`; AppError → `{ ok: false, code, message }`; anything else is logged and returned as
 *    `internal` with a generic message (never a 500, never a stack trace to the browser).
 *
 * Use it in an `actions.ts` beside the route, marked 'use server':
 * `export const pauseRollout = defineAction({ name: 'pauseRollout', permission: 'rollback.execute', input, run })`.
 */
export function defineAction<S extends z.ZodType, T>(definition: ActionDefinition<S, T>): ServerAction<S, T> {
  const action = async (...args: unknown[]): Promise<ActionResult<T>> => {
    let user: SessionUser | null = null;
    try {
      user = await getSessionUser();
      requirePermission(user, definition.permission);

      const parsed = definition.input.safeParse(toPlainInput(args));
      if (!parsed.success) {
        const flat = z.flattenError(parsed.error);
        const fieldErrors = Object.fromEntries(
          Object.entries(flat.fieldErrors as Record<string, string[] | undefined>).filter((e): e is [string, string[]] => !!e[1]?.length),
        );
        const message = flat.formErrors[0] ?? 'Some fields need attention.';
        return fail('invalid', message, fieldErrors);
      }

      const value = await definition.run(parsed.data, { user });
      if (isActionResult<T>(value)) return value;
      return { ok: true, data: value };
    } catch (error) {
      // redirect(), notFound() and friends are control flow, not failures.
      unstable_rethrow(error);
      if (isAppError(error)) return fail(error.code, error.message, error.fieldErrors);
      const mapped = mapDatabaseError(error);
      if (mapped) return mapped;
      const ref = randomUUID().slice(0, 8);
      // The input is not logged: it may hold passwords or tokens.
      console.error(`[action ${definition.name}] failed (ref ${ref}, user ${user?.id ?? 'anonymous'}):`, describe(error));
      return fail('internal', `Something went wrong on the server (ref ${ref}). Nothing was reported as changed; check the state and try again.`);
    }
  };
  Object.defineProperty(action, DEFINED_ACTION, { value: { name: definition.name, permission: definition.permission } });
  return action as ServerAction<S, T>;
}

/** The action's input: the FormData or object among the arguments (useActionState passes state first). */
function toPlainInput(args: unknown[]): unknown {
  const formData = args.find((a): a is FormData => typeof FormData !== 'undefined' && a instanceof FormData);
  if (formData) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of formData.entries()) {
      if (key.startsWith('$ACTION')) continue;
      const existing = out[key];
      if (existing === undefined) out[key] = value;
      else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    return out;
  }
  return args[0] ?? {};
}

function isActionResult<T>(value: unknown): value is ActionResult<T> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const v = value as { ok: unknown; data?: unknown; code?: unknown; message?: unknown };
  return (v.ok === true && 'data' in v) || (v.ok === false && typeof v.code === 'string' && typeof v.message === 'string');
}

/** Prisma's known request errors that mean an expected failure. */
function mapDatabaseError(error: unknown): ActionResult<never> | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'P2025') return fail('not_found', 'That record no longer exists.');
  if (code === 'P2002') return fail('conflict', 'That already exists.');
  if (code === 'P2034') return fail('conflict', 'Someone else changed this at the same time. Reload and try again.');
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
