import 'server-only';
import type { CoreV1Event } from '@kubernetes/client-node';
import { kubeClients, type K8sActor } from './client';
import { isoTime } from './internal';
import { kubectlCommands } from './kubectl';
import { k8sFailFromError, k8sOk, type K8sResult } from './result';

export type EventSummary = {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  source: string | null;
  involvedObject: { kind: string; name: string; uid: string | null };
};

export type ListEventsOptions = {
  namespace: string;
  /** Filter on the involved object, as `kubectl describe` does (involvedObject field selector). */
  kind?: string | undefined;
  name?: string | undefined;
  uid?: string | undefined;
  /** Most recent first, at most this many. */
  limit?: number | undefined;
  actor?: K8sActor | undefined;
};

function lastSeen(e: CoreV1Event): string | null {
  return isoTime(e.lastTimestamp ?? e.eventTime ?? e.series?.lastObservedTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp);
}

/** Recent events of a namespace or of one object (ScalingReplicaSet, BackOff, Unhealthy, OOMKilled…), most recent first. */
export async function listEvents(opts: ListEventsOptions): Promise<K8sResult<{ events: EventSummary[] }>> {
  const kubectl = [kubectlCommands.getEvents(opts)];
  const selectors = [
    opts.name !== undefined && `involvedObject.name=${opts.name}`,
    opts.kind !== undefined && `involvedObject.kind=${opts.kind}`,
    opts.uid !== undefined && `involvedObject.uid=${opts.uid}`,
  ].filter((s): s is string => typeof s === 'string');
  try {
    const list = await kubeClients({ actor: opts.actor }).core.listNamespacedEvent({
      namespace: opts.namespace,
      fieldSelector: selectors.length ? selectors.join(',') : undefined,
    });
    const events = list.items
      .map(
        (e): EventSummary => ({
          type: e.type ?? 'Normal',
          reason: e.reason ?? '',
          message: e.message ?? '',
          count: e.count ?? e.series?.count ?? 1,
          firstTimestamp: isoTime(e.firstTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp),
          lastTimestamp: lastSeen(e),
          source: e.source?.component ?? e.reportingComponent ?? null,
          involvedObject: { kind: e.involvedObject?.kind ?? '', name: e.involvedObject?.name ?? '', uid: e.involvedObject?.uid ?? null },
        }),
      )
      .sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
    return k8sOk({ events: opts.limit ? events.slice(0, opts.limit) : events }, kubectl);
  } catch (err) {
    return k8sFailFromError(err, kubectl, `events in ${opts.namespace}`);
  }
}
