/**
 * The simulated kubelet (and scheduler): takes every pod through Pending → ContainerCreating →
 * Running → Ready, or through OOMKilled restarts / CrashLoopBackOff as the scenario says for its
 * image; writes container logs; finishes graceful deletions. Durations are simulated seconds.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
 */
import type { Loose } from './util';
import { createHash } from 'node:crypto';
import type { KubeObject, Store } from '../store';
import type { Clock, Timer } from '../clock';
import type { LogBook } from '../logs';
import type { EventRecorder } from './events';
import type { PodBehaviour } from '../scenarios/types';
import { imageTag } from '../scenarios/types';
import { condition, isPodReady, mutate, nowIso, randomHex } from './util';

export const NODE_NAME = 'sim-node-1';
const NODE_IP = '10.0.0.11';

/** Simulated seconds of each start phase. */
const T = { schedule: 0.3, create: 0.7, start: 1.5, ready: 2, stop: 1.5 };

type Ctx = { store: Store; clock: Clock; logs: LogBook; events: EventRecorder; behaviourFor: (image: string) => PodBehaviour };
type Tracked = { ns: string; name: string; uid: string; timer?: Timer; terminating: boolean };

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export class PodLifecycle {
  private pods = new Map<string, Tracked>();
  private ipCounter = 10;
  private tickTimer: Timer;

  constructor(private ctx: Ctx) {
    this.tickTimer = ctx.clock.every(5000, () => this.tick(), 100);
  }

  stop(): void {
    this.tickTimer.cancel();
    for (const t of this.pods.values()) t.timer?.cancel();
    this.pods.clear();
  }

  /** Called for every pod change (and once per existing pod at start). */
  observe(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    if (type === 'DELETED') {
      const t = this.pods.get(uid);
      t?.timer?.cancel();
      this.pods.delete(uid);
      this.ctx.logs.remove(pod.metadata.namespace ?? 'default', pod.metadata.name);
      return;
    }
    let t = this.pods.get(uid);
    if (!t) {
      t = { ns: pod.metadata.namespace ?? 'default', name: pod.metadata.name, uid, terminating: false };
      this.pods.set(uid, t);
      if (!pod.metadata.deletionTimestamp) this.resume(t, pod);
    }
    if (pod.metadata.deletionTimestamp && !t.terminating) this.terminate(t, pod);
  }

  // ---------------------------------------------------------------- transitions

  private later(t: Tracked, seconds: number, fn: (pod: KubeObject) => void): void {
    t.timer?.cancel();
    t.timer = this.ctx.clock.setTimeout(() => {
      t.timer = undefined;
      const pod = this.current(t);
      if (pod && !pod.metadata.deletionTimestamp) fn(pod);
    }, seconds * 1000);
  }

  private current(t: Tracked): KubeObject | undefined {
    const p = this.ctx.store.get('pods', t.ns, t.name);
    return p && p.metadata.uid === t.uid ? p : undefined;
  }

  /** Picks up a pod wherever it is in its life (new, or loaded by a scenario already running). */
  private resume(t: Tracked, pod: KubeObject): void {
    const cs = pod.status?.containerStatuses?.[0];
    if (!pod.spec?.nodeName) return this.later(t, T.schedule, (p) => this.schedule(t, p));
    if (!cs || cs.state?.waiting?.reason === 'ContainerCreating') return this.later(t, T.create, (p) => this.create(t, p));
    if (cs.state?.waiting) return this.later(t, this.backoffSeconds(pod, cs.restartCount ?? 0), (p) => this.startContainers(t, p));
    if (cs.state?.running) {
      const b = this.behaviour(pod);
      if (!isPodReady(pod) && b.kind !== 'crashloop') return this.later(t, T.ready, (p) => this.ready(t, p));
      return this.scheduleFailure(t, pod);
    }
  }

  private behaviour(pod: KubeObject): PodBehaviour {
    return this.ctx.behaviourFor(pod.spec?.containers?.[0]?.image ?? '');
  }

  private setStatus(pod: KubeObject, fn: (status: Loose) => void): void {
    mutate(this.ctx.store, 'pods', pod.metadata.namespace, pod.metadata.name, (p) => {
      if (p.metadata.uid !== pod.metadata.uid) return false;
      p.status = p.status ?? {};
      fn(p.status);
    }, true);
  }

  private schedule(t: Tracked, pod: KubeObject): void {
    mutate(this.ctx.store, 'pods', t.ns, t.name, (p) => {
      if (p.metadata.uid !== t.uid || p.spec.nodeName) return false;
      p.spec.nodeName = NODE_NAME;
    });
    const now = nowIso(this.ctx.clock.now());
    this.setStatus(pod, (s) => {
      s.phase = 'Pending';
      setCond(s, 'PodScheduled', 'True', now);
    });
    this.ctx.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${t.ns}/${t.name} to ${NODE_NAME}`, 'default-scheduler');
    this.later(t, T.create, (p) => this.create(t, p));
  }

  private create(t: Tracked, pod: KubeObject): void {
    const now = nowIso(this.ctx.clock.now());
    const ip = `10.244.0.${(this.ipCounter++ % 250) + 2}`;
    this.setStatus(pod, (s) => {
      s.phase = 'Pending';
      s.hostIP = NODE_IP;
      s.hostIPs = [{ ip: NODE_IP }];
      s.podIP = ip;
      s.podIPs = [{ ip }];
      s.startTime ??= now;
      setCond(s, 'Initialized', 'True', now);
      setCond(s, 'Ready', 'False', now, 'ContainersNotReady', `containers with unready status: [${containerNames(pod)}]`);
      setCond(s, 'ContainersReady', 'False', now, 'ContainersNotReady', `containers with unready status: [${containerNames(pod)}]`);
      setCond(s, 'PodScheduled', 'True', now);
      s.containerStatuses = (pod.spec?.containers ?? []).map((c: Loose) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
      }));
      sortConds(s);
    });
    this.later(t, T.start, (p) => this.startContainers(t, p));
  }

  private startContainers(t: Tracked, pod: KubeObject): void {
    const now = nowIso(this.ctx.clock.now());
    for (const c of pod.spec?.containers ?? []) {
      this.ctx.events.record(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, 'kubelet', NODE_NAME);
      this.ctx.events.record(pod, 'Normal', 'Created', `Created container: ${c.name}`, 'kubelet', NODE_NAME);
      this.ctx.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, 'kubelet', NODE_NAME);
    }
    this.setStatus(pod, (s) => {
      s.phase = 'Running';
      s.containerStatuses = (pod.spec?.containers ?? []).map((c: Loose, i: number) => {
        const prev = s.containerStatuses?.[i] ?? {};
        return {
          name: c.name,
          image: c.image,
          imageID: imageId(c.image),
          containerID: `containerd://${randomHex(64)}`,
          ready: false,
          restartCount: prev.restartCount ?? 0,
          started: true,
          state: { running: { startedAt: now } },
          lastState: prev.lastState ?? {},
        };
      });
    });
    this.startupLogs(pod);
    const b = this.behaviour(pod);
    if (b.kind === 'crashloop') {
      this.later(t, b.runSeconds, (p) => this.crash(t, p, b));
      return;
    }
    this.later(t, T.ready, (p) => this.ready(t, p));
  }

  private ready(t: Tracked, pod: KubeObject): void {
    const now = nowIso(this.ctx.clock.now());
    this.setStatus(pod, (s) => {
      for (const cs of s.containerStatuses ?? []) cs.ready = true;
      setCond(s, 'ContainersReady', 'True', now);
      setCond(s, 'Ready', 'True', now);
      sortConds(s);
    });
    this.scheduleFailure(t, pod);
  }

  private scheduleFailure(t: Tracked, pod: KubeObject): void {
    const b = this.behaviour(pod);
    if (b.kind === 'oom') {
      const [min, max] = b.runSeconds;
      this.later(t, min + Math.random() * (max - min), (p) => this.oomKill(t, p, b));
    } else if (b.kind === 'crashloop') {
      this.later(t, b.runSeconds, (p) => this.crash(t, p, b));
    } else {
      t.timer?.cancel();
      t.timer = undefined;
    }
  }

  /** The container dies: record lastState, bump restartCount, back off, start again. */
  private die(t: Tracked, pod: KubeObject, terminated: { exitCode: number; reason: string; message?: string }, backoff: number): void {
    const now = nowIso(this.ctx.clock.now());
    const podRef = `${t.name}_${t.ns}(${t.uid})`;
    this.setStatus(pod, (s) => {
      s.containerStatuses = (s.containerStatuses ?? []).map((cs: Loose) => ({
        ...cs,
        ready: false,
        started: false,
        restartCount: (cs.restartCount ?? 0) + 1,
        lastState: {
          terminated: {
            exitCode: terminated.exitCode,
            reason: terminated.reason,
            ...(terminated.message ? { message: terminated.message } : {}),
            startedAt: cs.state?.running?.startedAt ?? now,
            finishedAt: now,
            containerID: cs.containerID,
          },
        },
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${formatBackoff(backoff)} restarting failed container=${cs.name} pod=${podRef}` } },
      }));
      setCond(s, 'ContainersReady', 'False', now, 'ContainersNotReady', `containers with unready status: [${containerNames(pod)}]`);
      setCond(s, 'Ready', 'False', now, 'ContainersNotReady', `containers with unready status: [${containerNames(pod)}]`);
      sortConds(s);
    });
    this.ctx.events.record(pod, 'Warning', 'BackOff', backOffMessage(pod), 'kubelet', NODE_NAME);
    this.later(t, backoff, (p) => this.startContainers(t, p));
  }

  private oomKill(t: Tracked, pod: KubeObject, b: Extract<PodBehaviour, { kind: 'oom' }>): void {
    const c0 = pod.spec?.containers?.[0];
    const limit = c0?.resources?.limits?.memory ?? '1Gi';
    this.log(pod, `WARN  memory usage at 97% of limit (${limit}), heap growing`);
    this.log(pod, `ERROR failed to allocate workflow buffer: cannot allocate memory`);
    this.ctx.events.record(pod, 'Warning', 'Unhealthy', 'Liveness probe failed: Get "http://' + (pod.status?.podIP ?? '10.244.0.2') + ':8080/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', 'kubelet', NODE_NAME);
    this.ctx.events.record(pod, 'Warning', 'OOMKilling', oomKillingMessage(pod), 'kubelet', NODE_NAME);
    this.die(t, pod, { exitCode: 137, reason: 'OOMKilled' }, b.backoffSeconds);
  }

  private crash(t: Tracked, pod: KubeObject, b: Extract<PodBehaviour, { kind: 'crashloop' }>): void {
    this.log(pod, `ERROR ${b.message}`);
    this.log(pod, `FATAL orchestrator exiting with code ${b.exitCode}`);
    this.ctx.events.record(pod, 'Warning', 'Unhealthy', `Readiness probe failed: Get "http://${pod.status?.podIP ?? '10.244.0.2'}:8080/health/ready": dial tcp ${pod.status?.podIP ?? '10.244.0.2'}:8080: connect: connection refused`, 'kubelet', NODE_NAME);
    const restarts = (pod.status?.containerStatuses?.[0]?.restartCount ?? 0) + 1;
    this.die(t, pod, { exitCode: b.exitCode, reason: 'Error' }, this.crashBackoff(restarts));
  }

  private crashBackoff(restarts: number): number {
    return Math.min(10 * 2 ** Math.max(0, restarts - 1), 300);
  }

  private backoffSeconds(pod: KubeObject, restarts: number): number {
    const b = this.behaviour(pod);
    return b.kind === 'oom' ? b.backoffSeconds : this.crashBackoff(restarts);
  }

  /** Graceful deletion: stop containers, then remove the pod. */
  private terminate(t: Tracked, pod: KubeObject): void {
    t.terminating = true;
    t.timer?.cancel();
    for (const c of pod.spec?.containers ?? []) {
      this.ctx.events.record(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, 'kubelet', NODE_NAME);
    }
    this.log(pod, 'INFO  received SIGTERM, draining connections');
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    const now = nowIso(this.ctx.clock.now());
    if (grace > 0) {
      this.setStatus(pod, (s) => {
        for (const cs of s.containerStatuses ?? []) cs.ready = false;
        if (condition({ status: s } as unknown as KubeObject, 'Ready')) {
          setCond(s, 'ContainersReady', 'False', now, 'ContainersNotReady', `containers with unready status: [${containerNames(pod)}]`);
          setCond(s, 'Ready', 'False', now, 'ContainersNotReady', `containers with unready status: [${containerNames(pod)}]`);
        }
      });
    }
    const remove = () => {
      t.timer = undefined;
      const p = this.current(t);
      if (p) this.ctx.store.delete('pods', t.ns, t.name);
    };
    if (grace <= 0) return remove();
    t.timer = this.ctx.clock.setTimeout(remove, Math.min(grace, T.stop) * 1000);
  }

  // ---------------------------------------------------------------- logs

  private log(pod: KubeObject, line: string): void {
    const c = pod.spec?.containers?.[0]?.name;
    if (c) this.ctx.logs.append(pod.metadata.namespace ?? 'default', pod.metadata.name, c, line, new Date(this.ctx.clock.now()));
  }

  private isPostgres(pod: KubeObject): boolean {
    return /postgres/.test(pod.spec?.containers?.[0]?.image ?? '');
  }

  private startupLogs(pod: KubeObject): void {
    const image: string = pod.spec?.containers?.[0]?.image ?? '';
    if (this.isPostgres(pod)) {
      this.log(pod, 'LOG:  starting PostgreSQL 16.4 on x86_64-pc-linux-gnu');
      this.log(pod, 'LOG:  listening on IPv4 address "0.0.0.0", port 5432');
      this.log(pod, 'LOG:  database system is ready to accept connections');
      return;
    }
    const version = imageTag(image);
    this.log(pod, `INFO  orchestrator ${version} starting (pid 1)`);
    this.log(pod, 'INFO  loaded configuration from ConfigMap orchestrator-config');
    this.log(pod, 'INFO  connected to database postgres:5432/orchestrator');
    this.log(pod, 'INFO  HTTP server listening on :8080');
  }

  /** Periodic request lines from running containers (skipped for very large scenarios). */
  private tick(): void {
    if (this.pods.size > 300) return;
    for (const t of this.pods.values()) {
      if (t.terminating) continue;
      const pod = this.ctx.store.peek('pods', t.ns, t.name);
      if (!pod || pod.metadata.uid !== t.uid) continue;
      const cs = pod.status?.containerStatuses?.[0];
      if (!cs?.state?.running) continue;
      if (this.isPostgres(pod)) {
        if (Math.random() < 0.3) this.log(pod, 'LOG:  checkpoint complete: wrote 42 buffers (0.3%); 0 WAL file(s) added');
        continue;
      }
      const b = this.behaviour(pod);
      const ms = Math.round(40 + Math.random() * 180);
      this.log(pod, `INFO  POST /api/v1/workflows 201 ${ms}ms`);
      this.log(pod, `INFO  GET /health/ready 200 2ms`);
      if (b.kind === 'oom') {
        if (Math.random() < 0.6) this.log(pod, `ERROR workflow wf-${randomHex(6)} failed: upstream LLM call timed out after 3.5s`);
        if (Math.random() < 0.4) this.log(pod, `WARN  heap usage ${60 + Math.floor(Math.random() * 35)}% of limit`);
      }
    }
  }
}

/** The kubelet's BackOff event message for a pod's first container. */
export function backOffMessage(pod: KubeObject): string {
  const m = pod.metadata;
  return `Back-off restarting failed container ${pod.spec?.containers?.[0]?.name} in pod ${m.name}_${m.namespace}(${m.uid})`;
}

/** The OOMKilling event message for a pod's first container. */
export function oomKillingMessage(pod: KubeObject): string {
  const c0 = pod.spec?.containers?.[0];
  return `Memory cgroup out of memory: Killed process 1 (${c0?.name ?? 'app'}) total-vm:2097152kB, anon-rss:${c0?.resources?.limits?.memory ?? '1Gi'}, file-rss:0kB`;
}

function containerNames(pod: KubeObject): string {
  return (pod.spec?.containers ?? []).map((c: Loose) => c.name).join(' ');
}

function imageId(image: string): string {
  const repo = (image ?? '').split('@')[0]!.replace(/:[^/:]+$/, '');
  return `${repo}@sha256:${sha(image)}`;
}

function formatBackoff(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

const COND_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

function sortConds(s: Loose): void {
  s.conditions?.sort((a: Loose, b: Loose) => COND_ORDER.indexOf(a.type) - COND_ORDER.indexOf(b.type));
}

function setCond(s: Loose, type: string, status: string, now: string, reason?: string, message?: string): void {
  s.conditions = s.conditions ?? [];
  const cur = s.conditions.find((c: Loose) => c.type === type);
  const next: Loose = { type, status, lastProbeTime: null, lastTransitionTime: cur && cur.status === status ? cur.lastTransitionTime : now };
  if (reason) next.reason = reason;
  if (message) next.message = message;
  if (cur) {
    for (const k of Object.keys(cur)) delete cur[k];
    Object.assign(cur, next);
  } else s.conditions.push(next);
}
