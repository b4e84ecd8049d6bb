'use client';

import type { V1Pod } from '@kubernetes/client-node';
import { useLiveResource } from '@/lib/live/use-live-resource';
import { summarizePod } from '@/lib/k8s/pod-summary';

/**
 * A one-line live view of the deployment's pods while an action runs (rollout, scale to 0, scale
 * back): how many, on which image, how many ready — what `watch kubectl get pods` would show.
 */
export function PodsProgress({ namespace, selector }: { namespace: string; selector: string }) {
  const live = useLiveResource({ kind: 'pods', namespace, selector });
  const pods = live.items.map((p) => summarizePod(p as unknown as V1Pod));
  const byImage = new Map<string, { total: number; ready: number }>();
  for (const p of pods) {
    const image = (p.images[0] ?? '?').split('/').pop() ?? '?';
    const e = byImage.get(image) ?? { total: 0, ready: 0 };
    e.total += 1;
    if (p.ready && !p.deleting) e.ready += 1;
    byImage.set(image, e);
  }
  return (
    <div className="rounded-md bg-slate-950 px-3 py-2 font-mono text-[12px] text-slate-100" data-testid="pods-progress">
      <p className="text-slate-400">$ watch kubectl get pods -n {namespace} -l {selector}</p>
      {pods.length === 0 ? (
        <p>No pods.</p>
      ) : (
        [...byImage.entries()].map(([image, c]) => (
          <p key={image}>
            {image}: {c.ready}/{c.total} ready
          </p>
        ))
      )}
      <ul className="mt-1 space-y-0.5 text-slate-300">
        {pods.slice(0, 8).map((p) => (
          <li key={p.name}>
            {p.name} {p.status} {p.deleting ? '(terminating)' : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
