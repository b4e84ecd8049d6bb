import 'server-only';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { kubeClients, type K8sActor } from './client';
import { kubectl as kubectlLine, kubectlCommands } from './kubectl';
import { k8sFail, k8sFailFromError, k8sOk, type K8sResult } from './result';
import { listOwnedReplicaSets, readDeployment } from './internal';
import { DESIRED_REPLICAS_ANNOTATION, revisionOf } from './revision-rules';
import { diffTemplates, type TemplateDiff } from './template-diff';

/** A revision number, or `'live'` for the deployment's current template and replicas. */
export type DiffSide = number | 'live';

export type DiffRevisionsOptions = { namespace: string; name: string; from: DiffSide; to: DiffSide; actor?: K8sActor | undefined };

/**
 * What changes from one revision to another (or to/from the live template): images, env names,
 * ConfigMap and Secret references, resources, probes, replicas. Secret values are never read;
 * sensitive env values are masked.
 */
export async function diffRevisions(opts: DiffRevisionsOptions): Promise<K8sResult<TemplateDiff & { fromLabel: string; toLabel: string }>> {
  const side = (s: DiffSide) =>
    s === 'live' ? kubectlLine('get', 'deployment', opts.name, '-n', opts.namespace, '-o', 'yaml') : kubectlCommands.rolloutHistory({ ...opts, revision: s });
  const kubectl = [side(opts.from), side(opts.to)];
  try {
    const c = kubeClients({ actor: opts.actor });
    const d = await readDeployment(c, opts.namespace, opts.name);
    const owned = await listOwnedReplicaSets(c, d);
    const resolve = (s: DiffSide): { template: V1PodTemplateSpec | undefined; replicas: number | null } | undefined => {
      if (s === 'live') return { template: d.spec?.template, replicas: d.spec?.replicas ?? 1 };
      const rs = owned.find((r) => revisionOf(r) === s);
      if (!rs) return undefined;
      const desired = rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION];
      return { template: rs.spec?.template, replicas: desired !== undefined && /^\d+$/.test(desired) ? Number(desired) : null };
    };
    const a = resolve(opts.from);
    const b = resolve(opts.to);
    if (!a || !b) {
      const missing = !a ? opts.from : opts.to;
      return k8sFail('NotFound', `unable to find the requested revision ${missing} of deployment "${opts.name}"`, kubectl);
    }
    const diff = diffTemplates({ from: a.template, to: b.template, fromReplicas: a.replicas, toReplicas: b.replicas });
    const label = (s: DiffSide) => (s === 'live' ? 'live' : `revision ${s}`);
    return k8sOk({ ...diff, fromLabel: label(opts.from), toLabel: label(opts.to) }, kubectl, {
      before: d.metadata?.resourceVersion,
      after: d.metadata?.resourceVersion,
    });
  } catch (err) {
    return k8sFailFromError(err, kubectl, `diff of deployment ${opts.namespace}/${opts.name}`);
  }
}
