import 'server-only';
import { kubeClients, type K8sActor } from './client';
import { kubectlCommands } from './kubectl';
import { k8sFailFromError, k8sOk, type K8sResult } from './result';
import { listOwnedReplicaSets, readDeployment } from './internal';
import { revisionOf } from './revision-rules';
import { toRevisionSummary, type RevisionSummary } from './revision-view';

export type ListRevisionsOptions = { namespace: string; name: string; actor?: K8sActor | undefined };

export type RevisionHistory = {
  deployment: { namespace: string; name: string; uid: string; resourceVersion: string; revision: number | null; paused: boolean };
  /** Highest revision first. */
  revisions: RevisionSummary[];
};

/**
 * The rollout history as kubectl computes it: ReplicaSets matching the deployment's selector and
 * controlled by its uid, numbered by their `deployment.kubernetes.io/revision` annotation.
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/history.go
 */
export async function listRevisions(opts: ListRevisionsOptions): Promise<K8sResult<RevisionHistory>> {
  const kubectl = [kubectlCommands.rolloutHistory(opts)];
  try {
    const c = kubeClients({ actor: opts.actor });
    const d = await readDeployment(c, opts.namespace, opts.name);
    const owned = await listOwnedReplicaSets(c, d);
    const revisions = owned.filter((rs) => revisionOf(rs) !== undefined).map((rs) => toRevisionSummary(rs, d));
    const rv = d.metadata?.resourceVersion ?? '';
    return k8sOk(
      {
        deployment: { namespace: opts.namespace, name: opts.name, uid: d.metadata?.uid ?? '', resourceVersion: rv, revision: revisionOf(d) ?? null, paused: d.spec?.paused === true },
        revisions,
      },
      kubectl,
      { before: rv, after: rv },
    );
  } catch (err) {
    return k8sFailFromError(err, kubectl, `rollout history of deployment ${opts.namespace}/${opts.name}`);
  }
}
