'use client';

import { verifyRollback } from '@/app/incidents/[id]/actions';
import type { CheckResult } from '@/lib/incidents/verify-rollback';
import { getStep, renderKubectl, type KubectlVars } from '@/lib/incidents/steps';
import { ActionButton } from '../ActionButton';
import { ChecksList } from '../ChecksList';
import { useIncidentState, type IncidentLiveState } from '../incident-state';
import { formatUtc } from '../format';

/** Step 7: the verification checks (last run, live from the step state) and the button to run them. */
export function VerifyPanel({ initial, vars, canAct }: { initial: IncidentLiveState; vars: KubectlVars; canAct: boolean }) {
  const { data } = useIncidentState(initial.overview.incident.id, initial);
  const step = data.overview.steps.find((s) => s.number === 7);
  const stored = step?.data as { checks?: CheckResult[]; checkedAt?: string; passed?: boolean } | undefined;
  const def = getStep(7);
  const checks = stored?.checks
    ? stored.checks.map((c) => ({ id: c.id, label: c.label, status: c.status, details: c.details, command: c.command }))
    : def.checks.map((c) => ({ id: c.id, label: c.label, status: 'pending' as const }));
  return (
    <div className="space-y-3">
      <p className="text-xs text-slate-600">
        {stored?.checkedAt ? (
          <>
            Last run {formatUtc(stored.checkedAt)}: {stored.passed ? <strong className="text-emerald-800">all checks pass</strong> : <strong className="text-red-800">some checks fail</strong>}
          </>
        ) : (
          'Not run yet.'
        )}
      </p>
      <ChecksList checks={checks} testId="verify-checks" />
      {canAct && (
        <ActionButton
          incidentId={initial.overview.incident.id}
          testId="action-verify.run"
          label={stored?.checkedAt ? 'Run verification again' : 'Run verification'}
          confirm={false}
          variant="primary"
          kubectl={def.actions[0]!.kubectl.map((k) => renderKubectl(k, vars))}
          run={() => verifyRollback({ incidentId: initial.overview.incident.id })}
          describeResult={(d) => {
            const r = d as { passed?: boolean; expectedImage?: string | null };
            return <p className="text-sm">{r.passed ? `Every check passes (expected image ${r.expectedImage ?? '?'}).` : 'Some checks fail: see the list above.'}</p>;
          }}
        />
      )}
    </div>
  );
}
