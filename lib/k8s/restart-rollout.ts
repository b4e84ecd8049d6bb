import 'server-only';
import { kubeClients } from './client';
import { toDeploymentView } from './deployment-view';
import { FIELD_MANAGER, patchAs, readForWrite, type DeploymentWriteResult, type WriteOptions } from './internal';
import { kubectlCommands } from './kubectl';
import { recordAnnotations } from './record-annotations';
import { k8sFail, k8sFailFromError, k8sOk, type K8sResult } from './result';

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

export type RestartRolloutOptions = WriteOptions & {
  namespace: string;
  name: string;
  expectedGeneration?: number | undefined;
  /** The restart time written into the template (defaults to now). */
  now?: Date | undefined;
};

/** Go's time.RFC3339 in UTC, as kubectl writes `restartedAt` (second precision). */
export function restartedAtValue(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Runbook step 6: new pods pick up a restored ConfigMap. Like `kubectl rollout restart`, sets the
 * pod template annotation `kubectl.kubernetes.io/restartedAt` (strategic-merge patch), which
 * makes a new revision; refused on a paused deployment, as kubectl does.
 * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/kubectl_rollout_restart/
 */
export async function restartRollout(opts: RestartRolloutOptions): Promise<K8sResult<DeploymentWriteResult & { restartedAt: string }>> {
  const record = recordAnnotations({ actor: opts.actor, reason: opts.reason, changeCause: true });
  const kubectl = [kubectlCommands.rolloutRestart(opts)];
  if (Object.keys(record).length > 0) kubectl.push(kubectlCommands.annotate({ ...opts, kind: 'deployment', annotations: record }));
  try {
    const c = kubeClients({ actor: opts.actor });
    const read = await readForWrite(c, opts, kubectl);
    if (!read.ok) return read.failure;
    const before = read.deployment.metadata?.resourceVersion;
    if (read.deployment.spec?.paused) {
      return k8sFail('PreconditionFailed', `can't restart paused deployment "${opts.name}" (resume it first)`, kubectl);
    }
    const restartedAt = restartedAtValue(opts.now ?? new Date());
    const body: Record<string, unknown> = { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: restartedAt } } } } };
    const metadata: Record<string, unknown> = {};
    if (Object.keys(record).length > 0) metadata.annotations = record;
    if (opts.expectedResourceVersion !== undefined) metadata.resourceVersion = before;
    if (Object.keys(metadata).length > 0) body.metadata = metadata;
    const after = await c.apps.patchNamespacedDeployment(
      { namespace: opts.namespace, name: opts.name, body, fieldManager: FIELD_MANAGER, dryRun: opts.dryRun ? 'All' : undefined },
      patchAs.strategic(),
    );
    return k8sOk({ changed: true, dryRun: opts.dryRun === true, restartedAt, deployment: toDeploymentView(after) }, kubectl, {
      before,
      after: after.metadata?.resourceVersion,
    });
  } catch (err) {
    return k8sFailFromError(err, kubectl, `restart deployment ${opts.namespace}/${opts.name}`);
  }
}
