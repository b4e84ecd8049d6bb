'use client';

import { restoreAutoscaling } from '@/app/incidents/[id]/actions';
import { getStep, renderKubectl, type KubectlVars } from '@/lib/incidents/steps';
import { ActionButton } from '../ActionButton';

/** Step 9: replace or recreate the HPA from the snapshot taken at declaration, wait until active. */
export function RestoreHpaAction({ incidentId, vars, hpa, untouched }: { incidentId: string; vars: KubectlVars; hpa: string; untouched: boolean }) {
  const def = getStep(9).actions[0]!;
  return (
    <ActionButton
      incidentId={incidentId}
      testId="action-hpa.restore"
      label={def.label}
      variant={untouched ? 'secondary' : 'primary'}
      kubectl={def.kubectl.map((k) => renderKubectl(k, { ...vars, hpa, file: `hpa-${hpa} from the declaration snapshot` }))}
      description={untouched ? 'The HPA already matches the snapshot and is active; restoring rewrites the same spec.' : 'Puts the HorizontalPodAutoscaler back as it was when the incident was declared (recreated if deleted) and waits until it is active.'}
      run={(idempotencyKey) => restoreAutoscaling({ incidentId, idempotencyKey })}
      describeResult={(d) => {
        const r = (d as { result?: { hpa?: string; created?: boolean; active?: boolean; minReplicas?: number | null; maxReplicas?: number } }).result;
        return r ? (
          <p className="text-sm">
            HPA {r.hpa} {r.created ? 'recreated' : 'restored'}: min {r.minReplicas ?? '?'}, max {r.maxReplicas ?? '?'}, {r.active ? 'active' : 'not active yet'}.
          </p>
        ) : null;
      }}
    />
  );
}
