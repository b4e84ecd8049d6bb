import 'server-only';
import type { DeploymentWriteResult } from './internal';
import type { K8sResult } from './result';
import { setRolloutPaused, type SetRolloutPausedOptions } from './set-rollout-paused';

export type ResumeRolloutOptions = SetRolloutPausedOptions;

/**
 * Lets the controller roll the deployment's current template again (`kubectl rollout resume`).
 * @see ./set-rollout-paused.ts
 */
export function resumeRollout(opts: ResumeRolloutOptions): Promise<K8sResult<DeploymentWriteResult>> {
  return setRolloutPaused(opts, false);
}
