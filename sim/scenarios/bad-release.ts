/**
 * The runbook's incident (default scenario): v0.2.0 is fully rolled out and bad. Its pods serve
 * ~12% 5xx with P99 near 3.5 s and leak memory until OOMKilled about once a minute. v0.2.0 also
 * changed orchestrator-config and applied a database migration; backups from just before the
 * deploy sit in the backup folder.
 */
import { defineScenario } from './define';
import { CONFIG_V01, CONFIG_V02, NAMESPACE } from './orchestrator';

export const badRelease = defineScenario({
  name: 'bad-release',
  description: 'v0.2.0 rolled out 25 minutes ago: elevated 5xx, high latency, OOMKilled restarts',
  namespace: NAMESPACE,
  revisions: [
    { version: 'v0.1.0', changeCause: 'Initial deployment (v0.1.0)', deployedMinutesAgo: 60 * 24 * 14, replicas: 0 },
    { version: 'v0.1.1', changeCause: 'Update to v0.1.1', deployedMinutesAgo: 60 * 24 * 6, replicas: 0 },
    { version: 'v0.2.0', changeCause: 'Update to v0.2.0', deployedMinutesAgo: 25, replicas: 3, pods: { state: 'ready', restarts: [3, 2, 4], lastReason: 'OOMKilled' } },
  ],
  behaviours: {
    'v0.2.0': { kind: 'oom', runSeconds: [50, 80], backoffSeconds: 10 },
  },
  config: { current: CONFIG_V02, previous: CONFIG_V01 },
  database: { migrations: ['20251101_init', '20251114_v020'], backupBeforeMigration: '20251114_v020' },
  manifestBackups: true,
});
