import 'server-only';
import {
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Deployment,
  type V1PodTemplateSpec,
  type V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { kubeClients, type K8sActor } from '@/lib/k8s/client';
import { kubectlCommands } from '@/lib/k8s/kubectl';
import { summarizePod, type PodSummary } from '@/lib/k8s/pod-summary';
import { k8sFailFromError, k8sOk, type K8sResult } from '@/lib/k8s/result';
import { buildUndoPatch, findRollbackTarget, ownedReplicaSets, revisionOf, CHANGE_CAUSE_ANNOTATION } from '@/lib/k8s/revision-rules';
import { judgeRollout, type RolloutState } from '@/lib/k8s/rollout-judgement';
import { currentReplicaSet } from '@/lib/k8s/revision-rules';
import { templatesEqualIgnoringHash } from '@/lib/k8s/canonical';
import { recordAnnotations } from '@/lib/k8s/record-annotations';
import { cleanManifest, configReferences, type ConfigReferences } from './config-references';
import type { JsonObject } from '@/lib/timeline/types';

/**
 * The seam between the incident workflow and the Kubernetes API: the handful of reads and writes
 * the ten steps need, in the shapes they need, each returning K8sResult with its kubectl
 * equivalent. Built on lib/k8s's client, kubectl strings and kubectl-rule functions
 * (revision-rules, rollout-judgement, pod-summary), so undo behaves exactly like
 * `kubectl rollout undo`.
 */

export type DeploymentTarget = { namespace: string; deployment: string };

export type DeploymentView = {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  revision: number | null;
  image: string | null;
  replicas: number;
  paused: boolean;
  /** Label selector as kubectl's -l argument, e.g. app=orchestrator. */
  selector: string;
  rollout: { state: RolloutState; message: string };
  status: { replicas: number; updated: number; ready: number; available: number };
  /** True while pods are still being replaced (runbook step 2's "if in progress"). */
  rolloutInProgress: boolean;
  references: ConfigReferences;
  template: V1PodTemplateSpec;
  /** The whole object, cleaned for storage (no managedFields, no last-applied). */
  manifest: JsonObject;
};

export type RevisionView = {
  revision: number;
  image: string | null;
  changeCause: string | null;
  replicaSet: string;
  current: boolean;
  template: V1PodTemplateSpec;
};

const toJson = (o: unknown): JsonObject => JSON.parse(JSON.stringify(o ?? {})) as JsonObject;

function selectorOf(d: V1Deployment): string {
  return Object.entries(d.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function viewDeployment(d: V1Deployment): DeploymentView {
  const rollout = judgeRollout(d);
  const replicas = d.spec?.replicas ?? 1;
  const updated = d.status?.updatedReplicas ?? 0;
  const total = d.status?.replicas ?? 0;
  return {
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    uid: d.metadata?.uid ?? '',
    resourceVersion: d.metadata?.resourceVersion ?? '',
    generation: d.metadata?.generation ?? 0,
    revision: revisionOf(d as { metadata?: { annotations?: Record<string, string> } }) ?? null,
    image: d.spec?.template?.spec?.containers?.[0]?.image ?? null,
    replicas,
    paused: Boolean(d.spec?.paused),
    selector: selectorOf(d),
    rollout,
    status: { replicas: total, updated, ready: d.status?.readyReplicas ?? 0, available: d.status?.availableReplicas ?? 0 },
    rolloutInProgress: rollout.state === 'progressing' || rollout.state === 'stalled' || (rollout.state === 'paused' && (updated < replicas || total > updated)),
    references: configReferences(d.spec?.template?.spec as Parameters<typeof configReferences>[0]),
    template: d.spec?.template ?? {},
    manifest: cleanManifest(toJson(d)),
  };
}

export async function getDeployment(t: DeploymentTarget, actor?: K8sActor): Promise<K8sResult<DeploymentView>> {
  const kubectl = [kubectlCommands.getDeployment({ namespace: t.namespace, name: t.deployment })];
  try {
    const d = await kubeClients({ actor }).apps.readNamespacedDeployment({ name: t.deployment, namespace: t.namespace });
    return k8sOk(viewDeployment(d), kubectl);
  } catch (error) {
    return k8sFailFromError(error, kubectl, `deployment ${t.namespace}/${t.deployment}`);
  }
}

export async function listRevisions(t: DeploymentTarget, actor?: K8sActor): Promise<K8sResult<RevisionView[]>> {
  const kubectl = [kubectlCommands.rolloutHistory({ namespace: t.namespace, name: t.deployment })];
  try {
    const { apps } = kubeClients({ actor });
    const d = await apps.readNamespacedDeployment({ name: t.deployment, namespace: t.namespace });
    const rsList = await apps.listNamespacedReplicaSet({ namespace: t.namespace, labelSelector: selectorOf(d) });
    const owned = ownedReplicaSets(d, rsList.items);
    const current = currentReplicaSet(d, owned);
    const revisions: RevisionView[] = [];
    for (const rs of owned) {
      const revision = revisionOf(rs);
      if (revision === undefined) continue;
      revisions.push({
        revision,
        image: rs.spec?.template?.spec?.containers?.[0]?.image ?? null,
        changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? null,
        replicaSet: rs.metadata?.name ?? '',
        current: rs === current,
        template: rs.spec?.template ?? {},
      });
    }
    return k8sOk(revisions.sort((a, b) => a.revision - b.revision), kubectl);
  } catch (error) {
    return k8sFailFromError(error, kubectl, `rollout history of ${t.namespace}/${t.deployment}`);
  }
}

export async function getConfigMap(o: { namespace: string; name: string }): Promise<K8sResult<{ manifest: JsonObject; resourceVersion: string; data: Record<string, string> }>> {
  const kubectl = [kubectlCommands.getConfigMap({ namespace: o.namespace, name: o.name })];
  try {
    const cm = await kubeClients().core.readNamespacedConfigMap({ name: o.name, namespace: o.namespace });
    return k8sOk({ manifest: cleanManifest(toJson(cm)), resourceVersion: cm.metadata?.resourceVersion ?? '', data: cm.data ?? {} }, kubectl);
  } catch (error) {
    return k8sFailFromError(error, kubectl, `configmap ${o.namespace}/${o.name}`);
  }
}

export type HpaView = {
  manifest: JsonObject;
  resourceVersion: string;
  minReplicas: number | null;
  maxReplicas: number;
  targetCpu: number | null;
  /** ScalingActive condition True (or absent conditions with a status present). */
  active: boolean;
  currentReplicas: number | null;
};

export function viewHpa(h: V2HorizontalPodAutoscaler): HpaView {
  const cpu = (h.spec?.metrics ?? []).find((m) => m.resource?.name === 'cpu')?.resource?.target?.averageUtilization ?? null;
  const conditions = h.status?.conditions ?? [];
  const scalingActive = conditions.find((c) => c.type === 'ScalingActive');
  return {
    manifest: cleanManifest(toJson(h)),
    resourceVersion: h.metadata?.resourceVersion ?? '',
    minReplicas: h.spec?.minReplicas ?? null,
    maxReplicas: h.spec?.maxReplicas ?? 0,
    targetCpu: cpu,
    active: scalingActive ? scalingActive.status === 'True' : h.status !== undefined,
    currentReplicas: h.status?.currentReplicas ?? null,
  };
}

export async function getHpa(o: { namespace: string; name: string }): Promise<K8sResult<HpaView>> {
  const kubectl = [kubectlCommands.getHpa({ namespace: o.namespace, name: o.name })];
  try {
    const h = await kubeClients().autoscaling.readNamespacedHorizontalPodAutoscaler({ name: o.name, namespace: o.namespace });
    return k8sOk(viewHpa(h), kubectl);
  } catch (error) {
    return k8sFailFromError(error, kubectl, `hpa ${o.namespace}/${o.name}`);
  }
}

/** HPAs in the namespace that scale this deployment. */
export async function findHpasFor(t: DeploymentTarget): Promise<K8sResult<HpaView[]>> {
  const kubectl = [`kubectl get hpa -n ${t.namespace}`];
  try {
    const list = await kubeClients().autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: t.namespace });
    return k8sOk(
      list.items.filter((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === t.deployment).map(viewHpa),
      kubectl,
    );
  } catch (error) {
    return k8sFailFromError(error, kubectl, `hpa in ${t.namespace}`);
  }
}

export async function listPods(o: { namespace: string; selector: string }): Promise<K8sResult<PodSummary[]>> {
  const kubectl = [kubectlCommands.getPods({ namespace: o.namespace, selector: o.selector })];
  try {
    const list = await kubeClients().core.listNamespacedPod({ namespace: o.namespace, labelSelector: o.selector });
    return k8sOk(list.items.map(summarizePod), kubectl);
  } catch (error) {
    return k8sFailFromError(error, kubectl, `pods in ${o.namespace}`);
  }
}

export async function getPodLogs(o: { namespace: string; pod: string; tail: number; container?: string }): Promise<K8sResult<string>> {
  const kubectl = [kubectlCommands.logs({ namespace: o.namespace, pod: o.pod, tail: o.tail, timestamps: true, container: o.container })];
  try {
    const text = await kubeClients().core.readNamespacedPodLog({ name: o.pod, namespace: o.namespace, tailLines: o.tail, timestamps: true, container: o.container });
    return k8sOk(String(text ?? ''), kubectl);
  } catch (error) {
    return k8sFailFromError(error, kubectl, `logs of ${o.namespace}/${o.pod}`);
  }
}

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** `kubectl rollout pause`: strategic-merge `spec.paused: true`. */
export async function pauseRollout(t: DeploymentTarget, actor?: K8sActor): Promise<K8sResult<DeploymentView>> {
  const kubectl = [kubectlCommands.rolloutPause({ namespace: t.namespace, name: t.deployment })];
  try {
    const { apps } = kubeClients({ actor });
    const before = await apps.readNamespacedDeployment({ name: t.deployment, namespace: t.namespace });
    const body = { metadata: { annotations: recordAnnotations({ actor, reason: 'runbook step 2: pause rollout', changeCause: false }) }, spec: { paused: true } };
    const after = await apps.patchNamespacedDeployment({ name: t.deployment, namespace: t.namespace, body }, strategic);
    return k8sOk(viewDeployment(after), kubectl, { before: before.metadata?.resourceVersion, after: after.metadata?.resourceVersion });
  } catch (error) {
    return k8sFailFromError(error, kubectl, `pause ${t.namespace}/${t.deployment}`);
  }
}

/**
 * `kubectl rollout undo [--to-revision=N]`. kubectl refuses a paused deployment; the runbook's
 * commander paused it in step 2 on purpose, so we resume in the same write (one JSON patch that
 * also carries the resourceVersion precondition).
 */
export async function undoRollout(
  t: DeploymentTarget & { toRevision?: number; expectedImage?: string | null },
  actor?: K8sActor,
): Promise<K8sResult<{ fromRevision: number | null; toRevision: number; image: string | null; resumed: boolean; deployment: DeploymentView }>> {
  const kubectl = [kubectlCommands.rolloutUndo({ namespace: t.namespace, name: t.deployment, toRevision: t.toRevision })];
  try {
    const { apps } = kubeClients({ actor });
    const d = await apps.readNamespacedDeployment({ name: t.deployment, namespace: t.namespace });
    const paused = Boolean(d.spec?.paused);
    if (paused) kubectl.unshift(kubectlCommands.rolloutResume({ namespace: t.namespace, name: t.deployment }));
    const rsList = await apps.listNamespacedReplicaSet({ namespace: t.namespace, labelSelector: selectorOf(d) });
    const target = findRollbackTarget({ deploymentName: t.deployment, owned: ownedReplicaSets(d, rsList.items), toRevision: t.toRevision });
    if (!target.ok) return { ok: false, code: target.code, message: target.message, kubectl };
    const { patch } = buildUndoPatch({
      deployment: d,
      target: target.replicaSet,
      extraAnnotations: recordAnnotations({ actor, reason: `runbook step 4: roll back to revision ${target.revision}`, changeCause: false }),
      resume: true,
    });
    // Why not a resourceVersion precondition: controllers bump it with every status update, so it
    // goes stale within seconds. The image the commander saw must still be the live one instead.
    const liveImage = d.spec?.template?.spec?.containers?.[0]?.image;
    const guard = t.expectedImage ?? liveImage;
    const body = guard ? [{ op: 'test' as const, path: '/spec/template/spec/containers/0/image', value: guard }, ...patch] : patch;
    const after = await apps.patchNamespacedDeployment({ name: t.deployment, namespace: t.namespace, body }, jsonPatch);
    return k8sOk(
      {
        fromRevision: revisionOf(d as never) ?? null,
        toRevision: target.revision,
        image: target.replicaSet.spec?.template?.spec?.containers?.[0]?.image ?? null,
        resumed: paused,
        deployment: viewDeployment(after),
      },
      kubectl,
      { before: d.metadata?.resourceVersion, after: after.metadata?.resourceVersion },
    );
  } catch (error) {
    return k8sFailFromError(error, kubectl, `undo ${t.namespace}/${t.deployment}`);
  }
}

/**
 * Runbook step 4 option C, `kubectl apply -f deployment-backup.yaml`: puts a saved manifest's pod
 * template (and replica count) back, resuming a paused deployment in the same write.
 */
export async function applyDeploymentManifest(
  t: DeploymentTarget & { manifest: JsonObject; file: string },
  actor?: K8sActor,
): Promise<K8sResult<{ image: string | null; deployment: DeploymentView }>> {
  const kubectl = [kubectlCommands.apply({ file: t.file })];
  try {
    const { apps } = kubeClients({ actor });
    const before = await apps.readNamespacedDeployment({ name: t.deployment, namespace: t.namespace });
    const saved = t.manifest as unknown as V1Deployment;
    if (!saved.spec?.template) return { ok: false, code: 'Invalid', message: 'The saved manifest has no pod template', kubectl };
    const body = {
      metadata: { annotations: recordAnnotations({ actor, reason: `runbook step 4: apply ${t.file}`, changeCause: false }) },
      spec: { template: saved.spec.template, paused: null },
    };
    const after = await apps.patchNamespacedDeployment({ name: t.deployment, namespace: t.namespace, body }, mergePatch);
    return k8sOk({ image: after.spec?.template?.spec?.containers?.[0]?.image ?? null, deployment: viewDeployment(after) }, kubectl, {
      before: before.metadata?.resourceVersion,
      after: after.metadata?.resourceVersion,
    });
  } catch (error) {
    return k8sFailFromError(error, kubectl, `apply ${t.file}`);
  }
}

/** `kubectl scale deployment X --replicas=N` through the scale subresource. */
export async function scaleDeployment(t: DeploymentTarget & { replicas: number }, actor?: K8sActor): Promise<K8sResult<{ replicas: number }>> {
  const kubectl = [kubectlCommands.scale({ namespace: t.namespace, name: t.deployment, replicas: t.replicas })];
  try {
    const { apps } = kubeClients({ actor });
    const scale = await apps.patchNamespacedDeploymentScale({ name: t.deployment, namespace: t.namespace, body: { spec: { replicas: t.replicas } } }, mergePatch);
    return k8sOk({ replicas: scale.spec?.replicas ?? t.replicas }, kubectl, { after: scale.metadata?.resourceVersion });
  } catch (error) {
    return k8sFailFromError(error, kubectl, `scale ${t.namespace}/${t.deployment}`);
  }
}

/** `kubectl rollout restart`: the restartedAt pod-template annotation makes a new revision. */
export async function restartRollout(t: DeploymentTarget, actor?: K8sActor): Promise<K8sResult<DeploymentView>> {
  const kubectl = [kubectlCommands.rolloutRestart({ namespace: t.namespace, name: t.deployment })];
  try {
    const { apps } = kubeClients({ actor });
    const body = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } };
    const after = await apps.patchNamespacedDeployment({ name: t.deployment, namespace: t.namespace, body }, strategic);
    return k8sOk(viewDeployment(after), kubectl, { after: after.metadata?.resourceVersion });
  } catch (error) {
    return k8sFailFromError(error, kubectl, `restart ${t.namespace}/${t.deployment}`);
  }
}

