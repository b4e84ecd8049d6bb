import 'server-only';
import { subscribeLive } from './subscribe-live';
import type { LiveKind, LiveObject, LiveStatus } from './types';

/**
 * The current list from the shared watch, waiting for its first sync (up to `timeoutMs`).
 * Server components use it for the first render and lib/metrics for pod restarts: both then
 * cost the API server nothing beyond the one shared watch.
 */
export async function readLiveList(options: {
  kind: LiveKind;
  namespace?: string;
  selector?: string;
  timeoutMs?: number;
}): Promise<{ ok: true; items: LiveObject[]; resourceVersion: string; status: LiveStatus } | { ok: false; status: LiveStatus }> {
  return new Promise((resolve) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // `subscribeLive` may call the listener synchronously, before its result is assigned.
    const holder: { sub?: ReturnType<typeof subscribeLive> } = {};
    let pending: (() => void) | undefined;
    const finish = (value: Parameters<typeof resolve>[0]) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      resolve(value);
      if (holder.sub) holder.sub.unsubscribe();
      else pending = () => holder.sub?.unsubscribe();
    };
    holder.sub = subscribeLive({
      kind: options.kind,
      namespace: options.namespace,
      selector: options.selector,
      listener: (message) => {
        if (message.type === 'SNAPSHOT') {
          finish({ ok: true, items: message.items, resourceVersion: message.resourceVersion, status: message.status });
        } else if (message.type === 'STATUS' && message.status.state === 'error') {
          finish({ ok: false, status: message.status });
        }
      },
    });
    pending?.();
    if (!done) {
      timer = setTimeout(
        () =>
          finish({
            ok: false,
            status: { state: 'error', message: 'The Kubernetes API server did not answer in time', since: Date.now() },
          }),
        options.timeoutMs ?? 5_000,
      );
    }
  });
}
