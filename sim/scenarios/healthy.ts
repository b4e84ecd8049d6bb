/** No incident: v0.1.1 serves on three healthy pods. */
import { defineScenario } from './define';
import { CONFIG_V01, NAMESPACE } from './orchestrator';

export const healthy = defineScenario({
  name: 'healthy',
  description: 'v0.1.1 on three healthy pods, no incident',
  namespace: NAMESPACE,
  revisions: [
    { version: 'v0.1.0', changeCause: 'Initial deployment (v0.1.0)', deployedMinutesAgo: 60 * 24 * 14, replicas: 0 },
    { version: 'v0.1.1', changeCause: 'Update to v0.1.1', deployedMinutesAgo: 60 * 24 * 6, replicas: 3, pods: { state: 'ready', restarts: [0, 0, 0] } },
  ],
  behaviours: {},
  config: { current: CONFIG_V01 },
  database: { migrations: ['20251101_init'] },
  manifestBackups: false,
});