/** Puts a saved ConfigMap's data back (replace with the live resourceVersion), or recreates it. */
export async function restoreConfigMap(o: { namespace: string; name: string; manifest: JsonObject; file: string }): Promise<K8sResult<{ created: boolean }>> {
  const kubectl = [kubectlCommands.apply({ file: o.file })];
  const saved = o.manifest as unknown as V1ConfigMap;
  const { core } = kubeClients();
  try {
    const live = await core.readNamespacedConfigMap({ name: o.name, namespace: o.namespace }).catch((e: unknown) => {
      if (k8sFailFromError(e, kubectl).code === 'NotFound') return null;
      throw e;
    });
    const body: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: o.name, namespace: o.namespace, labels: saved.metadata?.labels, annotations: saved.metadata?.annotations, ...(live ? { resourceVersion: live.metadata?.resourceVersion } : {}) },
      data: saved.data ?? {},
      ...(saved.binaryData ? { binaryData: saved.binaryData } : {}),
    };
    if (!live) {
      const created = await core.createNamespacedConfigMap({ namespace: o.namespace, body });
      return k8sOk({ created: true }, kubectl, { after: created.metadata?.resourceVersion });
    }
    const after = await core.replaceNamespacedConfigMap({ name: o.name, namespace: o.namespace, body });
    return k8sOk({ created: false }, kubectl, { before: live.metadata?.resourceVersion, after: after.metadata?.resourceVersion });
  } catch (error) {
    return k8sFailFromError(error, kubectl, `configmap ${o.namespace}/${o.name}`);
  }
}

