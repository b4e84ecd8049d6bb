'use client';

import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { queryKeys, type LiveKind } from '@/lib/query-keys';
import { backoffDelay } from './backoff';
import { foldLiveMessage } from './fold-live-message';
import { createSseParser } from './parse-sse';
import type { LiveListState, LiveMessage, LiveObject } from './types';

/**
 * The browser's side of the live stream. 'connecting' → 'live'; 'reconnecting' after a dropped
 * stream (retried with jittered exponential back-off); 'unauthorized' after a 401 (session
 * expired: no more retries, the page says to sign in again); 'forbidden' after a 403.
 */
export type LiveConnection = 'connecting' | 'live' | 'reconnecting' | 'unauthorized' | 'forbidden';

export type UseLiveResourceResult<T extends LiveObject> = {
  items: T[];
  /** The console ↔ browser stream. */
  connection: LiveConnection;
  /** The console ↔ API server watch, as the server reports it ('error' = API server down or slow). */
  serverState: LiveListState['status'];
  /** A sentence for the banner when something is wrong, else undefined. */
  problem: string | undefined;
  /** Browser time of the last change folded in. */
  updatedAt: number | undefined;
};

/** No byte (not even a heartbeat, sent every 15 s) for this long means the stream is dead. */
const STALL_MS = 40_000;

/**
 * Keeps one list (kind, namespace, selector) live: opens `/api/live` with fetch streaming,
 * folds SNAPSHOT / ADDED / MODIFIED / DELETED / STATUS messages into the TanStack Query cache
 * under `queryKeys.live(...)`, and reconnects with jittered back-off until unmounted.
 * `initialItems` (from the server component) shows the first state without waiting.
 */
export function useLiveResource<T extends LiveObject = LiveObject>(options: {
  kind: LiveKind;
  namespace?: string;
  selector?: string;
  initialItems?: T[];
  enabled?: boolean;
}): UseLiveResourceResult<T> {
  const { kind, namespace = '', selector = '', enabled = true } = options;
  const queryClient = useQueryClient();
  const key = queryKeys.live({ kind, namespace, selector });
  const [connection, setConnection] = useState<LiveConnection>('connecting');

  const query = useQuery<LiveListState<T>>({
    queryKey: key,
    queryFn: skipToken,
    initialData: options.initialItems
      ? { items: options.initialItems, resourceVersion: '', status: { state: 'live', since: Date.now() }, updatedAt: Date.now() }
      : undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let attempt = 0;
    let controller: AbortController | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const params = new URLSearchParams({ kind, namespace, selector });

    const fold = (message: LiveMessage) =>
      queryClient.setQueryData<LiveListState<T>>(key, (state) => foldLiveMessage<T>({ state, message }));

    const armStall = () => {
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = setTimeout(() => controller?.abort(), STALL_MS);
    };

    async function connect() {
      controller = new AbortController();
      // The server ends streams after a while so that the session is checked again: a clean end
      // after a snapshot is a quiet, immediate reconnect, not an outage to announce.
      let endedCleanly = false;
      let gotSnapshot = false;
      try {
        const res = await fetch(`/api/live?${params}`, {
          signal: controller.signal,
          headers: { accept: 'text/event-stream' },
          cache: 'no-store',
        });
        // The session expired or the role changed: retrying cannot help.
        if (res.status === 401) return setConnection('unauthorized');
        if (res.status === 403) return setConnection('forbidden');
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        armStall();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = createSseParser({
          onEvent: (e) => {
            if (!['SNAPSHOT', 'ADDED', 'MODIFIED', 'DELETED', 'STATUS'].includes(e.event)) return;
            try {
              const message = JSON.parse(e.data) as LiveMessage;
              fold(message);
              if (message.type === 'SNAPSHOT') {
                attempt = 0;
                gotSnapshot = true;
                setConnection('live');
              }
            } catch {
              // A malformed message is dropped; the next SNAPSHOT repairs the state.
            }
          },
        });
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            endedCleanly = gotSnapshot;
            break;
          }
          armStall();
          parser.push(value);
        }
      } catch {
        // network error, abort on stall, or server restart: fall through to the retry
      }
      if (stallTimer) clearTimeout(stallTimer);
      if (stopped) return;
      if (endedCleanly) {
        retryTimer = setTimeout(() => void connect(), backoffDelay({ attempt: 0, baseMs: 200 }));
        return;
      }
      setConnection('reconnecting');
      retryTimer = setTimeout(() => void connect(), backoffDelay({ attempt: attempt++, baseMs: 1_000, maxMs: 30_000 }));
    }

    void connect();
    return () => {
      stopped = true;
      controller?.abort();
      if (retryTimer) clearTimeout(retryTimer);
      if (stallTimer) clearTimeout(stallTimer);
    };
    // `key` is derived from these three.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, namespace, selector, enabled, queryClient]);

  const state = query.data;
  const serverState = state?.status ?? { state: 'connecting' as const, since: 0 };
  return {
    items: state?.items ?? [],
    connection,
    serverState,
    problem: describeProblem(connection, serverState),
    updatedAt: state?.updatedAt,
  };
}

function describeProblem(connection: LiveConnection, server: LiveListState['status']): string | undefined {
  if (connection === 'unauthorized') return 'Your session has expired. Sign in again to see live updates.';
  if (connection === 'forbidden') return 'Your role may not read the cluster state (it needs the cluster.read permission).';
  if (connection === 'reconnecting') return 'Lost the live connection to the console; reconnecting…';
  if (server.state === 'error') {
    return `${server.message ?? 'The Kubernetes API server is not answering'}. What you see may be out of date; it will refresh by itself when the API server is back.`;
  }
  return undefined;
}
