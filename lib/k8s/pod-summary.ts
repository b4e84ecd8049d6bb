import type { V1Pod } from '@kubernetes/client-node';

/** One pod as `kubectl get pods` shows it (plus its images and owner). */
export type PodSummary = {
  name: string;
  namespace: string;
  phase: string;
  /** The STATUS column: CrashLoopBackOff, OOMKilled, Terminating, Running... */
  status: string;
  ready: boolean;
  readyContainers: number;
  totalContainers: number;
  restarts: number;
  createdAt: string | null;
  startedAt: string | null;
  images: string[];
  nodeName: string | null;
  replicaSet: string | null;
  podTemplateHash: string | null;
  deleting: boolean;
  resourceVersion: string | null;
  labels: Record<string, string>;
};

function iso(t: unknown): string | null {
  if (t === undefined || t === null) return null;
  return t instanceof Date ? t.toISOString() : String(t);
}

/**
 * The STATUS column of `kubectl get pods`: the last waiting/terminated reason of a container
 * wins over the phase; a deletion timestamp means Terminating.
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go (printPod)
 */
export function podStatusReason(pod: V1Pod): string {
  let reason = pod.status?.reason || pod.status?.phase || 'Unknown';
  let initializing = false;
  const initStatuses = pod.status?.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    if (c.state?.terminated?.exitCode === 0) continue;
    if (c.state?.terminated) reason = c.state.terminated.reason ? `Init:${c.state.terminated.reason}` : `Init:ExitCode:${c.state.terminated.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initStatuses.length}`;
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const statuses = [...(pod.status?.containerStatuses ?? [])].reverse();
    for (const c of statuses) {
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata?.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

export function isPodReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function summarizePod(pod: V1Pod): PodSummary {
  const statuses = pod.status?.containerStatuses ?? [];
  const owner = (pod.metadata?.ownerReferences ?? []).find((o) => o.controller && o.kind === 'ReplicaSet');
  const specImages = (pod.spec?.containers ?? []).map((c) => c.image ?? '').filter((i) => i !== '');
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    status: podStatusReason(pod),
    ready: isPodReady(pod),
    readyContainers: statuses.filter((c) => c.ready).length,
    totalContainers: pod.spec?.containers?.length ?? statuses.length,
    restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    createdAt: iso(pod.metadata?.creationTimestamp),
    startedAt: iso(pod.status?.startTime),
    images: specImages,
    nodeName: pod.spec?.nodeName ?? null,
    replicaSet: owner?.name ?? null,
    podTemplateHash: pod.metadata?.labels?.['pod-template-hash'] ?? null,
    deleting: Boolean(pod.metadata?.deletionTimestamp),
    resourceVersion: pod.metadata?.resourceVersion ?? null,
    labels: pod.metadata?.labels ?? {},
  };
}
