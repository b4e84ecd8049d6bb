'use client';

import { QueryClient, QueryClientContext, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useContext, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { TimelineEventView } from '@/lib/timeline/types';
import { cn } from '@/components/ui/cn';
import { eventGroup, eventStyle, filterEvents, formatEventTimes, mergeEvents, timelineQueryKey } from './timeline-data';

export type TimelineProps = {
  /** Incident id (or key). */
  incidentId: string;
  /** Events already loaded by the server page; skips the first fetch. */
  initialEvents?: TimelineEventView[];
  /** Height of the scrolling list (CSS length). */
  height?: string;
  className?: string;
};

type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * The incident's timeline, live: the initial list through TanStack Query, then new events from
 * the SSE stream folded into the same cache entry, so every open page shows an event within a
 * second of its commit. Virtualized (only visible rows are in the DOM): 10,000 events scroll as
 * smoothly as ten. Filters by event group and text; newest first by default.
 */
export function Timeline(props: TimelineProps) {
  // Works inside the app's Providers, and on its own (e.g. a share-link page) with a local client.
  const existing = useContext(QueryClientContext);
  const [local] = useState(() => (existing ? null : new QueryClient()));
  if (local) {
    return (
      <QueryClientProvider client={local}>
        <TimelineInner {...props} />
      </QueryClientProvider>
    );
  }
  return <TimelineInner {...props} />;
}

async function fetchEvents(incidentId: string): Promise<TimelineEventView[]> {
  const response = await fetch(`/api/incidents/${encodeURIComponent(incidentId)}/events/list`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`Could not load the timeline (HTTP ${response.status})`);
  const body = (await response.json()) as { events: TimelineEventView[] };
  return body.events;
}

function TimelineInner({ incidentId, initialEvents, height = '70vh', className }: TimelineProps) {
  const queryClient = useQueryClient();
  const queryKey = timelineQueryKey(incidentId);
  const query = useQuery({
    queryKey,
    queryFn: () => fetchEvents(incidentId),
    initialData: initialEvents,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const events = query.data;
  const [live, setLive] = useState<LiveState>('connecting');
  const loaded = events !== undefined;

  // Open the stream once the list is there, asking only for what came after it.
  useEffect(() => {
    if (!loaded) return;
    const after = queryClient.getQueryData<TimelineEventView[]>(queryKey)?.at(-1)?.seq ?? 0;
    const source = new EventSource(`/api/incidents/${encodeURIComponent(incidentId)}/events?after=${after}`);
    let buffer: TimelineEventView[] = [];
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      const batch = buffer;
      buffer = [];
      queryClient.setQueryData<TimelineEventView[]>(queryKey, (old) => mergeEvents(old, batch));
    };
    const onEvent = (message: MessageEvent<string>) => {
      try {
        buffer.push(JSON.parse(message.data) as TimelineEventView);
      } catch {
        return;
      }
      // A burst (replay after reconnect) becomes one cache update per frame.
      if (frame === null) frame = requestAnimationFrame(flush);
    };
    source.addEventListener('timeline', onEvent as EventListener);
    source.onopen = () => setLive('live');
    source.onerror = () => setLive(source.readyState === EventSource.CLOSED ? 'reconnecting' : 'reconnecting');
    return () => {
      source.close();
      if (frame !== null) cancelAnimationFrame(frame);
    };
    // queryKey is derived from incidentId.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incidentId, loaded, queryClient]);

  const [groups, setGroups] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [newestFirst, setNewestFirst] = useState(true);
  const deferredText = useDeferredValue(text);

  const allGroups = useMemo(() => [...new Set((events ?? []).map((e) => eventGroup(e.type)))].sort(), [events]);
  const visible = useMemo(() => {
    const filtered = filterEvents(events ?? [], { groups, text: deferredText });
    return newestFirst ? [...filtered].reverse() : filtered;
  }, [events, groups, deferredText, newestFirst]);

  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer is read fresh on every render on purpose; rows are memoized (TimelineRow).
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 76,
    overscan: 8,
    getItemKey: (index) => visible[index]?.seq ?? index,
  });

  return (
    <section className={cn('rounded-lg bg-white shadow-sm ring-1 ring-slate-200', className)} aria-label="Incident timeline">
      <header className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">Timeline</h2>
        <LiveIndicator state={live} />
        <span className="text-xs text-slate-500" data-testid="timeline-count">
          {events ? `${visible.length === events.length ? events.length : `${visible.length} of ${events.length}`} events` : ''}
        </span>
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Search the timeline"
            aria-label="Search the timeline"
            className="w-52 rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
          <button
            type="button"
            onClick={() => setNewestFirst((v) => !v)}
            className="rounded-md px-2 py-1 text-xs text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
          >
            {newestFirst ? 'Newest first' : 'Oldest first'}
          </button>
        </div>
        {allGroups.length > 1 && (
          <div className="flex w-full flex-wrap gap-1" role="group" aria-label="Filter by event type">
            {allGroups.map((group) => {
              const on = groups.includes(group);
              const style = eventStyle(group);
              return (
                <button
                  key={group}
                  type="button"
                  aria-pressed={on}
                  onClick={() => setGroups((g) => (on ? g.filter((x) => x !== group) : [...g, group]))}
                  className={cn(
                    'rounded px-1.5 py-0.5 text-xs ring-1 ring-inset',
                    on ? style.tone : 'bg-white text-slate-600 ring-slate-300 hover:bg-slate-50',
                  )}
                >
                  <span aria-hidden>{style.icon}</span> {style.label === 'Event' ? group : style.label}
                </button>
              );
            })}
          </div>
        )}
      </header>
      {query.isError && (
        <p role="alert" className="px-4 py-3 text-sm text-red-800">
          {query.error instanceof Error ? query.error.message : 'Could not load the timeline.'}
        </p>
      )}
      {!events && !query.isError && <p className="px-4 py-3 text-sm text-slate-500">Loading the timeline…</p>}
      {events && visible.length === 0 && (
        <p className="px-4 py-3 text-sm text-slate-500">{events.length === 0 ? 'No events yet.' : 'No event matches the filter.'}</p>
      )}
      <div ref={scrollRef} style={{ height, overflowY: 'auto', contain: 'strict' }} data-testid="timeline-scroll">
        <ol style={{ height: virtualizer.getTotalSize(), position: 'relative', margin: 0, padding: 0 }}>
          {virtualizer.getVirtualItems().map((item) => {
            const event = visible[item.index];
            if (!event) return null;
            return (
              <li
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}
                className="list-none border-b border-slate-100"
              >
                <TimelineRow event={event} />
              </li>
            );
          })}
        </ol>
      </div>
    </section>
  );
}

function LiveIndicator({ state }: { state: LiveState }) {
  const label = state === 'live' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span className="inline-flex items-center gap-1 text-xs text-slate-600" data-testid="timeline-live" data-state={state}>
      <span className={cn('h-2 w-2 rounded-full', state === 'live' ? 'bg-emerald-500' : 'bg-amber-400')} aria-hidden />
      {label}
    </span>
  );
}

