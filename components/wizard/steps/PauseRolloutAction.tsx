'use client';

import { pauseRollout } from '@/app/incidents/[id]/actions';
import { getStep, renderKubectl, type KubectlVars } from '@/lib/incidents/steps';
import { ActionButton } from '../ActionButton';
import { PodsProgress } from '../PodsProgress';

/** Step 2: pause a rollout that is still replacing pods. */
export function PauseRolloutAction({ incidentId, vars, rolloutInProgress, paused }: { incidentId: string; vars: KubectlVars; rolloutInProgress: boolean; paused: boolean }) {
  const action = getStep(2).actions[0]!;
  return (
    <ActionButton
      incidentId={incidentId}
      testId="action-rollout.pause"
      label={action.label}
      kubectl={action.kubectl.map((k) => renderKubectl(k, vars))}
      destructive={action.destructive}
      description="Stops the rollout where it is: no more pods move to the failing version. The deployment is resumed automatically by the rollback in step 4."
      disabled={paused || !rolloutInProgress}
      disabledReason={paused ? 'Already paused.' : !rolloutInProgress ? 'No rollout in progress: skip this step with that reason.' : undefined}
      progress={vars.selector ? <PodsProgress namespace={String(vars.namespace)} selector={String(vars.selector)} /> : null}
      run={(idempotencyKey) => pauseRollout({ incidentId, idempotencyKey })}
    />
  );
}
