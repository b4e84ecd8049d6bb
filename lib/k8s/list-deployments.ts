import 'server-only';
import { kubeClients, type K8sActor } from './client';
import { toDeploymentView, type DeploymentView } from './deployment-view';
import { kubectlCommands } from './kubectl';
import { podTrouble } from './pod-trouble';
import { k8sFailFromError, k8sOk, type K8sResult } from './result';

export type ListDeploymentsOptions = { namespace?: string | undefined; actor?: K8sActor | undefined };

/**
 * Deployments of one namespace (or all), with their health, sorted by namespace then name.
 * Health also weighs the pods (one extra list): a release that OOMKills its pods after a
 * "successful" rollout is exactly what the commander must see as unhealthy.
 */
export async function listDeployments(opts: ListDeploymentsOptions = {}): Promise<K8sResult<DeploymentView[]>> {
  const kubectl = [kubectlCommands.listDeployments(opts), opts.namespace ? `kubectl get pods -n ${opts.namespace}` : 'kubectl get pods -A'];
  try {
    const c = kubeClients({ actor: opts.actor });
    const list = opts.namespace
      ? await c.apps.listNamespacedDeployment({ namespace: opts.namespace })
      : await c.apps.listDeploymentForAllNamespaces();
    const pods = opts.namespace ? await c.core.listNamespacedPod({ namespace: opts.namespace }) : await c.core.listPodForAllNamespaces();
    const now = new Date();
    const views = list.items.map((d) => toDeploymentView(d, podTrouble(d, pods.items, now))).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return k8sOk(views, kubectl, { before: list.metadata?.resourceVersion, after: list.metadata?.resourceVersion });
  } catch (err) {
    return k8sFailFromError(err, kubectl, 'list deployments');
  }
}
