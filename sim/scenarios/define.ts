/**
 * What a scenario is (data), and how it is laid into the store: the Deployment with one owned
 * ReplicaSet per revision, pods already in their steady state, ConfigMap/Secret/Services/HPA,
 * StatefulSet postgres with postgres-0, a few historical events.
 */
import type { Loose } from '../controllers/util';
import type { KubeObject, Store } from '../store';
import type { PodBehaviour, ScenarioName } from './types';
import { imageTag } from './types';
import { podFromTemplate } from '../controllers/replicaset';
import { NODE_NAME, backOffMessage, oomKillingMessage } from '../controllers/pods';
import {
  CHANGE_CAUSE,
  DESIRED_REPLICAS,
  LAST_APPLIED,
  MAX_REPLICAS,
  POD_TEMPLATE_HASH,
  REVISION,
  nowIso,
  ownerReferenceTo,
  randomHex,
  templateHash,
} from '../controllers/util';
import {
  APP,
  NAMESPACE,
  orchestratorConfigMap,
  orchestratorDeployment,
  orchestratorHpa,
  orchestratorSecret,
  orchestratorService,
  orchestratorTemplate,
  postgresService,
  postgresStatefulSet,
} from './orchestrator';

/** Pods of one revision as the scenario starts: ready (with past restarts), or crash-looping. */
export type PodSeed = { state: 'ready' | 'crashloop'; restarts: number[]; lastReason?: 'OOMKilled' | 'Error' };

export type RevisionSeed = {
  version: string;
  changeCause: string;
  /** Minutes before the scenario starts at which this revision was rolled out. */
  deployedMinutesAgo: number;
  /** spec.replicas of its ReplicaSet. */
  replicas: number;
  pods?: PodSeed;
};

export type Scenario = {
  name: ScenarioName;
  description: string;
  namespace: string;
  /** Revisions 1..n in order; the Deployment's template is the last one's. */
  revisions: RevisionSeed[];
  /** Pod behaviour by image version tag; unknown versions are healthy. */
  behaviours: Record<string, PodBehaviour>;
  config: { current: Record<string, string>; previous?: Record<string, string> };
  /** A rollout still in progress: how long ago (simulated seconds) it last progressed. */
  rollout?: { lastProgressSecondsAgo: number };
  database: {
    /** Migrations applied, in order. */
    migrations: string[];
    /** Write backup-*.sql.gz just before this migration is applied (taken before the bad deploy). */
    backupBeforeMigration?: string;
  };
  /** Write configmap-backup-*.yaml and deployment-backup-*.yaml (state before the last revision). */
  manifestBackups: boolean;
  behaviourFor(image: string): PodBehaviour;
};

export function defineScenario(s: Omit<Scenario, 'behaviourFor'>): Scenario {
  return { ...s, behaviourFor: (image: string) => s.behaviours[imageTag(image)] ?? { kind: 'healthy' } };
}

const minutesAgo = (now: number, m: number) => nowIso(now - m * 60_000);

/** kubectl's last-applied annotation for a manifest (what `kubectl apply` would have recorded). */
export function lastApplied(o: KubeObject): string {
  const clean = structuredClone(o);
  delete clean.status;
  return JSON.stringify(clean) + '\n';
}

/**
 * Creates an object as if it had been created at `ms` (epoch milliseconds), so kubectl's AGE and the
 * console's revision dates tell the scenario's story. The store stamps creationTimestamp from its
 * `now` hook; this borrows that hook for the one call (and stamps "now" if the store has none).
 */
function createAt(store: Store, resource: string, obj: KubeObject, ms: number): KubeObject {
  const opts = (store as unknown as { options?: { now?: () => Date } }).options;
  if (!opts) return store.create(resource, obj);
  const prev = opts.now;
  opts.now = () => new Date(ms);
  try {
    return store.create(resource, obj);
  } finally {
    if (prev) opts.now = prev;
    else delete opts.now;
  }
}

