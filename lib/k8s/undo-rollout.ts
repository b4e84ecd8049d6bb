import 'server-only';
import { kubeClients } from './client';
import { toDeploymentView, type DeploymentView } from './deployment-view';
import { FIELD_MANAGER, listOwnedReplicaSets, patchAs, readForWrite, type WriteOptions } from './internal';
import { kubectlCommands } from './kubectl';
import { recordAnnotations } from './record-annotations';
import { k8sFail, k8sFailFromError, k8sOk, type K8sResult } from './result';
import { buildUndoPatch, findRollbackTarget, revisionOf, type JsonPatchOp } from './revision-rules';
import { templatesEqualIgnoringHash } from './canonical';
import { diffTemplates, type TemplateDiff } from './template-diff';

export type UndoRolloutOptions = WriteOptions & {
  namespace: string;
  name: string;
  /** The revision to go back to; omitted or 0 = the previous revision (second highest), like kubectl. */
  toRevision?: number | undefined;
  expectedGeneration?: number | undefined;
  /**
   * A paused deployment (runbook step 2 pauses before step 4 undoes): kubectl refuses it.
   * `'resume'` (default) replaces the template and removes `spec.paused` in ONE patch, so the
   * controller's next sync rolls straight to the target template and the paused bad rollout
   * never proceeds. `'refuse'` behaves like kubectl.
   */
  whenPaused?: 'resume' | 'refuse' | undefined;
};

export type UndoRolloutResult = {
  changed: boolean;
  /** True: nothing was sent; `patch` and `diff` say what would be. */
  dryRun: boolean;
  /** kubectl's "skipped rollback (current template already matches revision N)". */
  skipped: string | null;
  fromRevision: number | null;
  toRevision: number;
  targetReplicaSet: string;
  /** The deployment was paused and this undo resumed it in the same write. */
  resumed: boolean;
  /** Live template → target revision's template (sensitive values masked). */
  diff: TemplateDiff;
  /** The JSON patch sent (or that would be sent). */
  patch: JsonPatchOp[];
  /** The deployment after the write (before it, for a dry run or a skip). */
  deployment: DeploymentView;
  /** Why the kubectl list is what it is, when it is not a single kubectl command. */
  note: string | null;
};

/**
 * Runbook step 4: `kubectl rollout undo [--to-revision=N]`, done the way kubectl does it —
 * find the target ReplicaSet among those the deployment controls, then one JSON patch replacing
 * `/spec/template` (the ReplicaSet's template without `pod-template-hash`) and
 * `/metadata/annotations` (kubectl's rules) — plus the console's annotations (who and why, as
 * the new revision's change cause) and, when asked, a resourceVersion precondition.
 *
 * The deployment controller then finds the existing ReplicaSet with that template, gives it
 * revision max+1 and scales it up (the old revision number leaves the history).
 * A dry run sends nothing and returns the patch and the diff.
 * @see https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollback.go
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-back-a-deployment
 */
export async function undoRollout(opts: UndoRolloutOptions): Promise<K8sResult<UndoRolloutResult>> {
  const record = recordAnnotations({ actor: opts.actor, reason: opts.reason, changeCause: true });
  const annotate = Object.keys(record).length > 0 ? [kubectlCommands.annotate({ ...opts, kind: 'deployment', annotations: record })] : [];
  const asked = [kubectlCommands.rolloutUndo({ ...opts, dryRun: opts.dryRun ? 'client' : undefined }), ...annotate];
  try {
    const c = kubeClients({ actor: opts.actor });
    const read = await readForWrite(c, opts, asked);
    if (!read.ok) return read.failure;
    const d = read.deployment;
    const before = d.metadata?.resourceVersion;
    const paused = d.spec?.paused === true;
    if (paused && opts.whenPaused === 'refuse') {
      return k8sFail('PreconditionFailed', `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`, asked);
    }
    const owned = await listOwnedReplicaSets(c, d);
    const target = findRollbackTarget({ deploymentName: opts.name, owned, toRevision: opts.toRevision });
    if (!target.ok) return k8sFail(target.code, target.message, asked);

    const resume = paused;
    const kubectl = resume
      ? [
          kubectlCommands.rolloutResume(opts),
          kubectlCommands.rolloutUndo({ ...opts, toRevision: target.revision, dryRun: opts.dryRun ? 'client' : undefined }),
          ...annotate,
        ]
      : asked;
    const note = resume
      ? `The deployment is paused and kubectl refuses to undo a paused deployment. The console replaces the template with revision ${target.revision}'s and resumes in one single patch, so the paused rollout never proceeds: by hand, the two commands below would let the bad template roll for the moment between them.`
      : null;

    const diff = diffTemplates({ from: d.spec?.template, to: target.replicaSet.spec?.template });
    const base = {
      fromRevision: revisionOf(d) ?? null,
      toRevision: target.revision,
      targetReplicaSet: target.replicaSet.metadata?.name ?? '',
      diff,
      note,
    };
    if (templatesEqualIgnoringHash(target.replicaSet.spec?.template, d.spec?.template)) {
      return k8sOk(
        { ...base, changed: false, dryRun: opts.dryRun === true, skipped: `skipped rollback (current template already matches revision ${target.revision})`, resumed: false, patch: [], deployment: toDeploymentView(d) },
        kubectl,
        { before, after: before },
      );
    }
    const { patch } = buildUndoPatch({
      deployment: d,
      target: target.replicaSet,
      extraAnnotations: record,
      resourceVersion: opts.expectedResourceVersion !== undefined ? before : undefined,
      resume,
    });
    if (opts.dryRun) {
      return k8sOk({ ...base, changed: false, dryRun: true, skipped: null, resumed: false, patch, deployment: toDeploymentView(d) }, kubectl, { before, after: before });
    }
    const after = await c.apps.patchNamespacedDeployment({ namespace: opts.namespace, name: opts.name, body: patch, fieldManager: FIELD_MANAGER }, patchAs.json());
    return k8sOk({ ...base, changed: true, dryRun: false, skipped: null, resumed: resume, patch, deployment: toDeploymentView(after) }, kubectl, {
      before,
      after: after.metadata?.resourceVersion,
    });
  } catch (err) {
    return k8sFailFromError(err, asked, `undo rollout of deployment ${opts.namespace}/${opts.name}`);
  }
}
