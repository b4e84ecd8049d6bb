import 'server-only';
import { kubeClients, type K8sActor } from './client';
import { toDeploymentView, type DeploymentView } from './deployment-view';
import { kubectlCommands } from './kubectl';
import { k8sFailFromError, k8sOk, type K8sResult } from './result';

export type GetDeploymentStatusOptions = { namespace: string; name: string; actor?: K8sActor | undefined };

/**
 * A deployment's replicas, pause state, conditions, images, revision and the `kubectl rollout
 * status` judgement (complete, progressing, paused, stalled).
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status
 */
export async function getDeploymentStatus(opts: GetDeploymentStatusOptions): Promise<K8sResult<DeploymentView>> {
  const kubectl = [kubectlCommands.getDeployment(opts), kubectlCommands.rolloutStatus(opts)];
  try {
    const d = await kubeClients({ actor: opts.actor }).apps.readNamespacedDeployment({ namespace: opts.namespace, name: opts.name });
    const view = toDeploymentView(d);
    return k8sOk(view, kubectl, { before: view.resourceVersion, after: view.resourceVersion });
  } catch (err) {
    return k8sFailFromError(err, kubectl, `deployment ${opts.namespace}/${opts.name}`);
  }
}
