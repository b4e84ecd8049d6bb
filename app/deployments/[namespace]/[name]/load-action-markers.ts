import 'server-only';
import { db } from '@/lib/db/client';
import type { ChartMarker } from '@/lib/metrics/types';

/**
 * Where actions on this deployment happened (from the Action table of its incidents), as chart
 * markers. A database hiccup costs the markers, not the page.
 */
export async function loadActionMarkers(options: { namespace: string; deployment: string; sinceMs: number }): Promise<ChartMarker[]> {
  try {
    const actions = await db.action.findMany({
      where: {
        status: 'succeeded',
        createdAt: { gte: new Date(options.sinceMs) },
        incident: { namespace: options.namespace, deployment: options.deployment },
      },
      select: { kind: true, createdAt: true, finishedAt: true },
      orderBy: { createdAt: 'asc' },
      take: 50,
    });
    return actions.map((a) => ({ at: (a.finishedAt ?? a.createdAt).toISOString(), label: a.kind.replace(/^rollout\./, '') }));
  } catch {
    return [];
  }
}

/** The time this request is rendered at (ages and the markers' window are relative to it). */
export function requestTimeMs(): number {
  return Date.now();
}