/** One event: icon and colour by type, actor, UTC and local time, summary or note, kubectl, details. */
export const TimelineRow = memo(function TimelineRow({ event }: { event: TimelineEventView }) {
  const style = eventStyle(event.type);
  const times = formatEventTimes(event.at);
  const hasPayload = event.payload !== null && typeof event.payload === 'object' && Object.keys(event.payload).length > 0;
  return (
    <article className="flex gap-3 px-4 py-2.5" data-testid="timeline-event" data-seq={event.seq} data-type={event.type}>
      <span
        className={cn('mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs ring-1 ring-inset', style.tone)}
        title={event.type}
        aria-hidden
      >
        {style.icon}
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 text-xs text-slate-500">
          <span className="font-mono text-slate-400">#{event.seq}</span>
          <time dateTime={event.at} title={`${times.local} (${times.localZone})`} className="font-mono text-slate-700">
            {times.utc}
          </time>
          <span title={times.localZone}>{times.local}</span>
          <span className={cn('rounded px-1 ring-1 ring-inset', style.tone)}>{event.type}</span>
          <span className="text-slate-700">
            {event.actorType === 'system' ? '⚙ ' : ''}
            {event.actorName}
          </span>
        </div>
        {event.noteHtml !== undefined ? (
          // Rendered on the server by render-note-markdown.ts: raw HTML escaped, unsafe links dropped.
          <div className="timeline-note mt-1 text-sm text-slate-900 [&_a]:text-sky-700 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_p]:my-1 [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:list-decimal [&_ol]:pl-5" dangerouslySetInnerHTML={{ __html: event.noteHtml }} />
        ) : (
          <p className="mt-0.5 text-sm text-slate-900">{event.summary}</p>
        )}
        {event.kubectl && <KubectlBlock command={event.kubectl} />}
        {hasPayload && (
          <details className="mt-1 text-xs">
            <summary className="cursor-pointer select-none text-slate-500 hover:text-slate-700">Details</summary>
            <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-50 p-2 text-[11px] leading-snug text-slate-700">
              {JSON.stringify(event.payload, null, 2)}
            </pre>
          </details>
        )}
      </div>
    </article>
  );
});

function KubectlBlock({ command }: { command: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mt-1 flex items-start gap-2 rounded bg-slate-900 px-2 py-1.5">
      <pre className="min-w-0 flex-1 overflow-x-auto whitespace-pre-wrap break-all font-mono text-xs text-slate-100">{command}</pre>
      <button
        type="button"
        className="shrink-0 rounded px-1.5 py-0.5 text-[11px] text-slate-300 ring-1 ring-inset ring-slate-600 hover:bg-slate-700"
        onClick={() => {
          void navigator.clipboard?.writeText(command).then(
            () => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            },
            () => setCopied(false),
          );
        }}
        aria-label="Copy the kubectl command"
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
