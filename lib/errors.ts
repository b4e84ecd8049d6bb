/**
 * Typed application errors. Domain code throws these for *expected* failures (a missing row, a
 * stale precondition, a conflicting change); `defineAction` and `guardRoute` turn them into
 * results and HTTP statuses, so the user sees a plain message and never a 500.
 *
 * Plain module (no `server-only`): client components may import the code types.
 *
 * @see https://github.com/documenso/documenso/blob/main/packages/lib/errors/app-error.ts
 */

/** Codes shown to callers. Stable strings: clients and tests switch on them. */
export type AppErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'invalid'
  | 'rate_limited'
  | 'unavailable';

/** The HTTP status each code maps to in route handlers. */
export const APP_ERROR_STATUS: Record<AppErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  invalid: 400,
  rate_limited: 429,
  unavailable: 503,
};

/** An expected failure whose message is safe to show to the signed-in user. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly fieldErrors?: Record<string, string[]>;

  constructor(code: AppErrorCode, message: string, options?: { fieldErrors?: Record<string, string[]>; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = options?.fieldErrors;
  }
}

/** Thrown by `requirePermission`: nobody signed in, or the role lacks the permission. */
export class AuthorizationError extends AppError {
  constructor(code: 'unauthenticated' | 'forbidden', message: string) {
    super(code, message);
    this.name = 'AuthorizationError';
  }
}

/** True for AppError and its subclasses, also across module copies in different bundles. */
export function isAppError(error: unknown): error is AppError {
  return (
    error instanceof AppError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name !== undefined &&
      ['AppError', 'AuthorizationError'].includes(String((error as { name?: unknown }).name)) &&
      typeof (error as { code?: unknown }).code === 'string' &&
      (error as { code: string }).code in APP_ERROR_STATUS)
  );
}
