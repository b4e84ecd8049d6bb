import 'server-only';
import type { V1Pod } from '@kubernetes/client-node';
import { kubeClients, type K8sActor } from './client';
import { kubectlCommands } from './kubectl';
import { mergeLogLines, parseLogText, type LogLine } from './log-lines';
import { k8sFail, k8sFailFromError, k8sOk, type K8sResult } from './result';

export type GetPodLogsOptions = {
  namespace: string;
  /** One pod by name, or every pod matching `selector` (like `kubectl logs -l`). */
  pod?: string | undefined;
  selector?: string | undefined;
  /** Defaults to the pod's first container. */
  container?: string | undefined;
  /** Lines from the end, per pod (kubectl's --tail; with -l kubectl defaults to 10). */
  tailLines?: number | undefined;
  timestamps?: boolean | undefined;
  sinceSeconds?: number | undefined;
  previous?: boolean | undefined;
  /** At most this many pods when selecting by label (kubectl's --max-log-requests, default 5). */
  maxPods?: number | undefined;
  actor?: K8sActor | undefined;
};

/** Resolves the pods and containers a log request is about (shared with followPodLogs). */
export async function resolveLogTargets(
  c: ReturnType<typeof kubeClients>,
  opts: Pick<GetPodLogsOptions, 'namespace' | 'pod' | 'selector' | 'container' | 'maxPods'>,
): Promise<{ pod: string; container: string }[]> {
  let pods: V1Pod[];
  if (opts.pod) pods = [await c.core.readNamespacedPod({ namespace: opts.namespace, name: opts.pod })];
  else pods = (await c.core.listNamespacedPod({ namespace: opts.namespace, labelSelector: opts.selector || undefined })).items;
  pods.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return pods.slice(0, opts.pod ? 1 : (opts.maxPods ?? 20)).map((p) => ({
    pod: p.metadata?.name ?? '',
    container: opts.container ?? p.spec?.containers?.[0]?.name ?? '',
  }));
}

/**
 * Runbook step 7: `kubectl logs -l app=orchestrator --tail=100 --timestamps`. Lines of several
 * pods are merged in time order when timestamps are on.
 */
export async function getPodLogs(opts: GetPodLogsOptions): Promise<K8sResult<{ lines: LogLine[]; pods: string[] }>> {
  const tail = opts.tailLines ?? (opts.pod ? undefined : 10);
  const kubectl = [kubectlCommands.logs({ ...opts, tail })];
  if (!opts.pod && !opts.selector) return k8sFail('Invalid', 'give a pod name or a label selector', kubectl);
  try {
    const c = kubeClients({ actor: opts.actor });
    const targets = await resolveLogTargets(c, opts);
    const timestamps = opts.timestamps === true;
    const groups = await Promise.all(
      targets.map(async (t) => {
        try {
          const text = await c.core.readNamespacedPodLog({
            namespace: opts.namespace,
            name: t.pod,
            container: t.container,
            tailLines: tail,
            timestamps: timestamps || undefined,
            sinceSeconds: opts.sinceSeconds,
            previous: opts.previous || undefined,
          });
          return parseLogText(typeof text === 'string' ? text : String(text ?? ''), { ...t, timestamps });
        } catch (err) {
          // A pod that went away (or has no previous container) between list and read: skip it, like kubectl with -l.
          if (!opts.pod) return [];
          throw err;
        }
      }),
    );
    return k8sOk({ lines: mergeLogLines(groups), pods: targets.map((t) => t.pod) }, kubectl);
  } catch (err) {
    return k8sFailFromError(err, kubectl, `logs in ${opts.namespace}`);
  }
}
