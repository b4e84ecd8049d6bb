/**
 * HTTP watches: newline-delimited `{"type","object"}` events, headers flushed at once (kubectl
 * waits for them), replay from `resourceVersion`, bookmarks when `allowWatchBookmarks=true`,
 * `timeoutSeconds`, Tables when kubectl asks for them (`kubectl get -w`). One store watcher per
 * HTTP watch; an event object is serialised once and shared by every JSON watcher.
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- objects are arbitrary Kubernetes JSON */
import type http from 'node:http';
import { StoreError, type KubeObject, type Store, type WatchEvent } from '../store';
import { statusBody } from './errors';
import { apiVersionOf, type ResourceDef } from './resources';
import { toTable, wantsTable } from './tables';

/** A slow client that stops reading is disconnected rather than buffered without limit. */
const MAX_BUFFERED = 16 * 1024 * 1024;
const DEFAULT_TIMEOUT_S = 30 * 60;

const jsonCache = new WeakMap<object, string>();

function objectJson(def: ResourceDef, o: KubeObject, present: (o: KubeObject) => KubeObject): string {
  // Cached per frozen stored object; the presented form depends on the served version, which is
  // the stored one for all but HPA v1 (not cached).
  if (o.apiVersion !== apiVersionOf(def) || o.kind !== def.kind) return JSON.stringify(present(o));
  let s = jsonCache.get(o);
  if (s === undefined) jsonCache.set(o, (s = JSON.stringify(o)));
  return s;
}

export function serveWatch(ctx: {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  store: Store;
  def: ResourceDef;
  storage: string;
  namespace?: string;
  query: URLSearchParams;
  present: (o: KubeObject) => KubeObject;
  bookmarkIntervalMs: number;
}) {
  const { req, res, store, def, query } = ctx;
  const table = wantsTable(req.headers.accept);
  const timeoutS = query.has('timeoutSeconds') ? Number(query.get('timeoutSeconds')) : DEFAULT_TIMEOUT_S;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  // Node keeps headers until the first body write; kubectl waits for them before it prints anything.
  res.flushHeaders();

  let closed = false;
  let unwatch: (() => void) | undefined;
  let first = true;
  const timers: NodeJS.Timeout[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    unwatch?.();
    for (const t of timers) clearTimeout(t);
    res.end();
  };

  const write = (line: string) => {
    if (closed) return;
    res.write(line);
    if (res.writableLength > MAX_BUFFERED) close();
  };

  const send = (e: WatchEvent) => {
    if (table) {
      const shown = ctx.present(e.object);
      const t = toTable(def.resource, [shown], { resourceVersion: shown.metadata.resourceVersion, include: (query.get('includeObject') as any) ?? 'Metadata', noHeaders: !first });
      first = false;
      write(`{"type":"${e.type}","object":${JSON.stringify(t)}}\n`);
      return;
    }
    write(`{"type":"${e.type}","object":${objectJson(def, e.object, ctx.present)}}\n`);
  };

  try {
    unwatch = store.watch(
      ctx.storage,
      {
        namespace: ctx.namespace,
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
        resourceVersion: query.get('resourceVersion') ?? undefined,
      },
      send,
    );
  } catch (e) {
    const known = e instanceof StoreError || (e as Error)?.name === 'StoreError';
    const code = known ? (e as StoreError).code : 500;
    const reason = known ? (e as StoreError).reason : 'InternalError';
    write(`{"type":"ERROR","object":${JSON.stringify(statusBody(code, reason, (e as Error).message))}}\n`);
    close();
    return;
  }

  if (query.get('sendInitialEvents') === 'true' || query.get('allowWatchBookmarks') === 'true') {
    const bookmark = (extra?: Record<string, string>) =>
      write(
        `{"type":"BOOKMARK","object":${JSON.stringify({
          kind: def.kind,
          apiVersion: apiVersionOf(def),
          metadata: { resourceVersion: store.currentResourceVersion(), ...(extra ? { annotations: extra } : {}) },
        })}}\n`,
      );
    if (query.get('sendInitialEvents') === 'true') bookmark({ 'k8s.io/initial-events-end': 'true' });
    if (query.get('allowWatchBookmarks') === 'true') {
      const tick = () => {
        bookmark();
        timers[0] = setTimeout(tick, ctx.bookmarkIntervalMs);
      };
      timers[0] = setTimeout(tick, ctx.bookmarkIntervalMs);
    }
  }
  if (Number.isFinite(timeoutS) && timeoutS > 0) timers.push(setTimeout(close, timeoutS * 1000));
  req.on('close', close);
  res.on('close', close);
}
