import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { formatAge } from '@/components/deployments/deployment-row';

/** What the table needs from lib/k8s's RevisionSummary (plain data). */
export type RevisionRow = {
  revision: number;
  replicaSetName: string;
  images: { container: string; image: string }[];
  changeCause: string | null;
  actor: string | null;
  createdAt: string | null;
  current: boolean;
  replicas: number;
  readyReplicas: number;
};

/**
 * `kubectl rollout history`, with images, age, the current revision and images marked known-bad
 * (the KnownBadImage table) so nobody rolls back onto a release already judged broken.
 */
export function RevisionHistory({
  namespace,
  name,
  revisions,
  knownBad,
  nowMs,
}: {
  namespace: string;
  name: string;
  revisions: RevisionRow[];
  /** image → reason */
  knownBad: Record<string, string>;
  nowMs: number;
}) {
  return (
    <Card title="Revision history" description={<code className="text-[11px]">kubectl rollout history deployment/{name} -n {namespace}</code>}>
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" data-testid="revisions-table">
          <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 pr-3">Revision</th>
              <th className="py-1 pr-3">Image</th>
              <th className="py-1 pr-3">Change cause</th>
              <th className="py-1 pr-3">Pods</th>
              <th className="py-1 pr-3">Age</th>
              <th className="py-1"></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {revisions.map((r) => {
              const bad = r.images.map((i) => knownBad[i.image]).find(Boolean);
              return (
                <tr
                  key={r.revision}
                  data-testid="revision-row"
                  data-revision={r.revision}
                  data-current={r.current ? 'true' : 'false'}
                  className={r.current ? 'bg-sky-50/60' : undefined}
                >
                  <td className="py-1.5 pr-3 font-semibold tabular-nums">{r.revision}</td>
                  <td className="whitespace-nowrap py-1.5 pr-3 font-mono text-xs">{r.images.map((i) => i.image).join(', ')}</td>
                  <td className="py-1.5 pr-3">
                    {r.changeCause ?? <span className="text-slate-400">&lt;none&gt;</span>}
                    {r.actor && <span className="block text-xs text-slate-500">by {r.actor}</span>}
                  </td>
                  <td className="py-1.5 pr-3 tabular-nums">
                    {r.readyReplicas}/{r.replicas}
                  </td>
                  <td className="whitespace-nowrap py-1.5 pr-3 tabular-nums">{formatAge(r.createdAt, nowMs)}</td>
                  <td className="py-1.5">
                    <span className="flex flex-wrap gap-1">
                      {r.current && <Badge tone="info">current</Badge>}
                      {bad && (
                        <span title={bad}>
                          <Badge tone="danger">known bad</Badge>
                        </span>
                      )}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
