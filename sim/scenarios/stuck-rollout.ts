/**
 * A rollout of v0.2.0 that cannot finish: its first new pod crash-loops (CrashLoopBackOff with a
 * growing back-off) while the three v0.1.1 pods keep serving; after progressDeadlineSeconds
 * without progress the Deployment reports ProgressDeadlineExceeded.
 */
import { defineScenario } from './define';
import { CONFIG_V01, CONFIG_V02, NAMESPACE } from './orchestrator';

export const stuckRollout = defineScenario({
  name: 'stuck-rollout',
  description: 'v0.2.0 rollout in progress: the new pod is in CrashLoopBackOff, v0.1.1 still serves',
  namespace: NAMESPACE,
  revisions: [
    { version: 'v0.1.0', changeCause: 'Initial deployment (v0.1.0)', deployedMinutesAgo: 60 * 24 * 14, replicas: 0 },
    { version: 'v0.1.1', changeCause: 'Update to v0.1.1', deployedMinutesAgo: 60 * 24 * 6, replicas: 3, pods: { state: 'ready', restarts: [0, 0, 0] } },
    { version: 'v0.2.0', changeCause: 'Update to v0.2.0', deployedMinutesAgo: 6, replicas: 1, pods: { state: 'crashloop', restarts: [4], lastReason: 'Error' } },
  ],
  behaviours: {
    'v0.2.0': { kind: 'crashloop', runSeconds: 3, exitCode: 1, message: 'config: unknown key WORKFLOW_CHECKPOINT_MODE="eager": checkpoint store unavailable' },
  },
  config: { current: CONFIG_V02, previous: CONFIG_V01 },
  rollout: { lastProgressSecondsAgo: 500 },
  database: { migrations: ['20251101_init', '20251114_v020'], backupBeforeMigration: '20251114_v020' },
  manifestBackups: true,
});
