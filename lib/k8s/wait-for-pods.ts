import 'server-only';
import { Watch, type V1Pod } from '@kubernetes/client-node';
import { kubeClients, type K8sActor } from './client';
import { kubectlCommands } from './kubectl';
import { isPodReady, summarizePod, type PodSummary } from './pod-summary';
import { k8sFailFromError, k8sOk, type K8sResult } from './result';

export type WaitProgress = { total: number; ready: number; remaining: string[]; elapsedMs: number };

export type WaitForPodsOptions = {
  namespace: string;
  /** Label selector, e.g. `app=orchestrator`. */
  selector: string;
  /** `delete`: no matching pod left. `ready`: at least one pod, all Ready (and `minReady` if given). */
  condition: 'delete' | 'ready';
  /** Ready only: how many Ready pods are expected (e.g. the replicas just scaled to). */
  minReady?: number | undefined;
  timeoutMs: number;
  onProgress?: ((p: WaitProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  actor?: K8sActor | undefined;
};

export type WaitForPodsResult = {
  satisfied: boolean;
  /** Set when not satisfied: timed out or aborted, with what was still missing. */
  message: string | null;
  elapsedMs: number;
  pods: PodSummary[];
};

function evaluate(pods: Map<string, V1Pod>, opts: WaitForPodsOptions, started: number): { done: boolean; progress: WaitProgress } {
  const list = [...pods.values()];
  const ready = list.filter(isPodReady).length;
  const remaining = opts.condition === 'delete' ? list.map((p) => p.metadata?.name ?? '') : list.filter((p) => !isPodReady(p)).map((p) => p.metadata?.name ?? '');
  const done =
    opts.condition === 'delete' ? list.length === 0 : list.length > 0 && remaining.length === 0 && ready >= (opts.minReady ?? 1);
  return { done, progress: { total: list.length, ready, remaining: remaining.sort(), elapsedMs: Date.now() - started } };
}

/**
 * Runbook step 5: `kubectl wait --for=delete|condition=ready pod -l … --timeout=…`, with a
 * progress callback. One LIST, then a WATCH from its resourceVersion (re-listed if the watch
 * drops), so waiting costs the API server one connection, not a poll per second. Unlike kubectl,
 * waiting for `ready` with no pod yet keeps waiting (pods appear after a scale up).
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_wait/
 */
export async function waitForPods(opts: WaitForPodsOptions): Promise<K8sResult<WaitForPodsResult>> {
  const kubectl = [kubectlCommands.waitForPods({ ...opts, timeoutSeconds: Math.ceil(opts.timeoutMs / 1000) })];
  const started = Date.now();
  const c = kubeClients({ actor: opts.actor });
  const deadline = started + opts.timeoutMs;
  const pods = new Map<string, V1Pod>();
  let lastProgress = '';
  const report = (p: WaitProgress) => {
    const key = `${p.total}/${p.ready}/${p.remaining.join(',')}`;
    if (key !== lastProgress) {
      lastProgress = key;
      opts.onProgress?.(p);
    }
  };
  const finish = (satisfied: boolean, message: string | null) =>
    k8sOk({ satisfied, message, elapsedMs: Date.now() - started, pods: [...pods.values()].map(summarizePod).sort((a, b) => a.name.localeCompare(b.name)) }, kubectl);
  try {
    while (true) {
      const list = await c.core.listNamespacedPod({ namespace: opts.namespace, labelSelector: opts.selector });
      pods.clear();
      for (const p of list.items) pods.set(p.metadata?.name ?? '', p);
      let state = evaluate(pods, opts, started);
      report(state.progress);
      if (state.done) return finish(true, null);
      if (opts.signal?.aborted) return finish(false, 'aborted');
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) break;
      // Watch until satisfied, timed out, aborted, or the connection drops (then re-list).
      const outcome = await new Promise<'done' | 'timeout' | 'aborted' | 'dropped'>((resolve) => {
        let controller: AbortController | undefined;
        let settled = false;
        const settle = (o: 'done' | 'timeout' | 'aborted' | 'dropped') => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          controller?.abort();
          resolve(o);
        };
        const timer = setTimeout(() => settle('timeout'), remainingMs);
        const onAbort = () => settle('aborted');
        opts.signal?.addEventListener('abort', onAbort);
        new Watch(c.kc)
          .watch(
            `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/pods`,
            { labelSelector: opts.selector, resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
            (type, obj: V1Pod) => {
              const name = obj?.metadata?.name;
              if (!name || type === 'BOOKMARK') return;
              if (type === 'DELETED') pods.delete(name);
              else if (type === 'ADDED' || type === 'MODIFIED') pods.set(name, obj);
              else if (type === 'ERROR') return settle('dropped');
              state = evaluate(pods, opts, started);
              report(state.progress);
              if (state.done) settle('done');
            },
            () => settle('dropped'),
          )
          .then((ctl) => {
            controller = ctl;
            if (settled) ctl.abort();
          })
          .catch(() => settle('dropped'));
      });
      if (outcome === 'done') return finish(true, null);
      if (outcome === 'aborted') return finish(false, 'aborted');
      if (outcome === 'timeout') break;
      // dropped: loop to re-list (a short pause so a failing API server is not hammered)
      await new Promise((r) => setTimeout(r, 200));
    }
    const { progress } = evaluate(pods, opts, started);
    const what = opts.condition === 'delete' ? `${progress.total} pod(s) still present` : `${progress.ready} of ${progress.total} pod(s) ready`;
    return finish(false, `timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for pods ${opts.selector} to be ${opts.condition === 'delete' ? 'deleted' : 'ready'}: ${what}${progress.remaining.length ? ` (${progress.remaining.join(', ')})` : ''}`);
  } catch (err) {
    return k8sFailFromError(err, kubectl, `wait for pods ${opts.selector} in ${opts.namespace}`);
  }
}
