/**
 * What every server action returns. Expected failures are results, not throws, so the client
 * shows a message instead of Next's error page (CONVENTIONS.md §3).
 *
 * Plain module: client components import the type and the `isOk` helper.
 */
export type ActionError = {
  ok: false;
  /** 'unauthenticated' | 'forbidden' | 'invalid' | 'not_found' | 'conflict' | 'precondition_failed' | 'rate_limited' | 'unavailable' | 'internal' ... */
  code: string;
  /** A sentence safe to show to the person who clicked. */
  message: string;
  /** Per-field validation messages, keyed by input field name. */
  fieldErrors?: Record<string, string[]>;
};

export type ActionResult<T> = { ok: true; data: T } | ActionError;

export function ok<T>(data: T): ActionResult<T> {
  return { ok: true, data };
}

export function fail(code: string, message: string, fieldErrors?: Record<string, string[]>): ActionError {
  return fieldErrors ? { ok: false, code, message, fieldErrors } : { ok: false, code, message };
}

export function isOk<T>(result: ActionResult<T>): result is { ok: true; data: T } {
  return result.ok;
}
