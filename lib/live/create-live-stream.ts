import 'server-only';
import { formatSseEvent } from './parse-sse';
import { subscribeLive } from './subscribe-live';
import type { LiveKind, LiveMessage } from './types';

// One message goes to every viewer of a watch: serialize and encode it once, not once per viewer.
const encoded = new WeakMap<LiveMessage, Uint8Array>();
const encoder = new TextEncoder();
function encodeMessage(message: LiveMessage): Uint8Array {
  let bytes = encoded.get(message);
  if (!bytes) {
    bytes = encoder.encode(formatSseEvent(message.type, message));
    encoded.set(message, bytes);
  }
  return bytes;
}

/**
 * The Server-Sent Events body of one viewer: the snapshot, then changes and status messages
 * of the shared watch, and a heartbeat comment every `heartbeatMs` so proxies keep the
 * connection open and the browser can tell a dead stream from a quiet one. Ends (and releases
 * the subscription) when `signal` aborts: Next does not call a stream's `cancel` on disconnect.
 * @see STACK-NOTES.md "Next.js details that matter here"
 */
export function createLiveStream(options: {
  kind: LiveKind;
  namespace?: string;
  selector?: string;
  signal: AbortSignal;
  heartbeatMs?: number;
  /**
   * The stream ends after this long (±10%, so viewers do not all come back at once); the browser
   * reconnects at once and the route checks the session again, so a signed-out or disabled user
   * stops receiving cluster state within this time. Default 10 minutes.
   */
  maxAgeMs?: number;
}): ReadableStream<Uint8Array> {
  let cleanup: (() => void) | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (chunk: string | Uint8Array) => {
        if (closed) return;
        try {
          controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
        } catch {
          close();
        }
      };
      // Tell the browser how long to wait before its own reconnect (it uses its own back-off too).
      send('retry: 2000\n\n');
      const sub = subscribeLive({
        kind: options.kind,
        namespace: options.namespace,
        selector: options.selector,
        listener: (message) => send(encodeMessage(message)),
      });
      const heartbeat = setInterval(() => send(`: heartbeat ${Date.now()}\n\n`), options.heartbeatMs ?? 15_000);
      heartbeat.unref?.();
      const maxAge = (options.maxAgeMs ?? 10 * 60_000) * (0.9 + Math.random() * 0.2);
      const expiry = setTimeout(() => close(), maxAge);
      expiry.unref?.();
      function close() {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearTimeout(expiry);
        sub.unsubscribe();
        options.signal.removeEventListener('abort', close);
        try {
          controller.close();
        } catch {
          // already closed by the runtime
        }
      }
      cleanup = close;
      if (options.signal.aborted) close();
      else options.signal.addEventListener('abort', close);
    },
    cancel() {
      cleanup?.();
    },
  });
}

/** Query parameters of `/api/live`, validated: a label selector must not be a way in. */
export function parseLiveParams(
  params: URLSearchParams,
): { ok: true; kind: LiveKind; namespace: string; selector: string } | { ok: false; message: string } {
  const kind = params.get('kind') ?? '';
  if (!['pods', 'deployments', 'replicasets', 'events'].includes(kind)) {
    return { ok: false, message: 'kind must be one of pods, deployments, replicasets, events' };
  }
  const namespace = params.get('namespace') ?? '';
  if (namespace && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    return { ok: false, message: 'namespace is not a valid Kubernetes namespace name' };
  }
  const selector = params.get('selector') ?? '';
  if (selector.length > 256 || !/^[A-Za-z0-9_.\/=!,() -]*$/.test(selector)) {
    return { ok: false, message: 'selector is not a valid label selector' };
  }
  return { ok: true, kind: kind as LiveKind, namespace, selector };
}
