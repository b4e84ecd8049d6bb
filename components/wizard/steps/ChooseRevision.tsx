'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { chooseTargetRevision } from '@/app/incidents/[id]/actions';
import type { TargetRevisionOption } from '@/lib/incidents/list-target-revisions';
import { renderKubectl, type KubectlVars } from '@/lib/incidents/steps';
import { Badge } from '@/components/ui/badge';
import { ActionButton } from '../ActionButton';

/**
 * Step 3: the rollout history with each revision flagged; the suggested last stable revision is
 * preselected. Choosing records it on the incident (step 4 rolls back to it).
 */
export function ChooseRevision({
  incidentId,
  revisions,
  suggested,
  chosen,
  diffAgainst,
  vars,
  canChoose,
}: {
  incidentId: string;
  revisions: TargetRevisionOption[];
  suggested: number | null;
  chosen: number | null;
  diffAgainst: number | null;
  vars: KubectlVars;
  canChoose: boolean;
}) {
  const [selected, setSelected] = useState<number | null>(chosen ?? suggested);
  const router = useRouter();
  const sorted = [...revisions].sort((a, b) => b.revision - a.revision);
  return (
    <div className="space-y-3">
      <table className="w-full text-sm" data-testid="revision-table">
        <thead className="border-b border-slate-200 text-left text-xs text-slate-600">
          <tr>
            {canChoose && <th className="w-10 px-2 py-1.5" />}
            <th className="px-2 py-1.5 font-medium">Revision</th>
            <th className="px-2 py-1.5 font-medium">Image</th>
            <th className="px-2 py-1.5 font-medium">Change cause</th>
            <th className="px-2 py-1.5 font-medium">Flags</th>
            <th className="px-2 py-1.5 font-medium">Diff</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sorted.map((r) => {
            const blocked = r.current || r.failed || r.knownBad;
            return (
              <tr key={r.revision} data-testid="target-revision-row" data-revision={r.revision} className={selected === r.revision ? 'bg-emerald-50' : undefined}>
                {canChoose && (
                  <td className="px-2 py-1.5">
                    <input
                      type="radio"
                      name="revision"
                      aria-label={`Revision ${r.revision}`}
                      checked={selected === r.revision}
                      disabled={blocked}
                      onChange={() => setSelected(r.revision)}
                      className="h-4 w-4 accent-emerald-700"
                    />
                  </td>
                )}
                <td className="px-2 py-1.5 font-mono font-semibold">{r.revision}</td>
                <td className="px-2 py-1.5 font-mono text-xs">{r.image}</td>
                <td className="px-2 py-1.5 text-xs text-slate-700">{r.changeCause ?? '—'}</td>
                <td className="space-x-1 px-2 py-1.5">
                  {r.current && <Badge tone="info">current</Badge>}
                  {r.failed && <Badge tone="danger">failed</Badge>}
                  {r.knownBad && <Badge tone="danger">known-bad</Badge>}
                  {suggested === r.revision && <Badge tone="success">suggested: last stable</Badge>}
                  {chosen === r.revision && <Badge tone="success">chosen</Badge>}
                </td>
                <td className="px-2 py-1.5 text-xs">
                  {!r.current && (
                    <Link href={`?diff=${r.revision}#diff`} scroll={false} className={`underline ${diffAgainst === r.revision ? 'font-semibold text-slate-900' : 'text-sky-800'}`}>
                      current → {r.revision}
                    </Link>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {canChoose && (
        <ActionButton
          incidentId={incidentId}
          testId="action-revision.choose"
          label={selected ? `Choose revision ${selected}` : 'Choose a revision'}
          confirm={false}
          variant="primary"
          disabled={!selected || selected === chosen}
          disabledReason={selected && selected === chosen ? `Revision ${chosen} is the chosen target.` : undefined}
          kubectl={[renderKubectl('kubectl rollout history deployment/{deployment} -n {namespace} --revision={revision}', { ...vars, revision: selected ?? '?' })]}
          run={async () => {
            const r = await chooseTargetRevision({ incidentId, revision: selected ?? 0 });
            router.refresh();
            return r;
          }}
          describeResult={() => <p className="text-sm">Revision {selected} is the target of the rollback (step 4).</p>}
        />
      )}
    </div>
  );
}
