import 'server-only';
import type { DeploymentWriteResult } from './internal';
import type { K8sResult } from './result';
import { setRolloutPaused, type SetRolloutPausedOptions } from './set-rollout-paused';

export type PauseRolloutOptions = SetRolloutPausedOptions;

/**
 * Runbook step 2: stop the rollout where it is (`kubectl rollout pause`).
 * @see ./set-rollout-paused.ts
 */
export function pauseRollout(opts: PauseRolloutOptions): Promise<K8sResult<DeploymentWriteResult>> {
  return setRolloutPaused(opts, true);
}
