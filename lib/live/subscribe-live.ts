import 'server-only';
import { SharedWatch } from './shared-watch';
import type { LiveKind, LiveMessage, LiveStatus } from './types';

/**
 * The registry of shared watches: ONE SharedWatch per (kind, namespace, selector) per server
 * process, reference-counted. A watch lingers for a while after its last subscriber leaves,
 * so a page reload or a viewer hopping between pages does not cost a fresh list.
 * @see ARCHITECTURE.md "Live state"
 */

type Registry = {
  watches: Map<string, { watch: SharedWatch; refs: number; stopTimer?: ReturnType<typeof setTimeout> }>;
  lingerMs: number;
};

// On globalThis: the route handlers and server components of a Next server are separate
// bundles, and each must find the same watches.
const KEY = Symbol.for('rollback-console.live-registry');
function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (g[KEY] ??= { watches: new Map(), lingerMs: 30_000 });
}

/** Too many distinct selectors would be a way to make the console hammer the API server. */
const MAX_WATCHES = 200;

export type LiveSubscription = {
  /** Stop receiving messages; the shared watch stops `lingerMs` after its last subscriber. */
  unsubscribe(): void;
  /** The current snapshot, or undefined before the first list succeeded. */
  snapshot(): Extract<LiveMessage, { type: 'SNAPSHOT' }> | undefined;
  status(): LiveStatus;
};

export function liveKey(options: { kind: LiveKind; namespace?: string; selector?: string }): string {
  return JSON.stringify([options.kind, options.namespace ?? '', normalizeSelector(options.selector ?? '')]);
}

/** `app = x , tier=y` and `app=x,tier=y` are the same watch. */
export function normalizeSelector(selector: string): string {
  return selector
    .split(',')
    .map((part) => part.trim().replace(/\s*(!=|==|=)\s*/, '$1'))
    .filter(Boolean)
    .join(',');
}

/**
 * Subscribes `listener` to the live list of (kind, namespace, selector). If the shared watch
 * has already synced, the listener gets a SNAPSHOT at once (synchronously); otherwise a STATUS
 * 'connecting' and the SNAPSHOT when the first list arrives. Then ADDED/MODIFIED/DELETED and
 * STATUS messages, and a new SNAPSHOT after every re-list.
 */
export function subscribeLive(options: {
  kind: LiveKind;
  namespace?: string;
  selector?: string;
  listener: (message: LiveMessage) => void;
}): LiveSubscription {
  const reg = registry();
  const key = liveKey(options);
  let entry = reg.watches.get(key);
  if (!entry) {
    if (reg.watches.size >= MAX_WATCHES) {
      // Drop lingering watches nobody uses before refusing.
      for (const [k, e] of reg.watches) if (e.refs === 0) stopEntry(k);
    }
    if (reg.watches.size >= MAX_WATCHES) throw new Error(`too many distinct live watches (${MAX_WATCHES})`);
    const watch = new SharedWatch({
      kind: options.kind,
      namespace: options.namespace ?? '',
      selector: normalizeSelector(options.selector ?? ''),
    });
    entry = { watch, refs: 0 };
    reg.watches.set(key, entry);
    watch.start();
  }
  if (entry.stopTimer) {
    clearTimeout(entry.stopTimer);
    entry.stopTimer = undefined;
  }
  entry.refs += 1;
  const { watch } = entry;
  watch.addListener(options.listener);
  const first = watch.snapshot();
  options.listener(first ?? { type: 'STATUS', status: watch.currentStatus() });

  let active = true;
  return {
    unsubscribe() {
      if (!active) return;
      active = false;
      watch.removeListener(options.listener);
      const e = registry().watches.get(key);
      if (!e || e.watch !== watch) return;
      e.refs -= 1;
      if (e.refs <= 0) {
        e.refs = 0;
        e.stopTimer = setTimeout(() => stopEntry(key), registry().lingerMs);
        e.stopTimer.unref?.();
      }
    },
    snapshot: () => watch.snapshot(),
    status: () => watch.currentStatus(),
  };
}

function stopEntry(key: string): void {
  const reg = registry();
  const e = reg.watches.get(key);
  if (!e || e.refs > 0) return;
  e.watch.stop();
  reg.watches.delete(key);
}

/** What is running: for tests, the benchmark and a health page. */
export function liveStats(): {
  watches: number;
  subscribers: number;
  entries: { key: string; refs: number; listeners: number; lists: number; watchRequests: number; errors: number }[];
} {
  const entries = [...registry().watches.entries()].map(([key, e]) => ({
    key,
    refs: e.refs,
    listeners: e.watch.listenerCount,
    lists: e.watch.counters.lists,
    watchRequests: e.watch.counters.watches,
    errors: e.watch.counters.errors,
  }));
  return { watches: entries.length, subscribers: entries.reduce((n, e) => n + e.refs, 0), entries };
}

/** Tests shorten the linger; `stopAllLiveWatches` ends everything (test teardown, shutdown). */
export function setLiveLinger(ms: number): void {
  registry().lingerMs = ms;
}

export function stopAllLiveWatches(): void {
  const reg = registry();
  for (const e of reg.watches.values()) {
    if (e.stopTimer) clearTimeout(e.stopTimer);
    e.watch.stop();
  }
  reg.watches.clear();
}
