import 'server-only';
import {
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1PodTemplateSpec,
  type V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { kubeClients, type K8sActor } from '@/lib/k8s/client';
import { pauseRollout as k8sPauseRollout } from '@/lib/k8s/pause-rollout';
import { undoRollout as k8sUndoRollout } from '@/lib/k8s/undo-rollout';
import { scaleDeployment as k8sScaleDeployment } from '@/lib/k8s/scale-deployment';
import { restartRollout as k8sRestartRollout } from '@/lib/k8s/restart-rollout';
import { restoreConfigMap as k8sRestoreConfigMap } from '@/lib/k8s/restore-configmap';
import { restoreHpa as k8sRestoreHpa } from '@/lib/k8s/restore-hpa';
import { waitForPods as k8sWaitForPods } from '@/lib/k8s/wait-for-pods';
import { kubectlCommands } from '@/lib/k8s/kubectl';
import { summarizePod, type PodSummary } from '@/lib/k8s/pod-summary';
import { k8sFailFromError, k8sOk, type K8sResult } from '@/lib/k8s/result';
import { ownedReplicaSets, revisionOf, CHANGE_CAUSE_ANNOTATION } from '@/lib/k8s/revision-rules';
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
    // Pods still being replaced. Not "unavailable": a fully rolled-out release whose pods crash
    // makes `rollout status` wait too, but there is nothing left to pause (runbook step 2).
    rolloutInProgress: rollout.state !== 'complete' && (updated < replicas || total > updated),
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

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** `kubectl rollout pause` through lib/k8s (strategic merge `spec.paused: true`, who and why as annotations). */
export async function pauseRollout(t: DeploymentTarget, actor?: K8sActor): Promise<K8sResult<DeploymentView>> {
  const r = await k8sPauseRollout({ namespace: t.namespace, name: t.deployment, actor, reason: 'runbook step 2: pause the rollout' });
  if (!r.ok) return r;
  const d = await getDeployment(t);
  return d.ok ? { ...d, kubectl: r.kubectl, resourceVersionBefore: r.resourceVersionBefore, resourceVersionAfter: r.resourceVersionAfter } : d;
}

/**
 * `kubectl rollout undo [--to-revision=N]` through lib/k8s. kubectl refuses a paused deployment;
 * the commander paused it in step 2 on purpose, so lib/k8s resumes in the same patch.
 * `expectedGeneration` (from the precondition's read) refuses the write if the spec changed
 * meanwhile; status churn does not count.
 */
export async function undoRollout(
  t: DeploymentTarget & { toRevision?: number; expectedGeneration?: number },
  actor?: K8sActor,
): Promise<K8sResult<{ fromRevision: number | null; toRevision: number; image: string | null; resumed: boolean; deployment: DeploymentView }>> {
  const r = await k8sUndoRollout({
    namespace: t.namespace,
    name: t.deployment,
    toRevision: t.toRevision,
    expectedGeneration: t.expectedGeneration,
    actor,
    reason: `runbook step 4: roll back${t.toRevision ? ` to revision ${t.toRevision}` : ''}`,
  });
  if (!r.ok) return r;
  if (!r.data.changed) return { ok: false, code: 'PreconditionFailed', message: r.data.skipped ?? 'nothing to roll back', kubectl: r.kubectl };
  const d = await getDeployment(t);
  if (!d.ok) return { ...d, kubectl: r.kubectl };
  return k8sOk({ fromRevision: r.data.fromRevision, toRevision: r.data.toRevision, image: d.data.image, resumed: r.data.resumed, deployment: d.data }, r.kubectl, {
    before: r.resourceVersionBefore,
    after: r.resourceVersionAfter,
  });
}

/** What an undo would do, without doing it: the template diff and the kubectl equivalent (lib/k8s dry run). */
export async function previewUndo(t: DeploymentTarget & { toRevision?: number }, actor?: K8sActor): Promise<K8sResult<{ toRevision: number; diff: unknown; note: string | null; skipped: string | null }>> {
  const r = await k8sUndoRollout({ namespace: t.namespace, name: t.deployment, toRevision: t.toRevision, actor, dryRun: true });
  if (!r.ok) return r;
  return k8sOk({ toRevision: r.data.toRevision, diff: r.data.diff, note: r.data.note, skipped: r.data.skipped }, r.kubectl);
}

/**
 * Runbook step 4 option C, `kubectl apply -f deployment-backup.yaml`: puts a saved manifest's pod
 * template back. Not lib/k8s applyManifest: a client-side apply would leave `spec.paused` (set in
 * step 2) in place, so this merge patch replaces the template and resumes in one write.
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
      metadata: { annotations: recordAnnotations({ actor, reason: `runbook step 4: apply ${t.file}`, changeCause: true }) },
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

/** `kubectl scale deployment X --replicas=N` through lib/k8s (the scale subresource). */
export async function scaleDeployment(t: DeploymentTarget & { replicas: number }, actor?: K8sActor): Promise<K8sResult<{ replicas: number }>> {
  const r = await k8sScaleDeployment({ namespace: t.namespace, name: t.deployment, replicas: t.replicas, actor, reason: `runbook step 5: scale to ${t.replicas}` });
  if (!r.ok) return r;
  return { ...r, data: { replicas: r.data.replicas } };
}

/** `kubectl rollout restart` through lib/k8s: the restartedAt pod-template annotation makes a new revision. */
export async function restartRollout(t: DeploymentTarget, actor?: K8sActor): Promise<K8sResult<{ restartedAt: string }>> {
  const r = await k8sRestartRollout({ namespace: t.namespace, name: t.deployment, actor, reason: 'runbook step 6: pick up the restored ConfigMap' });
  if (!r.ok) return r;
  return { ...r, data: { restartedAt: r.data.restartedAt } };
}

/** Puts a saved ConfigMap back (replace, or recreate) through lib/k8s. */
export async function restoreConfigMap(o: { namespace: string; name: string; manifest: JsonObject; file: string }, actor?: K8sActor): Promise<K8sResult<{ created: boolean }>> {
  const snapshot = { ...o.manifest, metadata: { ...((o.manifest.metadata as Record<string, unknown> | undefined) ?? {}), name: o.name, namespace: o.namespace } };
  const r = await k8sRestoreConfigMap({ snapshot, fileName: o.file, actor, reason: 'runbook step 6: restore the ConfigMap' });
  if (!r.ok) return r;
  return { ...r, data: { created: r.data.action === 'created' } };
}

/**
 * Puts a saved HPA back (replace, or recreate when it was deleted) through lib/k8s. The HPA
 * controller writes status all the time, so a replace can meet a 409: it is retried.
 */
export async function restoreHpa(o: { namespace: string; name: string; manifest: JsonObject; file: string }, actor?: K8sActor): Promise<K8sResult<{ created: boolean }>> {
  const snapshot = { ...o.manifest, metadata: { ...((o.manifest.metadata as Record<string, unknown> | undefined) ?? {}), name: o.name, namespace: o.namespace } };
  for (let attempt = 0; ; attempt++) {
    const r = await k8sRestoreHpa({ snapshot, fileName: o.file, actor, reason: 'runbook step 9: restore autoscaling' });
    if (!r.ok && r.code === 'Conflict' && attempt < 4) continue;
    if (!r.ok) return r;
    return { ...r, data: { created: r.data.action === 'created' } };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `kubectl wait --for=delete|condition=ready pod -l …` through lib/k8s (list + watch). */
export async function waitForPods(o: {
  namespace: string;
  selector: string;
  condition: 'delete' | 'ready';
  timeoutMs: number;
  count?: number;
}): Promise<K8sResult<{ pods: PodSummary[] }>> {
  const r = await k8sWaitForPods({ namespace: o.namespace, selector: o.selector, condition: o.condition, minReady: o.count, timeoutMs: o.timeoutMs });
  if (!r.ok) return r;
  if (!r.data.satisfied) {
    return { ok: false, code: 'Unavailable', message: `timed out waiting for pods -l ${o.selector} to be ${o.condition === 'delete' ? 'deleted' : 'ready'}: ${r.data.message ?? ''}`, kubectl: r.kubectl };
  }
  return k8sOk({ pods: r.data.pods }, r.kubectl);
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
