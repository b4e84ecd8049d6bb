import 'server-only';
import { kubeClients, type KubeClients } from './client';
import { FIELD_MANAGER, patchAs, staleViewFailure, toPlain, type WriteOptions } from './internal';
import { kubectlCommands } from './kubectl';
import { applyPatchFor, cleanManifest, diffObjects, lastAppliedFor, parseManifest, snapshotFileName, type Manifest, type ObjectChange } from './manifest';
import { CONSOLE_ANNOTATIONS, recordAnnotations } from './record-annotations';
import { k8sFail, k8sFailFromError, k8sOk, type K8sResult } from './result';
import { LAST_APPLIED_ANNOTATION } from './revision-rules';
import { diffTemplates, type TemplateDiff } from './template-diff';

export type ApplyManifestOptions = WriteOptions & {
  /** A saved Deployment (apps/v1), ConfigMap (v1) or HorizontalPodAutoscaler (autoscaling/v2): object, YAML or JSON. */
  manifest: string | Record<string, unknown>;
  /**
   * `client-side` (default): what the runbook's `kubectl apply -f` does — create, or a strategic
   * merge patch carrying the last-applied-configuration annotation. `server-side`:
   * `kubectl apply --server-side --force-conflicts --field-manager=rollback-console`.
   */
  strategy?: 'client-side' | 'server-side' | undefined;
  /** Shown in the kubectl equivalent; defaults to `<kind>-<name>-snapshot.yaml`. */
  fileName?: string | undefined;
};

export type ApplyManifestResult = {
  kind: string;
  namespace: string;
  name: string;
  action: 'created' | 'configured' | 'unchanged';
  dryRun: boolean;
  strategy: 'client-side' | 'server-side';
  /** Field changes from live to the result (sensitive-looking keys masked). */
  changes: ObjectChange[];
  /** Deployments: the pod template diff in the people-facing shape. */
  templateDiff: TemplateDiff | null;
  resourceVersion: string | null;
  /** The manifest as applied (server fields and stale resourceVersion removed): the file the kubectl command refers to. */
  applied: Manifest;
};

type KindApi = {
  read: (c: KubeClients, ns: string, name: string) => Promise<unknown>;
  create: (c: KubeClients, ns: string, body: unknown, dryRun: string | undefined) => Promise<unknown>;
  patch: (c: KubeClients, ns: string, name: string, body: unknown, dryRun: string | undefined, how: 'strategic' | 'apply') => Promise<unknown>;
};

const KINDS: Record<string, KindApi> = {
  'apps/v1/Deployment': {
    read: (c, namespace, name) => c.apps.readNamespacedDeployment({ namespace, name }),
    create: (c, namespace, body, dryRun) => c.apps.createNamespacedDeployment({ namespace, body: body as never, fieldManager: FIELD_MANAGER, dryRun }),
    patch: (c, namespace, name, body, dryRun, how) =>
      c.apps.patchNamespacedDeployment({ namespace, name, body, fieldManager: FIELD_MANAGER, dryRun, force: how === 'apply' ? true : undefined }, patchAs[how]()),
  },
  'v1/ConfigMap': {
    read: (c, namespace, name) => c.core.readNamespacedConfigMap({ namespace, name }),
    create: (c, namespace, body, dryRun) => c.core.createNamespacedConfigMap({ namespace, body: body as never, fieldManager: FIELD_MANAGER, dryRun }),
    patch: (c, namespace, name, body, dryRun, how) =>
      c.core.patchNamespacedConfigMap({ namespace, name, body, fieldManager: FIELD_MANAGER, dryRun, force: how === 'apply' ? true : undefined }, patchAs[how]()),
  },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    read: (c, namespace, name) => c.autoscaling.readNamespacedHorizontalPodAutoscaler({ namespace, name }),
    create: (c, namespace, body, dryRun) => c.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body: body as never, fieldManager: FIELD_MANAGER, dryRun }),
    patch: (c, namespace, name, body, dryRun, how) =>
      c.autoscaling.patchNamespacedHorizontalPodAutoscaler({ namespace, name, body, fieldManager: FIELD_MANAGER, dryRun, force: how === 'apply' ? true : undefined }, patchAs[how]()),
  },
};

const IGNORED_IN_DIFF = ['status', 'metadata.resourceVersion', 'metadata.managedFields', 'metadata.generation', 'metadata.uid', 'metadata.creationTimestamp', `metadata.annotations.${LAST_APPLIED_ANNOTATION}`];

/**
 * Runbook step 4 option C and step 6 option A: `kubectl apply -f <saved manifest>`. The saved
 * manifest is cleaned first (no status, no stale resourceVersion/uid, no revision annotation),
 * so a `kubectl get -o yaml` backup applies instead of failing with a conflict. Who asked and why
 * are added as annotations outside the last-applied configuration (like a later `kubectl annotate`),
 * so that annotation is byte for byte what kubectl would write for the same file.
 * @see https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/
 * @see https://kubernetes.io/docs/reference/using-api/server-side-apply/
 */
