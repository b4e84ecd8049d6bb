import 'server-only';
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { kubeClients } from './client';
import { toHpaView, type HpaView } from './get-hpa';
import { FIELD_MANAGER, staleViewFailure, toPlain, type WriteOptions } from './internal';
import { kubectlCommands } from './kubectl';
import { cleanManifest, diffObjects, parseManifest, snapshotFileName, type ObjectChange } from './manifest';
import { recordAnnotations } from './record-annotations';
import { k8sFail, k8sFailFromError, k8sOk, type K8sResult } from './result';

export type RestoreHpaOptions = WriteOptions & {
  /** The snapshot manifest (autoscaling/v2 HorizontalPodAutoscaler; object, YAML or JSON). */
  snapshot: string | Record<string, unknown>;
  fileName?: string | undefined;
};

export type RestoreHpaResult = {
  action: 'created' | 'replaced' | 'unchanged';
  dryRun: boolean;
  changes: ObjectChange[];
  hpa: HpaView | null;
};

/**
 * Runbook step 9: an HPA deleted during the incident is recreated from the snapshot
 * (`kubectl create -f`, what the runbook's `cat <<EOF | kubectl apply -f -` amounts to); one that
 * was changed gets the snapshot's spec back (`kubectl replace -f`); an identical one is left alone.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export async function restoreHpa(opts: RestoreHpaOptions): Promise<K8sResult<RestoreHpaResult>> {
  const parsed = parseManifest(opts.snapshot);
  if (!parsed.ok) return k8sFail('Invalid', parsed.message, []);
  const snap = cleanManifest(parsed.manifest);
  if (snap.kind !== 'HorizontalPodAutoscaler' || snap.apiVersion !== 'autoscaling/v2') {
    return k8sFail('Invalid', `the snapshot is a ${snap.apiVersion} ${snap.kind}, not an autoscaling/v2 HorizontalPodAutoscaler`, []);
  }
  const namespace = snap.metadata.namespace ?? '';
  const name = snap.metadata.name;
  if (!namespace) return k8sFail('Invalid', 'the snapshot has no metadata.namespace', []);
  const file = opts.fileName ?? snapshotFileName(snap);
  const record = recordAnnotations({ actor: opts.actor, reason: opts.reason, changeCause: false });
  const annotate = Object.keys(record).length ? [kubectlCommands.annotate({ namespace, name, kind: 'hpa', annotations: record })] : [];
  let kubectl = [kubectlCommands.replace({ file, dryRun: opts.dryRun }), ...annotate];
  const dryRun = opts.dryRun ? 'All' : undefined;
  const attempt = async (): Promise<K8sResult<RestoreHpaResult>> => {
    const c = kubeClients({ actor: opts.actor });
    let live: V2HorizontalPodAutoscaler | undefined;
    try {
      live = await c.autoscaling.readNamespacedHorizontalPodAutoscaler({ namespace, name });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
    const body = { ...snap, metadata: { ...snap.metadata, annotations: { ...(snap.metadata.annotations ?? {}), ...record } } } as unknown as V2HorizontalPodAutoscaler;
    if (!live) {
      kubectl = [kubectlCommands.create({ file, dryRun: opts.dryRun }), ...annotate];
      if (opts.expectedResourceVersion !== undefined) {
        return k8sFail('Conflict', `hpa "${name}" was deleted since you looked at it; nothing was changed — review and try again`, kubectl);
      }
      const created = await c.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body, fieldManager: FIELD_MANAGER, dryRun });
      return k8sOk({ action: 'created', dryRun: opts.dryRun === true, changes: diffObjects({}, { spec: snap.spec }), hpa: toHpaView(created) }, kubectl, {
        after: created.metadata?.resourceVersion,
      });
    }
    const before = live.metadata?.resourceVersion;
    const stale = staleViewFailure({ kind: 'hpa', name, expected: opts.expectedResourceVersion, live: before, kubectl });
    if (stale) return stale;
    const changes = diffObjects({ spec: (toPlain(live) as unknown as { spec: unknown }).spec }, { spec: snap.spec });
    if (changes.length === 0) {
      return k8sOk({ action: 'unchanged', dryRun: opts.dryRun === true, changes, hpa: toHpaView(live) }, kubectl, { before, after: before });
    }
    (body.metadata as { resourceVersion?: string }).resourceVersion = before;
    const replaced = await c.autoscaling.replaceNamespacedHorizontalPodAutoscaler({ namespace, name, body, fieldManager: FIELD_MANAGER, dryRun });
    return k8sOk({ action: 'replaced', dryRun: opts.dryRun === true, changes, hpa: toHpaView(replaced) }, kubectl, {
      before,
      after: opts.dryRun ? before : replaced.metadata?.resourceVersion,
    });
  };
  // The autoscaler controller rewrites the HPA's status every few seconds, which bumps its
  // resourceVersion between our read and our replace. Without a caller-pinned version a 409 only
  // means "read again", so retry a few times; a pinned version keeps the conflict for the person.
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if ((err as { code?: number }).code === 409 && opts.expectedResourceVersion === undefined && tries < 4) continue;
      return k8sFailFromError(err, kubectl, `restore hpa ${namespace}/${name}`);
    }
  }
}