/** Lays the scenario's cluster state into an (empty) store. Synchronous: controllers see it whole. */
export function seedCluster(store: Store, s: Scenario, opts: { now: number; speed: number }): void {
  const now = opts.now;
  const ns = s.namespace;
  const born = now - s.revisions[0]!.deployedMinutesAgo * 60_000;
  const at = (minutes: number) => now - minutes * 60_000;
  createAt(store, 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }, born);
  createAt(store, 'namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  }, born);
  const cm = orchestratorConfigMap(s.config.current);
  cm.metadata.annotations = { [LAST_APPLIED]: lastApplied(orchestratorConfigMap(s.config.current)) };
  createAt(store, 'configmaps', cm, born);
  createAt(store, 'secrets', orchestratorSecret(), born);
  createAt(store, 'services', orchestratorService(), born);
  createAt(store, 'services', postgresService(), born);

  // The Deployment and its history.
  const last = s.revisions[s.revisions.length - 1]!;
  const manifest = orchestratorDeployment(last.version, last.changeCause);
  const d = structuredClone(manifest);
  d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: String(s.revisions.length), [LAST_APPLIED]: lastApplied(manifest) };
  const deployment = createAt(store, 'deployments', d, born);
  const rsNames: string[] = [];
  let ready = 0;
  let total = 0;
  let updated = 0;
  s.revisions.forEach((rev, i) => {
    const template = orchestratorTemplate(rev.version);
    const hash = templateHash(template);
    template.metadata.labels[POD_TEMPLATE_HASH] = hash;
    const rs = createAt(store, 'replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${APP}-${hash}`,
        namespace: ns,
        labels: template.metadata.labels,
        annotations: {
          [CHANGE_CAUSE]: rev.changeCause,
          [REVISION]: String(i + 1),
          [DESIRED_REPLICAS]: '3',
          [MAX_REPLICAS]: '4',
        },
        ownerReferences: [ownerReferenceTo(deployment)],
      },
      spec: { replicas: rev.replicas, minReadySeconds: 0, selector: { matchLabels: { app: APP, [POD_TEMPLATE_HASH]: hash } }, template },
    }, at(rev.deployedMinutesAgo));
    rsNames.push(rs.metadata.name);
    let rsReady = 0;
    const seed = rev.pods;
    for (let p = 0; p < rev.replicas; p++) {
      const restarts = seed?.restarts[p] ?? 0;
      const pod = podFromTemplate(rs, template, { generateName: `${rs.metadata.name}-` });
      pod.spec.nodeName = NODE_NAME;
      const crash = seed?.state === 'crashloop';
      if (!crash) rsReady++;
      pod.status = steadyPodStatus(pod, {
        now,
        startedMinutesAgo: rev.deployedMinutesAgo,
        restarts,
        lastReason: seed?.lastReason,
        crashloop: crash,
        speed: opts.speed,
      });
      const created = createAt(store, 'pods', pod, at(rev.deployedMinutesAgo));
      if (restarts > 0) {
        // The pod's recent history, as `kubectl describe pod` would show it (events live 1 h).
        const first = minutesAgo(now, Math.min(rev.deployedMinutesAgo, 55));
        const last = nowIso(now - 25_000 / opts.speed);
        const w = { type: 'Warning' as const, count: restarts, last, host: NODE_NAME };
        if (seed?.lastReason === 'OOMKilled') historicalEvent(store, created, 'OOMKilling', oomKillingMessage(created), first, 'kubelet', w);
        historicalEvent(store, created, 'BackOff', backOffMessage(created), first, 'kubelet', w);
      }
    }
    store.updateStatus('replicasets', {
      ...rs,
      status: {
        replicas: rev.replicas,
        fullyLabeledReplicas: rev.replicas || undefined,
        readyReplicas: rsReady || undefined,
        availableReplicas: rsReady || undefined,
        observedGeneration: 1,
      },
    });
    ready += rsReady;
    total += rev.replicas;
    if (i === s.revisions.length - 1) updated = rev.replicas;
  });
  const newRS = rsNames[rsNames.length - 1]!;
  const rolloutAt = nowIso(now - ((s.rollout?.lastProgressSecondsAgo ?? 0) * 1000) / opts.speed);
  const deployedAt = minutesAgo(now, last.deployedMinutesAgo);
  store.updateStatus('deployments', {
    ...deployment,
    status: {
      observedGeneration: deployment.metadata.generation,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(total - ready > 0 ? { unavailableReplicas: total - ready } : {}),
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: deployedAt, lastTransitionTime: deployedAt, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        s.rollout
          ? { type: 'Progressing', status: 'True', lastUpdateTime: rolloutAt, lastTransitionTime: deployedAt, reason: 'ReplicaSetUpdated', message: `ReplicaSet "${newRS}" is progressing.` }
          : { type: 'Progressing', status: 'True', lastUpdateTime: deployedAt, lastTransitionTime: minutesAgo(now, s.revisions[0]!.deployedMinutesAgo), reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${newRS}" has successfully progressed.` },
      ],
    },
  });

  // Rollout history as events on the Deployment.
  s.revisions.forEach((rev, i) => {
    // Events live one hour in Kubernetes: only the last deploy's are still there.
    if (i === 0 || rev.deployedMinutesAgo > 60) return;
    const at = minutesAgo(now, rev.deployedMinutesAgo);
    const up = s.rollout && i === s.revisions.length - 1 ? rev.replicas : 3;
    historicalEvent(store, deployment, 'ScalingReplicaSet', `Scaled up replica set ${rsNames[i]} from 0 to ${up}`, at, 'deployment-controller');
    if (!(s.rollout && i === s.revisions.length - 1)) {
      historicalEvent(store, deployment, 'ScalingReplicaSet', `Scaled down replica set ${rsNames[i - 1]} from 3 to 0`, at, 'deployment-controller');
    }
  });

  createAt(store, 'horizontalpodautoscalers', orchestratorHpa(), born);

  const sts = createAt(store, 'statefulsets', postgresStatefulSet(), born);
  const pgTemplate = sts.spec.template;
  const pgPod = podFromTemplate(sts, pgTemplate, { name: 'postgres-0' }, {
    'controller-revision-hash': `postgres-${templateHash(pgTemplate)}`,
    'statefulset.kubernetes.io/pod-name': 'postgres-0',
    'apps.kubernetes.io/pod-index': '0',
  });
  pgPod.spec.nodeName = NODE_NAME;
  pgPod.spec.hostname = 'postgres-0';
  pgPod.spec.subdomain = 'postgres';
  pgPod.status = steadyPodStatus(pgPod, { now, startedMinutesAgo: 60 * 24 * 20, restarts: 0, crashloop: false, speed: opts.speed });
  createAt(store, 'pods', pgPod, born);
}