/** Puts a saved HPA spec back (replace), or recreates it when it was deleted (runbook step 9). */
export async function restoreHpa(o: { namespace: string; name: string; manifest: JsonObject; file: string }): Promise<K8sResult<{ created: boolean }>> {
  const kubectl = [kubectlCommands.apply({ file: o.file })];
  const saved = o.manifest as unknown as V2HorizontalPodAutoscaler;
  const { autoscaling } = kubeClients();
  try {
    const live = await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: o.name, namespace: o.namespace }).catch((e: unknown) => {
      if (k8sFailFromError(e, kubectl).code === 'NotFound') return null;
      throw e;
    });
    const body: V2HorizontalPodAutoscaler = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: o.name, namespace: o.namespace, labels: saved.metadata?.labels, ...(live ? { resourceVersion: live.metadata?.resourceVersion } : {}) },
      spec: saved.spec!,
    };
    if (!live) {
      const created = await autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace: o.namespace, body });
      return k8sOk({ created: true }, [kubectlCommands.create({ file: o.file })], { after: created.metadata?.resourceVersion });
    }
    // The HPA controller writes status all the time; a replace with a stale resourceVersion gets 409: re-read and retry.
    for (let attempt = 0; ; attempt++) {
      try {
        const after = await autoscaling.replaceNamespacedHorizontalPodAutoscaler({ name: o.name, namespace: o.namespace, body });
        return k8sOk({ created: false }, kubectl, { before: live.metadata?.resourceVersion, after: after.metadata?.resourceVersion });
      } catch (error) {
        if (attempt >= 4 || k8sFailFromError(error, kubectl).code !== 'Conflict') throw error;
        const fresh = await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: o.name, namespace: o.namespace });
        body.metadata = { ...body.metadata, resourceVersion: fresh.metadata?.resourceVersion };
      }
    }
  } catch (error) {
    return k8sFailFromError(error, kubectl, `hpa ${o.namespace}/${o.name}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `kubectl wait --for=delete|condition=ready pod -l …`, by polling (a watch would be nicer; the
 * poll keeps this seam small). Ready also requires `count` pods when given.
 */
export async function waitForPods(o: {
  namespace: string;
  selector: string;
  condition: 'delete' | 'ready';
  timeoutMs: number;
  count?: number;
  intervalMs?: number;
  onPoll?: (pods: PodSummary[]) => void | Promise<void>;
}): Promise<K8sResult<{ pods: PodSummary[] }>> {
  const kubectl = [kubectlCommands.waitForPods({ namespace: o.namespace, selector: o.selector, condition: o.condition, timeoutSeconds: Math.ceil(o.timeoutMs / 1000) })];
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const pods = await listPods({ namespace: o.namespace, selector: o.selector });
    if (!pods.ok) return { ...pods, kubectl };
    await o.onPoll?.(pods.data);
    const done =
      o.condition === 'delete'
        ? pods.data.length === 0
        : pods.data.filter((p) => !p.deleting).every((p) => p.ready) && pods.data.filter((p) => !p.deleting && p.ready).length >= (o.count ?? 1);
    if (done) return k8sOk({ pods: pods.data }, kubectl);
    if (Date.now() > deadline) {
      return { ok: false, code: 'Unavailable', message: `timed out waiting for pods -l ${o.selector} to be ${o.condition === 'delete' ? 'deleted' : 'ready'} (${pods.data.length} pods, ${pods.data.filter((p) => p.ready).length} ready)`, kubectl };
    }
    await sleep(o.intervalMs ?? 250);
  }
}

/** `kubectl rollout status --watch`, by polling: resolves when complete, fails when stalled or timed out. */
export async function waitForRollout(
  t: DeploymentTarget & { timeoutMs: number; intervalMs?: number; onProgress?: (d: DeploymentView) => void | Promise<void> },
): Promise<K8sResult<DeploymentView>> {
  const kubectl = [kubectlCommands.rolloutStatus({ namespace: t.namespace, name: t.deployment })];
  const deadline = Date.now() + t.timeoutMs;
  let last = '';
  for (;;) {
    const d = await getDeployment(t);
    if (!d.ok) return { ...d, kubectl };
    if (d.data.rollout.message !== last) {
      last = d.data.rollout.message;
      await t.onProgress?.(d.data);
    }
    if (d.data.rollout.state === 'complete') return k8sOk(d.data, kubectl);
    if (d.data.rollout.state === 'stalled') return { ok: false, code: 'Unavailable', message: d.data.rollout.message, kubectl };
    if (Date.now() > deadline) return { ok: false, code: 'Unavailable', message: `timed out: ${d.data.rollout.message}`, kubectl };
    await sleep(t.intervalMs ?? 250);
  }
}

/** Whether the live pod template equals a revision's (undo happened), ignoring the hash label. */
export function templateMatches(live: V1PodTemplateSpec, target: V1PodTemplateSpec): boolean {
  return templatesEqualIgnoringHash(live, target);
}
