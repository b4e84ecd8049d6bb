import 'server-only';
import { kubeClients, type K8sActor } from './client';
import { kubectlCommands } from './kubectl';
import { summarizePod, type PodSummary } from './pod-summary';
import { k8sFailFromError, k8sOk, type K8sResult } from './result';

export type ListPodsOptions = { namespace: string; selector?: string | undefined; actor?: K8sActor | undefined };

/** Pods as `kubectl get pods -l …` shows them (phase, ready, restarts, age, image, status reason like CrashLoopBackOff). */
export async function listPods(opts: ListPodsOptions): Promise<K8sResult<{ pods: PodSummary[]; resourceVersion: string }>> {
  const kubectl = [kubectlCommands.getPods(opts)];
  try {
    const list = await kubeClients({ actor: opts.actor }).core.listNamespacedPod({ namespace: opts.namespace, labelSelector: opts.selector || undefined });
    const pods = list.items.map(summarizePod).sort((a, b) => a.name.localeCompare(b.name));
    const rv = list.metadata?.resourceVersion ?? '';
    return k8sOk({ pods, resourceVersion: rv }, kubectl, { before: rv, after: rv });
  } catch (err) {
    return k8sFailFromError(err, kubectl, `pods in ${opts.namespace}`);
  }
}
