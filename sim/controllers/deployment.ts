/**
 * The Deployment controller, following kube-controller-manager's: one ReplicaSet per pod
 * template (named `<deployment>-<pod-template-hash>`), revision annotations (a reused ReplicaSet
 * moves to revision max+1, as after `kubectl rollout undo`), rolling updates bounded by
 * maxSurge/maxUnavailable, proportional scaling while paused or mid-rollout, status with
 * observedGeneration and the Available/Progressing conditions (progress deadline), and cleanup of
 * old ReplicaSets beyond revisionHistoryLimit.
 * @see https://github.com/kubernetes/kubernetes/tree/master/pkg/controller/deployment
 */
import type { Loose } from './util';
import type { KubeObject, Store } from '../store';
import { StoreError } from '../store';
import type { Clock } from '../clock';
import type { EventRecorder } from './events';
import {
  ANNOTATIONS_TO_SKIP,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  POD_TEMPLATE_HASH,
  REVISION,
  REVISION_HISTORY,
  condition,
  deletePodGracefully,
  equalIgnoreHash,
  isControlledBy,
  mutate,
  nowIso,
  ownerReferenceTo,
  resolveIntOrPercent,
  selectorString,
  templateHash,
} from './util';

const COMPONENT = 'deployment-controller';

type Ctx = { store: Store; clock: Clock; events: EventRecorder };

const replicasOf = (o: KubeObject): number => (typeof o.spec?.replicas === 'number' ? o.spec.replicas : 1);
const revisionOf = (rs: KubeObject): number => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
const sum = (xs: KubeObject[], f: (o: KubeObject) => number) => xs.reduce((a, o) => a + f(o), 0);
const statusReplicas = (rs: KubeObject) => rs.status?.replicas ?? 0;
const available = (rs: KubeObject) => rs.status?.availableReplicas ?? 0;