export async function applyManifest(opts: ApplyManifestOptions): Promise<K8sResult<ApplyManifestResult>> {
  const strategy = opts.strategy ?? 'client-side';
  const parsed = parseManifest(opts.manifest);
  if (!parsed.ok) return k8sFail('Invalid', parsed.message, []);
  const manifest = cleanManifest(parsed.manifest);
  const api = KINDS[`${manifest.apiVersion}/${manifest.kind}`];
  const file = opts.fileName ?? snapshotFileName(manifest);
  const namespace = manifest.metadata.namespace ?? '';
  const name = manifest.metadata.name;
  const isDeployment = manifest.kind === 'Deployment';
  const record = recordAnnotations({ actor: opts.actor, reason: opts.reason, changeCause: isDeployment });
  const kubectl = [
    kubectlCommands.apply({ file, serverSide: strategy === 'server-side', fieldManager: FIELD_MANAGER, dryRun: opts.dryRun }),
    ...(Object.keys(record).length ? [kubectlCommands.annotate({ namespace, name, kind: manifest.kind === 'HorizontalPodAutoscaler' ? 'hpa' : manifest.kind.toLowerCase(), annotations: record })] : []),
  ];
  if (!api) return k8sFail('Invalid', `cannot apply ${manifest.apiVersion} ${manifest.kind}: the console applies apps/v1 Deployment, v1 ConfigMap and autoscaling/v2 HorizontalPodAutoscaler`, kubectl);
  if (!namespace) return k8sFail('Invalid', 'the manifest has no metadata.namespace', kubectl);
  const dryRun = opts.dryRun ? 'All' : undefined;
  try {
    const c = kubeClients({ actor: opts.actor });
    let live: Record<string, unknown> | undefined;
    try {
      live = toPlain(await api.read(c, namespace, name)) as Record<string, unknown>;
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
    const liveMeta = (live?.metadata ?? {}) as { resourceVersion?: string; annotations?: Record<string, string> };
    const before = liveMeta.resourceVersion;
    if (live) {
      const stale = staleViewFailure({ kind: manifest.kind.toLowerCase(), name, expected: opts.expectedResourceVersion, live: before, kubectl });
      if (stale) return stale;
    } else if (opts.expectedResourceVersion !== undefined) {
      return k8sFail('Conflict', `${manifest.kind.toLowerCase()} "${name}" was deleted since you looked at it; nothing was changed — review and try again`, kubectl);
    }

    let result: Record<string, unknown>;
    if (strategy === 'server-side') {
      const body = withAnnotations(manifest, record);
      result = toPlain(await api.patch(c, namespace, name, body, dryRun, 'apply')) as Record<string, unknown>;
    } else {
      const modified = withAnnotations(manifest, { [LAST_APPLIED_ANNOTATION]: lastAppliedFor(manifest) });
      if (!live) {
        result = toPlain(await api.create(c, namespace, withAnnotations(modified, record), dryRun)) as Record<string, unknown>;
      } else {
        let original: Record<string, unknown> | undefined;
        const lastApplied = liveMeta.annotations?.[LAST_APPLIED_ANNOTATION];
        if (lastApplied) {
          try {
            original = JSON.parse(lastApplied) as Record<string, unknown>;
          } catch {
            original = undefined;
          }
        }
        const patch = applyPatchFor({ modified, original });
        const meta = { ...(patch.metadata as Record<string, unknown>) };
        meta.annotations = { ...((meta.annotations as Record<string, unknown> | null) ?? {}), ...record };
        if (opts.expectedResourceVersion !== undefined) meta.resourceVersion = before;
        patch.metadata = meta;
        result = toPlain(await api.patch(c, namespace, name, patch, dryRun, 'strategic')) as Record<string, unknown>;
      }
    }
    const changes = diffObjects(live ?? {}, result, { ignore: IGNORED_IN_DIFF });
    const templateDiff = isDeployment
      ? diffTemplates({
          from: (live as { spec?: { template?: never } } | undefined)?.spec?.template,
          to: (result as { spec?: { template?: never } }).spec?.template,
          fromReplicas: (live as { spec?: { replicas?: number } } | undefined)?.spec?.replicas ?? null,
          toReplicas: (result as { spec?: { replicas?: number } }).spec?.replicas ?? null,
        })
      : null;
    const rv = ((result.metadata ?? {}) as { resourceVersion?: string }).resourceVersion ?? null;
    return k8sOk(
      {
        kind: manifest.kind,
        namespace,
        name,
        // Our own annotations always change; they do not make a manifest "configured".
        action: !live ? 'created' : changes.some((ch) => !CONSOLE_ANNOTATIONS.some((a) => ch.path === `metadata.annotations.${a}`)) ? 'configured' : 'unchanged',
        dryRun: opts.dryRun === true,
        strategy,
        changes,
        templateDiff,
        resourceVersion: opts.dryRun ? (before ?? null) : rv,
        applied: manifest,
      },
      kubectl,
      { before, after: opts.dryRun ? before : (rv ?? undefined) },
    );
  } catch (err) {
    return k8sFailFromError(err, kubectl, `apply ${manifest.kind} ${namespace}/${name}`);
  }
}

function withAnnotations(m: Manifest, annotations: Record<string, string>): Manifest {
  if (Object.keys(annotations).length === 0) return m;
  return { ...m, metadata: { ...m.metadata, annotations: { ...(m.metadata.annotations ?? {}), ...annotations } } };
}
