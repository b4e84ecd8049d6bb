import 'server-only';
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { kubeClients } from '@/lib/k8s/client';
import { describeApiError } from '@/lib/k8s/result';
import { backoffDelay } from './backoff';
import { slimObject } from './slim-object';
import type { LiveKind, LiveMessage, LiveObject, LiveStatus } from './types';

/**
 * One list+watch of (kind, namespace, selector) against the API server, shared by every viewer
 * of this server process. Re-lists after any watch error (and on 410 Gone) with jittered
 * back-off, so an API-server outage ends with a fresh, complete snapshot for every subscriber.
 *
 * Written on `Watch` rather than `makeInformer` because the informer stops for good on its
 * first error and does not tell when a re-list succeeded; the page needs both to show and
 * clear its "API server unreachable" banner.
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */

const LIST_TIMEOUT_MS = 10_000;
const WATCH_CONNECT_TIMEOUT_MS = 10_000;

type Listener = (message: LiveMessage) => void;

export type SharedWatchOptions = {
  kind: LiveKind;
  /** '' = all namespaces. */
  namespace: string;
  /** '' = no label selector. */
  selector: string;
};

export class SharedWatch {
  readonly kind: LiveKind;
  readonly namespace: string;
  readonly selector: string;
  private objects = new Map<string, LiveObject>();
  private resourceVersion = '';
  private synced = false;
  private status: LiveStatus = { state: 'connecting', since: Date.now() };
  private readonly listeners = new Set<Listener>();
  private stopped = false;
  private attempt = 0;
  private abortWatch: (() => void) | undefined;
  private wake: (() => void) | undefined;
  /** Counters for tests and the benchmark. */
  readonly counters = { lists: 0, watches: 0, errors: 0 };

  constructor(options: SharedWatchOptions) {
    this.kind = options.kind;
    this.namespace = options.namespace;
    this.selector = options.selector;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.abortWatch?.();
    this.wake?.();
    this.listeners.clear();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The snapshot a new subscriber starts from. */
  snapshot(): Extract<LiveMessage, { type: 'SNAPSHOT' }> | undefined {
    if (!this.synced) return undefined;
    return { type: 'SNAPSHOT', items: [...this.objects.values()], resourceVersion: this.resourceVersion, status: this.status };
  }

  currentStatus(): LiveStatus {
    return this.status;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  addListener(listener: Listener): void {
    this.listeners.add(listener);
  }

  removeListener(listener: Listener): void {
    this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private emit(message: LiveMessage): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch {
        // One broken subscriber must not starve the others.
      }
    }
  }

  private setStatus(state: LiveStatus['state'], message?: string): void {
    if (this.status.state === state && this.status.message === message) return;
    this.status = message === undefined ? { state, since: Date.now() } : { state, message, since: Date.now() };
    this.emit({ type: 'STATUS', status: this.status });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        const started = Date.now();
        await this.watchOnce();
        this.attempt = 0;
        // A server that ends every watch at once must not make us spin.
        if (Date.now() - started < 1_000) await this.sleep(1_000);
      } catch (error) {
        if (this.stopped) return;
        this.counters.errors += 1;
        const gone = (error as { code?: number }).code === 410;
        // After any error, start again from a fresh list: events may have been missed.
        this.resourceVersion = '';
        if (gone) continue;
        this.setStatus('error', describeWatchError(error));
        await this.sleep(backoffDelay({ attempt: this.attempt++, baseMs: 500, maxMs: 15_000 }));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      timer.unref?.();
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async relist(): Promise<void> {
    this.counters.lists += 1;
    const list = await withTimeout(listObjects(this), LIST_TIMEOUT_MS, 'listing');
    if (this.stopped) return;
    const objects = new Map<string, LiveObject>();
    for (const item of list.items) {
      // The generated clients return class instances with Date fields: back to wire JSON first.
      const clean = slimObject(this.kind, JSON.parse(JSON.stringify(item)));
      objects.set(keyOf(clean), clean);
    }
    this.objects = objects;
    this.resourceVersion = list.resourceVersion;
    this.synced = true;
    this.status = { state: 'live', since: Date.now() };
    this.emit({ type: 'SNAPSHOT', items: [...objects.values()], resourceVersion: this.resourceVersion, status: this.status });
  }

  private watchOnce(): Promise<void> {
    this.counters.watches += 1;
    const kc: KubeConfig = kubeClients().kc;
    const watch = new Watch(kc);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let controller: AbortController | undefined;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        this.abortWatch = undefined;
        controller?.abort();
        if (error) reject(error);
        else resolve();
      };
      const connectTimer = setTimeout(
        () => finish(new Error(`the API server did not answer the watch within ${WATCH_CONNECT_TIMEOUT_MS / 1000} s`)),
        WATCH_CONNECT_TIMEOUT_MS,
      );
      this.abortWatch = () => finish();
      const params: Record<string, string | number | boolean> = {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        // The API server ends the watch after this; we resume from the last resourceVersion.
        timeoutSeconds: 240 + Math.floor(Math.random() * 120),
      };
      if (this.selector) params.labelSelector = this.selector;
      watch
        .watch(
          pathFor(this),
          params,
          (type: string, object: LiveObject & { code?: number }) => {
            if (settled) return;
            if (type === 'ERROR') {
              finish(Object.assign(new Error(`watch error: ${String((object as { message?: string }).message ?? '')}`), { code: object.code }));
              return;
            }
            const rv = object?.metadata?.resourceVersion;
            if (rv) this.resourceVersion = rv;
            if (type === 'BOOKMARK') return;
            if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
            const clean = slimObject(this.kind, object);
            if (type === 'DELETED') this.objects.delete(keyOf(clean));
            else this.objects.set(keyOf(clean), clean);
            this.emit({ type, object: clean, at: Date.now() });
          },
          (err: unknown) => finish(err ?? undefined),
        )
        .then((c) => {
          controller = c;
          if (settled) c.abort();
          else {
            clearTimeout(connectTimer);
            // The watch is open: if an earlier error is still shown, it is over now.
            if (this.status.state !== 'live') this.setStatus('live');
          }
        })
        .catch((err: unknown) => finish(err));
    });
  }
}

