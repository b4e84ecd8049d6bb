/**
 * The one place TanStack Query keys are built (CONVENTIONS.md §7). Server components that hand
 * initial data to client components and the live hook that folds Server-Sent Events into the
 * cache must agree on the key, so nobody writes a key array by hand.
 *
 * Plain data only: this module is imported by client components.
 */

/** Kinds the live stream serves (`/api/live?kind=`). */
export type LiveKind = 'pods' | 'deployments' | 'replicasets' | 'events';

export type LiveKeyParams = {
  kind: LiveKind;
  /** Empty string or undefined means all namespaces. */
  namespace?: string;
  /** A Kubernetes label selector, e.g. `app=orchestrator`; empty means all. */
  selector?: string;
};

export type MetricsKeyParams = {
  namespace?: string;
  deployment?: string;
  /** Range in seconds shown by the chart. */
  range?: number;
};

export const queryKeys = {
  /** Everything held by the live stream. */
  liveAll: () => ['live'] as const,
  /** One live list: the state of one shared watch (kind, namespace, selector). */
  live: ({ kind, namespace, selector }: LiveKeyParams) =>
    ['live', kind, namespace ?? '', selector ?? ''] as const,
  /** Everything metric-related. */
  metricsAll: () => ['metrics'] as const,
  /** One metric panel over a range for one deployment. */
  metrics: (panel: string, { namespace, deployment, range }: MetricsKeyParams) =>
    ['metrics', panel, namespace ?? '', deployment ?? '', range ?? 0] as const,
  /** Pod logs shown by the log viewer. */
  logs: (params: { namespace: string; pod?: string; selector?: string; tail: number; timestamps: boolean }) =>
    ['logs', params.namespace, params.pod ?? '', params.selector ?? '', params.tail, params.timestamps] as const,
  /** A diff between two revisions (`to` = 'live' for the live template). */
  revisionDiff: (params: { namespace: string; name: string; from: number; to: number | 'live' }) =>
    ['revision-diff', params.namespace, params.name, params.from, params.to] as const,
};
