import 'server-only';
import { kubeClients } from './client';
import { toDeploymentView } from './deployment-view';
import { FIELD_MANAGER, patchAs, readForWrite, type DeploymentWriteResult, type WriteOptions } from './internal';
import { kubectlCommands } from './kubectl';
import { recordAnnotations } from './record-annotations';
import { k8sFailFromError, k8sOk, type K8sResult } from './result';

export type SetRolloutPausedOptions = WriteOptions & { namespace: string; name: string; expectedGeneration?: number | undefined };

/**
 * The one patch behind `kubectl rollout pause` (`spec.paused: true`) and `kubectl rollout resume`
 * (`spec.paused: null`, the field removed), plus who asked and why as annotations. A deployment
 * already in the wanted state is left alone (`changed: false`), as kubectl does.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#pausing-and-resuming-a-deployment
 */
export async function setRolloutPaused(opts: SetRolloutPausedOptions, paused: boolean): Promise<K8sResult<DeploymentWriteResult>> {
  const record = recordAnnotations({ actor: opts.actor, reason: opts.reason, changeCause: false });
  const kubectl = [paused ? kubectlCommands.rolloutPause(opts) : kubectlCommands.rolloutResume(opts)];
  if (Object.keys(record).length > 0) kubectl.push(kubectlCommands.annotate({ ...opts, kind: 'deployment', annotations: record }));
  try {
    const c = kubeClients({ actor: opts.actor });
    const read = await readForWrite(c, opts, kubectl);
    if (!read.ok) return read.failure;
    const before = read.deployment.metadata?.resourceVersion;
    if (Boolean(read.deployment.spec?.paused) === paused) {
      return k8sOk({ changed: false, dryRun: opts.dryRun === true, deployment: toDeploymentView(read.deployment) }, kubectl, { before, after: before });
    }
    const body: Record<string, unknown> = { spec: { paused: paused ? true : null } };
    const metadata: Record<string, unknown> = {};
    if (Object.keys(record).length > 0) metadata.annotations = record;
    if (opts.expectedResourceVersion !== undefined) metadata.resourceVersion = before;
    if (Object.keys(metadata).length > 0) body.metadata = metadata;
    const after = await c.apps.patchNamespacedDeployment(
      { namespace: opts.namespace, name: opts.name, body, fieldManager: FIELD_MANAGER, dryRun: opts.dryRun ? 'All' : undefined },
      patchAs.strategic(),
    );
    return k8sOk({ changed: true, dryRun: opts.dryRun === true, deployment: toDeploymentView(after) }, kubectl, { before, after: after.metadata?.resourceVersion });
  } catch (err) {
    return k8sFailFromError(err, kubectl, `${paused ? 'pause' : 'resume'} deployment ${opts.namespace}/${opts.name}`);
  }
}
