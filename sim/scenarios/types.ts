/**
 * Scenario vocabulary: how a pod of a given image behaves once started. Scenarios are data
 * (sim/scenarios/*.ts); the pod controller and the simulated application only read these.
 */
export type PodBehaviour =
  /** Starts, becomes ready, stays ready. */
  | { kind: 'healthy' }
  /** Starts and becomes ready, leaks memory, is OOMKilled after `runSeconds` (a [min, max] range), restarts. */
  | { kind: 'oom'; runSeconds: [number, number]; backoffSeconds: number }
  /** Starts, never becomes ready, exits with an error after `runSeconds`; CrashLoopBackOff with a doubling back-off. */
  | { kind: 'crashloop'; runSeconds: number; exitCode: number; message: string };

export type ScenarioName = 'bad-release' | 'stuck-rollout' | 'healthy';

export const SCENARIO_NAMES: ScenarioName[] = ['bad-release', 'stuck-rollout', 'healthy'];

/** The version tag of an image reference (`…/orchestrator:v0.2.0` → `v0.2.0`). */
export function imageTag(image: string | undefined): string {
  if (!image) return '';
  const at = image.split('@')[0]!;
  const slash = at.lastIndexOf('/');
  const colon = at.lastIndexOf(':');
  return colon > slash ? at.slice(colon + 1) : 'latest';
}
