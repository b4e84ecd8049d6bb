/**
 * Messages of the live stream (`/api/live`), shared by the server (lib/live) and the browser
 * (use-live-resource.ts). Types only: safe in client components.
 */
import type { LiveKind } from '@/lib/query-keys';

export type { LiveKind } from '@/lib/query-keys';

export const LIVE_KINDS: readonly LiveKind[] = ['pods', 'deployments', 'replicasets', 'events'];

/** A Kubernetes object as it came over the wire (JSON), minus `metadata.managedFields`. */
export type LiveObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

/**
 * The shared watch's health as the server sees it: 'connecting' before the first list,
 * 'live' while listing/watching works, 'error' while the API server is down or slow (the
 * server keeps retrying with back-off and re-lists when it is back).
 */
export type LiveStatus = { state: 'connecting' | 'live' | 'error'; message?: string; since: number };

export type LiveChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type LiveMessage =
  | { type: 'SNAPSHOT'; items: LiveObject[]; resourceVersion: string; status: LiveStatus }
  | { type: LiveChangeType; object: LiveObject; at: number }
  | { type: 'STATUS'; status: LiveStatus };

/** What the browser keeps in the TanStack Query cache for one live list. */
export type LiveListState<T extends LiveObject = LiveObject> = {
  items: T[];
  resourceVersion: string;
  status: LiveStatus;
  /** Browser time of the last message folded in. */
  updatedAt: number;
};