let ipSeed = 100;

function steadyPodStatus(pod: KubeObject, o: { now: number; startedMinutesAgo: number; restarts: number; lastReason?: string; crashloop: boolean; speed: number }): Loose {
  const start = minutesAgo(o.now, o.startedMinutesAgo);
  const runningSince = o.restarts > 0 ? nowIso(o.now - 20_000 / o.speed) : start;
  const ip = `10.244.0.${(ipSeed++ % 150) + 100}`;
  const c = pod.spec.containers[0];
  const repo = String(c.image).replace(/:[^/:]+$/, '');
  const podRef = `${pod.metadata.generateName ?? pod.metadata.name}_${pod.metadata.namespace}`;
  const lastState = o.restarts > 0
    ? { terminated: { exitCode: o.lastReason === 'OOMKilled' ? 137 : 1, reason: o.lastReason ?? 'Error', startedAt: start, finishedAt: nowIso(o.now - 25_000 / o.speed), containerID: `containerd://${randomHex(64)}` } }
    : {};
  const readyStatus = o.crashloop ? 'False' : 'True';
  const notReady = o.crashloop ? { reason: 'ContainersNotReady', message: `containers with unready status: [${c.name}]` } : {};
  return {
    phase: 'Running',
    hostIP: '10.0.0.11',
    hostIPs: [{ ip: '10.0.0.11' }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: start,
    qosClass: 'Burstable',
    conditions: [
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: start },
      { type: 'Ready', status: readyStatus, lastProbeTime: null, lastTransitionTime: runningSince, ...notReady },
      { type: 'ContainersReady', status: readyStatus, lastProbeTime: null, lastTransitionTime: runningSince, ...notReady },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: start },
    ],
    containerStatuses: [
      {
        name: c.name,
        image: c.image,
        imageID: `${repo}@sha256:${randomHex(64)}`,
        containerID: `containerd://${randomHex(64)}`,
        ready: !o.crashloop,
        started: !o.crashloop,
        restartCount: o.restarts,
        state: o.crashloop
          ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${c.name} pod=${podRef}` } }
          : { running: { startedAt: runningSince } },
        lastState,
      },
    ],
  };
}

function historicalEvent(store: Store, obj: KubeObject, reason: string, message: string, at: string, component: string, more: { type?: 'Normal' | 'Warning'; count?: number; last?: string; host?: string } = {}): void {
  store.create('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${obj.metadata.name}.${randomHex(16)}`, namespace: obj.metadata.namespace },
    involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
    reason,
    message,
    source: more.host ? { component, host: more.host } : { component },
    firstTimestamp: at,
    lastTimestamp: more.last ?? at,
    count: more.count ?? 1,
    type: more.type ?? 'Normal',
    eventTime: null,
    reportingComponent: component,
    reportingInstance: more.host ?? '',
  });
}

export { NAMESPACE };
