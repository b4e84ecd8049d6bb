import 'server-only';
import { kubeClients, type K8sActor } from './client';
import { kubectlCommands } from './kubectl';
import { k8sFail, k8sFailFromError, k8sOk, type K8sResult } from './result';
import { listOwnedReplicaSets, readDeployment } from './internal';
import { revisionOf } from './revision-rules';
import { toRevisionSummary, type RevisionSummary } from './revision-view';
import { summarizeTemplate, type TemplateSummary } from './template-diff';

export type GetRevisionOptions = { namespace: string; name: string; revision: number; actor?: K8sActor | undefined };

/** One revision's detail, like `kubectl rollout history --revision=N`, with a people-facing summary (sensitive env values masked). */
export async function getRevision(opts: GetRevisionOptions): Promise<K8sResult<RevisionSummary & { summary: TemplateSummary }>> {
  const kubectl = [kubectlCommands.rolloutHistory(opts)];
  try {
    const c = kubeClients({ actor: opts.actor });
    const d = await readDeployment(c, opts.namespace, opts.name);
    const rs = (await listOwnedReplicaSets(c, d)).find((r) => revisionOf(r) === opts.revision);
    if (!rs) return k8sFail('NotFound', `unable to find the requested revision ${opts.revision} of deployment "${opts.name}"`, kubectl);
    const summary = toRevisionSummary(rs, d);
    return k8sOk({ ...summary, summary: summarizeTemplate(rs.spec?.template, summary.desiredReplicas) }, kubectl, {
      before: d.metadata?.resourceVersion,
      after: d.metadata?.resourceVersion,
    });
  } catch (err) {
    return k8sFailFromError(err, kubectl, `revision ${opts.revision} of deployment ${opts.namespace}/${opts.name}`);
  }
}
