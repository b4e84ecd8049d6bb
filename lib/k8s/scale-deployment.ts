import 'server-only';
import { kubeClients } from './client';
import { toDeploymentView } from './deployment-view';
import { FIELD_MANAGER, patchAs, readForWrite, type DeploymentWriteResult, type WriteOptions } from './internal';
import { kubectlCommands } from './kubectl';
import { recordAnnotations } from './record-annotations';
import { k8sFail, k8sFailFromError, k8sOk, type K8sResult } from './result';

export type ScaleDeploymentOptions = WriteOptions & { namespace: string; name: string; replicas: number; expectedGeneration?: number | undefined };

/**
 * Runbook step 5: `kubectl scale deployment X --replicas=N` — a merge patch of the `scale`
 * subresource (so RBAC on `deployments/scale` is enough), then who asked and why as annotations
 * on the deployment (a metadata-only patch: no new revision).
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_scale/
 */
export async function scaleDeployment(opts: ScaleDeploymentOptions): Promise<K8sResult<DeploymentWriteResult & { previousReplicas: number; replicas: number }>> {
  const record = recordAnnotations({ actor: opts.actor, reason: opts.reason, changeCause: false });
  const kubectl = [kubectlCommands.scale({ ...opts, resourceVersion: opts.expectedResourceVersion })];
  if (Object.keys(record).length > 0) kubectl.push(kubectlCommands.annotate({ ...opts, kind: 'deployment', annotations: record }));
  if (!Number.isInteger(opts.replicas) || opts.replicas < 0) {
    return k8sFail('Invalid', `replicas must be a whole number ≥ 0 (got ${opts.replicas})`, kubectl);
  }
  try {
    const c = kubeClients({ actor: opts.actor });
    const read = await readForWrite(c, opts, kubectl);
    if (!read.ok) return read.failure;
    const before = read.deployment.metadata?.resourceVersion;
    const previousReplicas = read.deployment.spec?.replicas ?? 1;
    const body: Record<string, unknown> = { spec: { replicas: opts.replicas } };
    // kubectl scale --resource-version puts the precondition in the Scale's metadata the same way.
    if (opts.expectedResourceVersion !== undefined) body.metadata = { resourceVersion: before };
    await c.apps.patchNamespacedDeploymentScale(
      { namespace: opts.namespace, name: opts.name, body, fieldManager: FIELD_MANAGER, dryRun: opts.dryRun ? 'All' : undefined },
      patchAs.merge(),
    );
    if (opts.dryRun) {
      const view = toDeploymentView(read.deployment);
      return k8sOk({ changed: false, dryRun: true, previousReplicas, replicas: opts.replicas, deployment: { ...view, replicas: { ...view.replicas, desired: opts.replicas } } }, kubectl, { before, after: before });
    }
    const after =
      Object.keys(record).length > 0
        ? await c.apps.patchNamespacedDeployment({ namespace: opts.namespace, name: opts.name, body: { metadata: { annotations: record } }, fieldManager: FIELD_MANAGER }, patchAs.merge())
        : await c.apps.readNamespacedDeployment({ namespace: opts.namespace, name: opts.name });
    return k8sOk({ changed: previousReplicas !== opts.replicas, dryRun: false, previousReplicas, replicas: opts.replicas, deployment: toDeploymentView(after) }, kubectl, {
      before,
      after: after.metadata?.resourceVersion,
    });
  } catch (err) {
    return k8sFailFromError(err, kubectl, `scale deployment ${opts.namespace}/${opts.name}`);
  }
}