function isRolling(d: KubeObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** maxSurge (rounded up) and maxUnavailable (rounded down) of a rolling Deployment. */
export function resolveFenceposts(d: KubeObject): { maxSurge: number; maxUnavailable: number } {
  if (!isRolling(d)) return { maxSurge: 0, maxUnavailable: 0 };
  const replicas = replicasOf(d);
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const maxSurge = resolveIntOrPercent(ru.maxSurge, replicas, true, '25%');
  let maxUnavailable = resolveIntOrPercent(ru.maxUnavailable, replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

function maxUnavailableOf(d: KubeObject): number {
  const replicas = replicasOf(d);
  if (!isRolling(d) || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d).maxUnavailable, replicas);
}

function hasProgressDeadline(d: KubeObject): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s === undefined || (typeof s === 'number' && s < 2147483647);
}
const progressDeadlineSeconds = (d: KubeObject): number => d.spec?.progressDeadlineSeconds ?? 600;

type Cond = { type: string; status: string; reason: string; message: string; lastUpdateTime?: string; lastTransitionTime?: string };

function setCondition(status: Loose, c: Cond, now: string): void {
  const list: Cond[] = (status.conditions ??= []);
  const i = list.findIndex((x) => x.type === c.type);
  const cur = i >= 0 ? list[i] : undefined;
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const next: Cond = { type: c.type, status: c.status, lastUpdateTime: c.lastUpdateTime ?? now, lastTransitionTime: c.lastTransitionTime ?? now, reason: c.reason, message: c.message };
  if (cur && cur.status === c.status && !c.lastTransitionTime) next.lastTransitionTime = cur.lastTransitionTime;
  if (i >= 0) list[i] = next;
  else list.push(next);
}

function removeCondition(status: Loose, type: string): void {
  if (status.conditions) status.conditions = (status.conditions as Cond[]).filter((c) => c.type !== type);
}

export class DeploymentController {
  constructor(private ctx: Ctx) {}

  private get store() {
    return this.ctx.store;
  }

  private now(): string {
    return nowIso(this.ctx.clock.now());
  }

  sync(ns: string, name: string): void {
    const d = this.store.get('deployments', ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const selector = selectorString(d.spec?.selector);
    if (!selector) return; // an empty selector would select everything: the API rejects it
    const rsList = this.store
      .list('replicasets', { namespace: ns, labelSelector: selector })
      .items.filter((rs) => isControlledBy(rs, d));

    if (this.checkPausedConditions(d)) return; // status written: the change re-queues us

    if (d.spec?.paused || this.isScalingEvent(d, rsList)) {
      this.syncOnly(d, rsList);
      return;
    }
    if (isRolling(d)) this.rolloutRolling(d, rsList);
    else this.rolloutRecreate(d, rsList);
  }

  /** DeploymentPaused / DeploymentResumed on the Progressing condition. Returns true when it wrote. */
  private checkPausedConditions(d: KubeObject): boolean {
    if (!hasProgressDeadline(d)) return false;
    const cond = condition(d, 'Progressing');
    if (cond?.reason === 'ProgressDeadlineExceeded') return false;
    const pausedCond = cond?.reason === 'DeploymentPaused';
    const status = structuredClone(d.status ?? {});
    if (d.spec?.paused && !pausedCond) {
      setCondition(status, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, this.now());
    } else if (!d.spec?.paused && pausedCond) {
      setCondition(status, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' }, this.now());
    } else return false;
    this.writeStatus(d, status);
    return true;
  }

  private isScalingEvent(d: KubeObject, rsList: KubeObject[]): boolean {
    const active = rsList.filter((rs) => replicasOf(rs) > 0);
    for (const rs of active) {
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
      if (desired === undefined) continue;
      if (Number(desired) !== replicasOf(d)) return true;
    }
    return false;
  }

  /** Paused or scaling: scale proportionally, never start a new rollout. */
  private syncOnly(d: KubeObject, rsList: KubeObject[]): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    this.scale(d, newRS, oldRSs);
    const fresh = this.refresh(d, newRS, oldRSs);
    if (d.spec?.paused) this.cleanup(d, fresh.oldRSs);
    this.syncStatus(d, fresh.all, fresh.newRS, false);
  }

  private refresh(d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]) {
    const get = (rs: KubeObject) => this.store.get('replicasets', rs.metadata.namespace, rs.metadata.name);
    const n = newRS ? get(newRS) : undefined;
    const olds = oldRSs.map(get).filter((x): x is KubeObject => !!x);
    return { newRS: n, oldRSs: olds, all: n ? [...olds, n] : olds };
  }

  private rolloutRolling(d: KubeObject, rsList: KubeObject[]): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
    if (!newRS) return;
    let all = [...oldRSs, newRS];
    if (this.reconcileNewReplicaSet(all, newRS, d)) {
      const f = this.refresh(d, newRS, oldRSs);
      this.syncStatus(d, f.all, f.newRS, true);
      return;
    }
    if (this.reconcileOldReplicaSets(all, oldRSs.filter((rs) => replicasOf(rs) > 0), newRS, d)) {
      const f = this.refresh(d, newRS, oldRSs);
      this.syncStatus(d, f.all, f.newRS, true);
      return;
    }
    const f = this.refresh(d, newRS, oldRSs);
    all = f.all;
    const cur = this.store.get('deployments', d.metadata.namespace, d.metadata.name) ?? d;
    if (this.isComplete(cur, cur.status ?? {})) this.cleanup(d, f.oldRSs);
    this.syncStatus(d, all, f.newRS, true);
  }

  /** Recreate: scale every old ReplicaSet to zero, wait for their pods to go, then scale up. */
  private rolloutRecreate(d: KubeObject, rsList: KubeObject[]): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    let scaled = false;
    for (const rs of oldRSs) if (replicasOf(rs) > 0) scaled = this.scaleRS(rs, 0, d) || scaled;
    const olds = this.refresh(d, newRS, oldRSs).oldRSs;
    const running = this.store
      .listFrozen('pods', { namespace: d.metadata.namespace, labelSelector: selectorString(d.spec?.selector) }).filter((p) => olds.some((rs) => isControlledBy(p, rs)));
    let n = newRS;
    if (!scaled && running.length === 0) {
      if (!n) n = this.getAllReplicaSetsAndSyncRevision(d, this.refresh(d, undefined, rsList).oldRSs, true).newRS;
      if (n) this.scaleRS(n, replicasOf(d), d);
    }
    const f = this.refresh(d, n, olds);
    this.syncStatus(d, f.all, f.newRS, true);
  }

  // ------------------------------------------------------------ ReplicaSets and revisions

  private getAllReplicaSetsAndSyncRevision(d: KubeObject, rsList: KubeObject[], createIfNotExisted: boolean): { newRS?: KubeObject; oldRSs: KubeObject[] } {
    const sorted = [...rsList].sort(
      (a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name),
    );
    const existing = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
    const oldRSs = sorted.filter((rs) => rs !== existing);
    const maxOld = oldRSs.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    const newRevision = String(maxOld + 1);
    const { maxSurge } = resolveFenceposts(d);

    if (existing) {
      const rs = structuredClone(existing);
      const changed = this.setNewReplicaSetAnnotations(d, rs, newRevision, true);
      let result = existing;
      if (changed) {
        delete rs.metadata.resourceVersion;
        result = this.store.update('replicasets', rs);
      }
      // The Deployment carries the revision of its new ReplicaSet.
      const rev = result.metadata.annotations?.[REVISION] ?? newRevision;
      if (d.metadata.annotations?.[REVISION] !== rev) {
        mutate(this.store, 'deployments', d.metadata.namespace, d.metadata.name, (x) => {
          x.metadata.annotations = { ...(x.metadata.annotations ?? {}), [REVISION]: rev };
        });
      }
      if (hasProgressDeadline(d) && !condition(d, 'Progressing')) {
        const status = structuredClone(d.status ?? {});
        setCondition(status, { type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${result.metadata.name}"` }, this.now());
        this.writeStatus(d, status);
      }
      return { newRS: result, oldRSs };
    }
    if (!createIfNotExisted) return { oldRSs };

    const collisionCount: number = d.status?.collisionCount ?? 0;
    const template = structuredClone(d.spec?.template ?? {});
    const hash = templateHash(template, collisionCount);
    template.metadata = template.metadata ?? {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: template.metadata.labels,
        annotations: {},
        ownerReferences: [ownerReferenceTo(d)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const all = [...oldRSs, rs];
    const newReplicas = this.newRSNewReplicas(d, all, rs);
    rs.spec.replicas = newReplicas;
    this.setNewReplicaSetAnnotations(d, rs, newRevision, false);
    rs.metadata.annotations![DESIRED_REPLICAS] = String(replicasOf(d));
    rs.metadata.annotations![MAX_REPLICAS] = String(replicasOf(d) + maxSurge);
    let created: KubeObject;
    try {
      created = this.store.create('replicasets', rs);
    } catch (err) {
      if (err instanceof StoreError && err.code === 409) {
        // A ReplicaSet of that name with another template: bump collisionCount and retry later.
        const status = structuredClone(d.status ?? {});
        status.collisionCount = collisionCount + 1;
        this.writeStatus(d, status);
        return { oldRSs };
      }
      throw err;
    }
    if (newReplicas > 0) {
      this.ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${newReplicas}`, COMPONENT);
    }
    mutate(this.store, 'deployments', d.metadata.namespace, d.metadata.name, (x) => {
      if (x.metadata.annotations?.[REVISION] === newRevision) return false;
      x.metadata.annotations = { ...(x.metadata.annotations ?? {}), [REVISION]: newRevision };
    });
    if (hasProgressDeadline(d)) {
      const cur = this.store.get('deployments', d.metadata.namespace, d.metadata.name) ?? d;
      const status = structuredClone(cur.status ?? {});
      setCondition(status, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${created.metadata.name}"` }, this.now());
      this.writeStatus(cur, status);
    }
    return { newRS: created, oldRSs };
  }

  /** Copies the Deployment's annotations, moves the revision forward, records revision history. */
  private setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: string, exists: boolean): boolean {
    const ann: Record<string, string> = { ...(rs.metadata.annotations ?? {}) };
    let changed = false;
    for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
      if (ANNOTATIONS_TO_SKIP.has(k)) continue;
      if (ann[k] !== v) {
        ann[k] = v;
        changed = true;
      }
    }
    const oldRevision = ann[REVISION];
    if (!oldRevision || Number(oldRevision) < Number(newRevision)) {
      ann[REVISION] = newRevision;
      changed = true;
      if (oldRevision && exists) {
        ann[REVISION_HISTORY] = ann[REVISION_HISTORY] ? `${ann[REVISION_HISTORY]},${oldRevision}` : oldRevision;
      }
    }
    rs.metadata.annotations = ann;
    return changed;
  }

  private newRSNewReplicas(d: KubeObject, all: KubeObject[], newRS: KubeObject): number {
    const replicas = replicasOf(d);
    if (!isRolling(d)) return replicas;
    const { maxSurge } = resolveFenceposts(d);
    const current = sum(all, replicasOf);
    const maxTotal = replicas + maxSurge;
    if (current >= maxTotal) return replicasOf(newRS);
    const up = Math.min(maxTotal - current, replicas - replicasOf(newRS));
    return replicasOf(newRS) + Math.max(0, up);
  }

  /** Scales a ReplicaSet and records ScalingReplicaSet on the Deployment. Returns whether it scaled. */
  private scaleRS(rs: KubeObject, newScale: number, d: KubeObject): boolean {
    const { maxSurge } = resolveFenceposts(d);
    const desired = String(replicasOf(d));
    const max = String(replicasOf(d) + maxSurge);
    const before = replicasOf(rs);
    const needsSize = before !== newScale;
    const needsAnn = rs.metadata.annotations?.[DESIRED_REPLICAS] !== desired || rs.metadata.annotations?.[MAX_REPLICAS] !== max;
    if (!needsSize && !needsAnn) return false;
    mutate(this.store, 'replicasets', rs.metadata.namespace, rs.metadata.name, (x) => {
      x.spec.replicas = newScale;
      x.metadata.annotations = { ...(x.metadata.annotations ?? {}), [DESIRED_REPLICAS]: desired, [MAX_REPLICAS]: max };
    });
    if (needsSize) {
      const op = before < newScale ? 'up' : 'down';
      this.ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} from ${before} to ${newScale}`, COMPONENT);
    }
    return needsSize;
  }

  private reconcileNewReplicaSet(all: KubeObject[], newRS: KubeObject, d: KubeObject): boolean {
    const replicas = replicasOf(d);
    if (replicasOf(newRS) === replicas) return false;
    if (replicasOf(newRS) > replicas) return this.scaleRS(newRS, replicas, d);
    return this.scaleRS(newRS, this.newRSNewReplicas(d, all, newRS), d);
  }

  private reconcileOldReplicaSets(all: KubeObject[], oldRSs: KubeObject[], newRS: KubeObject, d: KubeObject): boolean {
    const oldPods = sum(oldRSs, replicasOf);
    if (oldPods === 0) return false;
    const allPods = sum(all, replicasOf);
    const minAvailable = replicasOf(d) - maxUnavailableOf(d);
    const newRSUnavailable = replicasOf(newRS) - available(newRS);
    const maxScaledDown = allPods - minAvailable - newRSUnavailable;
    if (maxScaledDown <= 0) return false;

    // Scale down unhealthy old replicas first: they do not count towards availability anyway.
    const byAge = [...oldRSs].sort((a, b) => revisionOf(a) - revisionOf(b));
    let cleaned = 0;
    const remaining: KubeObject[] = [];
    for (const rs of byAge) {
      if (cleaned >= maxScaledDown || replicasOf(rs) === 0 || available(rs) >= replicasOf(rs)) {
        remaining.push(rs);
        continue;
      }
      const down = Math.min(maxScaledDown - cleaned, replicasOf(rs) - available(rs));
      this.scaleRS(rs, replicasOf(rs) - down, d);
      cleaned += down;
      remaining.push(this.store.get('replicasets', rs.metadata.namespace, rs.metadata.name) ?? rs);
    }

    // Then scale down old replicas while keeping minAvailable.
    const allNow = [...remaining, newRS];
    const availableNow = sum(allNow, available);
    let scaledDown = 0;
    if (availableNow > minAvailable) {
      const total = availableNow - minAvailable;
      for (const rs of remaining) {
        if (scaledDown >= total) break;
        if (replicasOf(rs) === 0) continue;
        const down = Math.min(replicasOf(rs), total - scaledDown);
        this.scaleRS(rs, replicasOf(rs) - down, d);
        scaledDown += down;
      }
    }
    return cleaned + scaledDown > 0;
  }

  /** Scaling without a rollout (paused, or spec.replicas changed mid-rollout). */
  private scale(d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]): void {
    const replicas = replicasOf(d);
    const olderFirst = [...oldRSs].sort((a, b) => revisionOf(b) - revisionOf(a)); // newest first
    const active = [...(newRS ? [newRS] : []), ...olderFirst].filter((rs) => replicasOf(rs) > 0);
    let activeOrLatest: KubeObject | undefined;
    if (active.length === 0) activeOrLatest = newRS ?? olderFirst[0];
    else if (active.length === 1) activeOrLatest = active[0];
    if (!newRS && oldRSs.length === 0) return;
    if (activeOrLatest) {
      this.scaleRS(activeOrLatest, replicas, d);
      return;
    }
    if (newRS && replicasOf(newRS) === replicas && Number(newRS.metadata.annotations?.[DESIRED_REPLICAS]) === replicas && available(newRS) === replicas) {
      for (const rs of oldRSs) if (replicasOf(rs) > 0) this.scaleRS(rs, 0, d);
      return;
    }
    if (!isRolling(d)) return;
    const { maxSurge } = resolveFenceposts(d);
    const allowed = replicas > 0 ? replicas + maxSurge : 0;
    const toAdd = allowed - sum(active, replicasOf);
    const bySize = [...active].sort((a, b) => replicasOf(b) - replicasOf(a) || (toAdd > 0 ? revisionOf(b) - revisionOf(a) : revisionOf(a) - revisionOf(b)));
    const sizes = new Map<KubeObject, number>();
    let added = 0;
    for (const rs of bySize) {
      let p = 0;
      if (toAdd !== 0 && toAdd !== added && replicasOf(rs) > 0) {
        let fraction: number;
        if (replicas === 0) fraction = -replicasOf(rs);
        else {
          const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? d.status?.replicas ?? 0) || 1;
          fraction = Math.round((replicasOf(rs) * (replicas + maxSurge)) / annotated) - replicasOf(rs);
        }
        const allowedLeft = toAdd - added;
        p = toAdd > 0 ? Math.min(fraction, allowedLeft) : Math.max(fraction, allowedLeft);
      }
      sizes.set(rs, replicasOf(rs) + p);
      added += p;
    }
    const first = bySize[0];
    if (first && toAdd !== 0) sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
    for (const rs of bySize) this.scaleRS(rs, Math.max(0, sizes.get(rs) ?? replicasOf(rs)), d);
  }

  /** Deletes old, empty ReplicaSets beyond revisionHistoryLimit (oldest revision first). */
  private cleanup(d: KubeObject, oldRSs: KubeObject[]): void {
    const limit: number = d.spec?.revisionHistoryLimit ?? 10;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    const sorted = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b));
    for (let i = 0; i < diff; i++) {
      const rs = sorted[i]!;
      if (statusReplicas(rs) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      this.store.delete('replicasets', rs.metadata.namespace, rs.metadata.name);
      for (const p of this.store.listFrozen('pods', { namespace: rs.metadata.namespace })) if (isControlledBy(p, rs)) deletePodGracefully(this.store, p);
    }
  }

  // ------------------------------------------------------------ status

  private calculateStatus(d: KubeObject, all: KubeObject[], newRS: KubeObject | undefined): Loose {
    const availableReplicas = sum(all, available);
    const totalSpec = sum(all, replicasOf);
    const status = structuredClone(d.status ?? {});
    status.observedGeneration = d.metadata.generation ?? 1;
    status.replicas = sum(all, statusReplicas);
    status.updatedReplicas = newRS ? statusReplicas(newRS) : 0;
    status.readyReplicas = sum(all, (rs) => rs.status?.readyReplicas ?? 0);
    status.availableReplicas = availableReplicas;
    status.unavailableReplicas = Math.max(0, totalSpec - availableReplicas);
    for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) {
      if (status[k] === 0 && k !== 'replicas') delete status[k]; // omitempty, as the real API serves it
    }
    if (status.replicas === 0) delete status.replicas;
    if (availableReplicas >= replicasOf(d) - maxUnavailableOf(d)) {
      setCondition(status, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, this.now());
    } else {
      setCondition(status, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, this.now());
    }
    // Available first, then Progressing, as the real controller orders them.
    if (status.conditions) status.conditions.sort((a: Cond, b: Cond) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
    return status;
  }

  private isComplete(d: KubeObject, s: Loose): boolean {
    const r = replicasOf(d);
    return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1);
  }

  private syncStatus(d0: KubeObject, all: KubeObject[], newRS: KubeObject | undefined, rollout: boolean): void {
    const d = this.store.get('deployments', d0.metadata.namespace, d0.metadata.name);
    if (!d) return;
    const status = this.calculateStatus(d, all, newRS);
    if (rollout) {
      if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
      const cur = condition(d, 'Progressing');
      const complete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && cur?.reason === 'NewReplicaSetAvailable';
      if (hasProgressDeadline(d) && !complete) {
        const rsName = newRS?.metadata.name;
        const old = d.status ?? {};
        const progressing =
          (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
          (status.replicas ?? 0) - (status.updatedReplicas ?? 0) < (old.replicas ?? 0) - (old.updatedReplicas ?? 0) ||
          (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
          (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
        if (this.isComplete(d, status)) {
          setCondition(status, {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : 'Deployment has successfully progressed.',
          }, this.now());
        } else if (progressing) {
          removeCondition(status, 'Progressing');
          setCondition(status, {
            type: 'Progressing',
            status: 'True',
            reason: 'ReplicaSetUpdated',
            message: `ReplicaSet "${rsName}" is progressing.`,
            lastTransitionTime: cur?.status === 'True' ? cur.lastTransitionTime : undefined,
          }, this.now());
        } else {
          const c = condition({ status } as unknown as KubeObject, 'Progressing') as Cond | undefined;
          if (c && c.reason !== 'NewReplicaSetAvailable' && c.reason !== 'ProgressDeadlineExceeded' && c.lastUpdateTime) {
            const since = this.ctx.clock.simSince(Date.parse(c.lastUpdateTime));
            if (since > progressDeadlineSeconds(d) * 1000) {
              setCondition(status, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` }, this.now());
              this.ctx.events.record(d, 'Warning', 'ProgressDeadlineExceeded', `Deployment "${d.metadata.name}" has timed out progressing.`, COMPONENT);
            }
          }
        }
      }
    }
    this.writeStatus(d, status);
  }

  private writeStatus(d: KubeObject, status: Loose): void {
    mutate(this.store, 'deployments', d.metadata.namespace, d.metadata.name, (x) => {
      x.status = status;
    }, true);
  }
}