function keyOf(obj: LiveObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}


function pathFor(w: SharedWatchOptions): string {
  const ns = w.namespace ? `/namespaces/${encodeURIComponent(w.namespace)}` : '';
  switch (w.kind) {
    case 'pods':
      return `/api/v1${ns}/pods`;
    case 'events':
      return `/api/v1${ns}/events`;
    case 'deployments':
      return `/apis/apps/v1${ns}/deployments`;
    case 'replicasets':
      return `/apis/apps/v1${ns}/replicasets`;
  }
}

async function listObjects(w: SharedWatchOptions): Promise<{ items: unknown[]; resourceVersion: string }> {
  const { core, apps } = kubeClients();
  const labelSelector = w.selector || undefined;
  const namespace = w.namespace;
  type L = { items: unknown[]; metadata?: { resourceVersion?: string } };
  let list: L;
  switch (w.kind) {
    case 'pods':
      list = namespace ? await core.listNamespacedPod({ namespace, labelSelector }) : await core.listPodForAllNamespaces({ labelSelector });
      break;
    case 'events':
      list = namespace
        ? await core.listNamespacedEvent({ namespace, labelSelector })
        : await core.listEventForAllNamespaces({ labelSelector });
      break;
    case 'deployments':
      list = namespace
        ? await apps.listNamespacedDeployment({ namespace, labelSelector })
        : await apps.listDeploymentForAllNamespaces({ labelSelector });
      break;
    case 'replicasets':
      list = namespace
        ? await apps.listNamespacedReplicaSet({ namespace, labelSelector })
        : await apps.listReplicaSetForAllNamespaces({ labelSelector });
      break;
  }
  return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API server did not answer ${what} within ${ms / 1000} s`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

function describeWatchError(error: unknown): string {
  const { status, message } = describeApiError(error);
  if (status === 401 || status === 403) return `The console may not watch ${'this'} resource (HTTP ${status}): ${message}`;
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || /ECONNREFUSED|fetch failed|socket hang up|ECONNRESET/.test(message)) {
    return `The Kubernetes API server is unreachable (${message}); retrying`;
  }
  return `The Kubernetes API server is not answering: ${message}; retrying`;
}
