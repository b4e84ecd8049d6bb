import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import { getSessionUser, type SessionUser } from '@/lib/auth/session';
import { requirePermission, type Permission } from '@/lib/auth/permissions';
import { APP_ERROR_STATUS, isAppError } from '@/lib/errors';

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type GuardedHandler<C> = (request: Request, ctx: C & { user: SessionUser }) => Promise<Response> | Response;

/**
 * Wraps a route handler with the session and permission check, and maps errors to JSON
 * responses: 401 anonymous, 403 forbidden, AppError codes to their statuses, anything else 500
 * with a generic message. The authorization test finds mutating routes by their exports and
 * reads the permission from this call.
 *
 * `export const POST = guardRoute('timeline.note', async (request, { user, params }) => ...)`
 */
export function guardRoute<C extends RouteContext = RouteContext>(permission: Permission, handler: GuardedHandler<C>) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      const user = await getSessionUser();
      requirePermission(user, permission);
      return await handler(request, { ...context, user });
    } catch (error) {
      unstable_rethrow(error);
      if (isAppError(error)) {
        return Response.json({ ok: false, code: error.code, message: error.message }, { status: APP_ERROR_STATUS[error.code] });
      }
      console.error(`[route ${new URL(request.url).pathname}] failed:`, error instanceof Error ? error.stack : String(error));
      return Response.json({ ok: false, code: 'internal', message: 'Something went wrong on the server.' }, { status: 500 });
    }
  };
}
