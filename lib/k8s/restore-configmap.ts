import 'server-only';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { kubeClients } from './client';
import { FIELD_MANAGER, staleViewFailure, toPlain, type WriteOptions } from './internal';
import { kubectlCommands } from './kubectl';
import { cleanManifest, diffObjects, parseManifest, snapshotFileName, type ObjectChange } from './manifest';
import { recordAnnotations } from './record-annotations';
import { k8sFail, k8sFailFromError, k8sOk, type K8sResult } from './result';

export type RestoreConfigMapOptions = WriteOptions & {
  /** The snapshot manifest (object, YAML or JSON), e.g. from getConfigMap().data.manifest at declaration. */
  snapshot: string | Record<string, unknown>;
  /** Shown in the kubectl equivalent; defaults to `configmap-<name>-snapshot.yaml`. */
  fileName?: string | undefined;
};

export type RestoreConfigMapResult = {
  action: 'created' | 'replaced' | 'unchanged';
  dryRun: boolean;
  namespace: string;
  name: string;
  /** data/binaryData/labels changes from live to snapshot (sensitive-looking keys masked). */
  changes: ObjectChange[];
  resourceVersion: string | null;
};

/**
 * Runbook step 6 option A: put the ConfigMap back exactly as the snapshot has it. An existing
 * ConfigMap is replaced (`kubectl replace -f`), not merged: `kubectl apply -f` on a ConfigMap
 * without last-applied annotation keeps keys added since the snapshot, which is not a restore.
 * A deleted one is recreated (`kubectl create -f`).
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/
 */
export async function restoreConfigMap(opts: RestoreConfigMapOptions): Promise<K8sResult<RestoreConfigMapResult>> {
  const parsed = parseManifest(opts.snapshot);
  if (!parsed.ok) return k8sFail('Invalid', parsed.message, []);
  const snap = cleanManifest(parsed.manifest);
  if (snap.kind !== 'ConfigMap') return k8sFail('Invalid', `the snapshot is a ${snap.kind}, not a ConfigMap`, []);
  const namespace = snap.metadata.namespace ?? '';
  const name = snap.metadata.name;
  if (!namespace) return k8sFail('Invalid', 'the snapshot has no metadata.namespace', []);
  const file = opts.fileName ?? snapshotFileName(snap);
  const record = recordAnnotations({ actor: opts.actor, reason: opts.reason, changeCause: false });
  const annotate = Object.keys(record).length ? [kubectlCommands.annotate({ namespace, name, kind: 'configmap', annotations: record })] : [];
  let kubectl = [kubectlCommands.replace({ file, dryRun: opts.dryRun }), ...annotate];
  try {
    const c = kubeClients({ actor: opts.actor });
    let live: V1ConfigMap | undefined;
    try {
      live = await c.core.readNamespacedConfigMap({ namespace, name });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
    const body = {
      ...snap,
      metadata: { ...snap.metadata, annotations: { ...(snap.metadata.annotations ?? {}), ...record } },
    } as unknown as V1ConfigMap;
    const dryRun = opts.dryRun ? 'All' : undefined;
    if (!live) {
      kubectl = [kubectlCommands.create({ file, dryRun: opts.dryRun }), ...annotate];
      if (opts.expectedResourceVersion !== undefined) {
        return k8sFail('Conflict', `configmap "${name}" was deleted since you looked at it; nothing was changed — review and try again`, kubectl);
      }
      const created = await c.core.createNamespacedConfigMap({ namespace, body, fieldManager: FIELD_MANAGER, dryRun });
      return k8sOk(
        { action: 'created', dryRun: opts.dryRun === true, namespace, name, changes: diffObjects({}, pick(snap)), resourceVersion: created.metadata?.resourceVersion ?? null },
        kubectl,
        { after: created.metadata?.resourceVersion },
      );
    }
    const before = live.metadata?.resourceVersion;
    const stale = staleViewFailure({ kind: 'configmap', name, expected: opts.expectedResourceVersion, live: before, kubectl });
    if (stale) return stale;
    const changes = diffObjects(pick(toPlain(live) as unknown as Record<string, unknown>), pick(snap));
    if (changes.length === 0) {
      return k8sOk({ action: 'unchanged', dryRun: opts.dryRun === true, namespace, name, changes, resourceVersion: before ?? null }, kubectl, { before, after: before });
    }
    // The live resourceVersion makes the replace conditional: a change between our read and this write is a 409, not lost.
    (body.metadata as { resourceVersion?: string }).resourceVersion = before;
    const replaced = await c.core.replaceNamespacedConfigMap({ namespace, name, body, fieldManager: FIELD_MANAGER, dryRun });
    return k8sOk({ action: 'replaced', dryRun: opts.dryRun === true, namespace, name, changes, resourceVersion: replaced.metadata?.resourceVersion ?? null }, kubectl, {
      before,
      after: opts.dryRun ? before : replaced.metadata?.resourceVersion,
    });
  } catch (err) {
    return k8sFailFromError(err, kubectl, `restore configmap ${namespace}/${name}`);
  }
}

function pick(o: Record<string, unknown>): Record<string, unknown> {
  const m = (o.metadata ?? {}) as Record<string, unknown>;
  return { data: o.data, binaryData: o.binaryData, immutable: o.immutable, metadata: { labels: m.labels } };
}
