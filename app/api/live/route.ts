import { guardRoute } from '@/lib/auth/guard-route';
import { env } from '@/lib/env';
import { createLiveStream, parseLiveParams } from '@/lib/live/create-live-stream';

/**
 * GET /api/live?kind=pods|deployments|replicasets|events&namespace=NS&selector=app%3Dx
 * Server-Sent Events from the shared watch (lib/live): SNAPSHOT, then ADDED / MODIFIED /
 * DELETED and STATUS events, heartbeat comments every 15 s; the stream ends after ~10 minutes
 * and the browser reconnects, re-checking the session. Anonymous → one 401 (JSON), which
 * tells the browser hook to stop retrying; a role without cluster.read → 403.
 */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = guardRoute('cluster.read', async (request) => {
  const parsed = parseLiveParams(new URL(request.url).searchParams);
  if (!parsed.ok) return Response.json({ ok: false, code: 'invalid', message: parsed.message }, { status: 400 });
  const body = createLiveStream({
    kind: parsed.kind,
    namespace: parsed.namespace,
    selector: parsed.selector,
    signal: request.signal,
    // Streams end every 10 minutes (scaled by CLOCK_SPEED in tests and demos) so that the browser
    // reconnects and the session is checked again: a signed-out user stops receiving cluster state.
    maxAgeMs: Math.max(5_000, 600_000 / env().CLOCK_SPEED),
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and friends: do not buffer the stream.
      'x-accel-buffering': 'no',
    },
  });
});
