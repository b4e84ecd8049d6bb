import 'server-only';
import { db } from '@/lib/db/client';
import { listEvents } from './list-events';
import { getTimelineListener, type TimelineListener } from './subscribe';
import { toEventView } from './to-event-view';

export type StreamTimelineEventsOptions = {
  incidentId: string;
  /** Replay events after this seq first (Last-Event-ID or ?after=); omitted = only new events. */
  afterSeq?: number;
  /** The request's signal: the stream is torn down when the browser goes away. */
  signal: AbortSignal;
  /** Defaults to this process's shared listener. */
  listener?: TimelineListener;
  /** A comment line keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
};

const BATCH = 500;

/**
 * A Server-Sent Events response carrying an incident's new timeline events as they commit
 * (`event: timeline`, `id: <seq>`, `data: <TimelineEventView JSON>`). EventSource resends the
 * last id on reconnect, so a dropped connection replays what it missed from the DB.
 * Notifications only say "something after seq N exists"; the events themselves are always read
 * from the DB in seq order, so none is sent twice or skipped, even if a NOTIFY was lost.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
export function streamTimelineEvents({ incidentId, afterSeq, signal, listener, heartbeatMs = 15_000 }: StreamTimelineEventsOptions): Response {
  const encoder = new TextEncoder();
  const source = listener ?? getTimelineListener();
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let lastSeq = afterSeq ?? -1;
  // Signals that arrive before the starting point is known only ask for a read once it is.
  let started = false;
  let chain: Promise<void> = Promise.resolve();
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;

  const cleanup = () => {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    if (heartbeat) clearInterval(heartbeat);
    try {
      controllerRef?.close();
    } catch {
      // already closed
    }
  };

  const write = (text: string) => {
    if (closed || !controllerRef) return;
    try {
      controllerRef.enqueue(encoder.encode(text));
    } catch {
      cleanup();
    }
  };

  // Reads are chained: one at a time, each starting after the last seq sent.
  const pump = () => {
    if (!started) return;
    chain = chain
      .then(async () => {
        while (!closed) {
          const events = await listEvents({ incidentId, afterSeq: Math.max(lastSeq, 0), limit: BATCH });
          for (const event of events) {
            if (event.seq <= lastSeq) continue;
            write(`id: ${event.seq}\nevent: timeline\ndata: ${JSON.stringify(toEventView(event))}\n\n`);
            lastSeq = event.seq;
          }
          if (events.length < BATCH) break;
        }
      })
      .catch((error: unknown) => {
        console.error('[timeline] stream read failed:', error instanceof Error ? error.message : String(error));
      });
  };

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controllerRef = controller;
      if (signal.aborted) return cleanup();
      signal.addEventListener('abort', cleanup, { once: true });
      write('retry: 2000\n: connected\n\n');
      unsubscribe = source.subscribe(incidentId, (s) => {
        if ('resync' in s || s.seq > lastSeq) pump();
      });
      heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
      heartbeat.unref?.();
      try {
        // LISTEN must be active before the first read, or an event committed in between is lost.
        await source.ready();
      } catch {
        // Postgres unreachable: the listener keeps retrying and sends `resync` when back.
      }
      if (lastSeq < 0) {
        const head = await db.timelineEvent.findFirst({ where: { incidentId }, orderBy: { seq: 'desc' }, select: { seq: true } });
        lastSeq = head?.seq ?? 0;
      }
      started = true;
      pump();
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
}
