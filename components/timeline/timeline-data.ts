/**
 * Pure helpers of the Timeline component: the query key, folding live events into the cached
 * list, filtering, and how each event type looks. Plain module, unit-tested.
 */
import type { TimelineEventView } from '@/lib/timeline/types';

/** TanStack Query key of one incident's timeline (initial list + events folded in from SSE). */
export const timelineQueryKey = (incidentId: string) => ['timeline', incidentId] as const;

/** Adds new events to a list ordered by seq, ignoring ones already there (a replay after reconnect). */
export function mergeEvents(current: readonly TimelineEventView[] | undefined, incoming: readonly TimelineEventView[]): TimelineEventView[] {
  const list = current ? [...current] : [];
  if (incoming.length === 0) return list;
  const seen = new Set(list.map((e) => e.seq));
  let appendedInOrder = true;
  let last = list.at(-1)?.seq ?? 0;
  for (const event of incoming) {
    if (seen.has(event.seq)) continue;
    seen.add(event.seq);
    if (event.seq < last) appendedInOrder = false;
    last = Math.max(last, event.seq);
    list.push(event);
  }
  return appendedInOrder ? list : list.sort((a, b) => a.seq - b.seq);
}

/** The group an event type belongs to ("action.succeeded" → "action"), used by the type filter. */
export function eventGroup(type: string): string {
  return type.split('.')[0] ?? type;
}

export type TimelineFilter = {
  /** Event groups to show; empty = all. */
  groups: readonly string[];
  /** Words that must all appear in summary, actor, type, kubectl or payload (case-insensitive). */
  text: string;
};

/** The events a filter keeps, in the same order. */
export function filterEvents(events: readonly TimelineEventView[], filter: TimelineFilter): TimelineEventView[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Set(filter.groups);
  if (groups.size === 0 && words.length === 0) return events as TimelineEventView[];
  return events.filter((event) => {
    if (groups.size > 0 && !groups.has(eventGroup(event.type))) return false;
    if (words.length === 0) return true;
    const haystack = `${event.summary}\n${event.actorName}\n${event.type}\n${event.kubectl ?? ''}\n${JSON.stringify(event.payload)}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

export type EventStyle = { icon: string; label: string; tone: string; dot: string };

const STYLES: Record<string, EventStyle> = {
  incident: { icon: '⚑', label: 'Incident', tone: 'bg-violet-50 text-violet-800 ring-violet-300', dot: 'bg-violet-500' },
  action: { icon: '⚙', label: 'Action', tone: 'bg-sky-50 text-sky-800 ring-sky-300', dot: 'bg-sky-500' },
  step: { icon: '☑', label: 'Step', tone: 'bg-emerald-50 text-emerald-800 ring-emerald-300', dot: 'bg-emerald-500' },
  note: { icon: '✎', label: 'Note', tone: 'bg-amber-50 text-amber-900 ring-amber-300', dot: 'bg-amber-500' },
  k8s: { icon: '☸', label: 'Kubernetes', tone: 'bg-slate-100 text-slate-700 ring-slate-300', dot: 'bg-slate-500' },
  metric: { icon: '↗', label: 'Metric', tone: 'bg-orange-50 text-orange-800 ring-orange-300', dot: 'bg-orange-500' },
  escalation: { icon: '⚠', label: 'Escalation', tone: 'bg-red-50 text-red-800 ring-red-300', dot: 'bg-red-500' },
  notify: { icon: '✉', label: 'Message', tone: 'bg-indigo-50 text-indigo-800 ring-indigo-300', dot: 'bg-indigo-500' },
};
const FALLBACK: EventStyle = { icon: '•', label: 'Event', tone: 'bg-slate-100 text-slate-700 ring-slate-300', dot: 'bg-slate-400' };
const FAILED: Partial<EventStyle> = { tone: 'bg-red-50 text-red-800 ring-red-300', dot: 'bg-red-600' };

/** Icon, label and colours for an event type; failures are red whatever their group. */
export function eventStyle(type: string): EventStyle {
  const base = STYLES[eventGroup(type)] ?? FALLBACK;
  return /\.(failed|error|crash|breached)/.test(type) ? { ...base, ...FAILED, icon: '✖' } : base;
}

/** "05:51:13 UTC" and the same instant in the viewer's zone, for one row. */
export function formatEventTimes(at: string, timeZone?: string): { utc: string; local: string; localZone: string } {
  const date = new Date(at);
  const utc = `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)} UTC`;
  const local = new Intl.DateTimeFormat(undefined, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZoneName: 'short',
  }).format(date);
  return { utc, local, localZone: timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone };
}
