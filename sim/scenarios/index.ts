/**
 * Scenarios of the simulated cluster, as data: `bad-release` (the runbook's incident, default),
 * `stuck-rollout`, `healthy`. `loadScenario` lays one into an empty store, resets the
 * application's database, and writes the team's backup files into the backup folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Store } from '../store';
import type { Clock } from '../clock';
import type { ScenarioName } from './types';
import { SCENARIO_NAMES } from './types';
import { type Scenario, seedCluster, lastApplied } from './define';
import { badRelease } from './bad-release';
import { stuckRollout } from './stuck-rollout';
import { healthy } from './healthy';
import { orchestratorConfigMap, orchestratorDeployment } from './orchestrator';
import { backupStamp, prepareAppDatabase } from '../app/database';
import { LAST_APPLIED } from '../controllers/util';

export type { Scenario } from './define';
export type { ScenarioName, PodBehaviour } from './types';
export { SCENARIO_NAMES } from './types';
export { CONFIG_V01, CONFIG_V02, NAMESPACE, orchestratorHpa } from './orchestrator';

const SCENARIOS: Record<ScenarioName, Scenario> = { 'bad-release': badRelease, 'stuck-rollout': stuckRollout, healthy };

export function isScenarioName(name: unknown): name is ScenarioName {
  return typeof name === 'string' && (SCENARIO_NAMES as string[]).includes(name);
}

/** The scenario of that name; throws on an unknown one. */
export function getScenario(name: string): Scenario {
  if (!isScenarioName(name)) throw new Error(`unknown scenario "${name}" (known: ${SCENARIO_NAMES.join(', ')})`);
  return SCENARIOS[name];
}

export type LoadedScenario = {
  scenario: Scenario;
  /** Files written into backupDir (absolute paths). */
  backups: { database?: string; configMap?: string; deployment?: string };
};

const BACKUP_PATTERNS = [/^backup-\d{8}-\d{6}\.sql\.gz$/, /^configmap-backup-\d{8}-\d{6}\.yaml$/, /^deployment-backup-\d{8}-\d{6}\.yaml$/];

/**
 * Loads a scenario into an EMPTY store (call `store.clear()` first on reset), synchronously for
 * the cluster objects, then resets the application database when `databaseUrl` is given and
 * writes the backups into `backupDir` when given. Start the controllers with the same scenario.
 */
export async function loadScenario(
  store: Store,
  name: ScenarioName | string = 'bad-release',
  ctx: { clock?: Clock; speed?: number; backupDir?: string; databaseUrl?: string } = {},
): Promise<LoadedScenario> {
  const scenario = getScenario(name);
  const now = ctx.clock?.now() ?? Date.now();
  const speed = ctx.clock?.speed ?? ctx.speed ?? 1;
  seedCluster(store, scenario, { now, speed });

  const backups: LoadedScenario['backups'] = {};
  const lastRev = scenario.revisions[scenario.revisions.length - 1]!;
  const deployAt = now - lastRev.deployedMinutesAgo * 60_000;
  if (ctx.backupDir) {
    fs.mkdirSync(ctx.backupDir, { recursive: true });
    for (const f of fs.readdirSync(ctx.backupDir)) {
      if (BACKUP_PATTERNS.some((re) => re.test(f))) fs.rmSync(path.join(ctx.backupDir, f), { force: true });
    }
    if (scenario.manifestBackups && scenario.config.previous) {
      const prev = scenario.revisions[scenario.revisions.length - 2]!;
      const cm = orchestratorConfigMap(scenario.config.previous);
      backups.configMap = path.join(ctx.backupDir, `configmap-backup-${backupStamp(deployAt - 1000)}.yaml`);
      fs.writeFileSync(backups.configMap, header('ConfigMap orchestrator-config', deployAt - 1000) + YAML.stringify(cm));
      const d = orchestratorDeployment(prev.version, prev.changeCause);
      backups.deployment = path.join(ctx.backupDir, `deployment-backup-${backupStamp(deployAt)}.yaml`);
      fs.writeFileSync(backups.deployment, header(`Deployment orchestrator (${prev.version})`, deployAt) + YAML.stringify(d));
    }
  }
  if (ctx.databaseUrl) {
    const r = await prepareAppDatabase({
      databaseUrl: ctx.databaseUrl,
      migrations: scenario.database.migrations,
      backupBeforeMigration: ctx.backupDir ? scenario.database.backupBeforeMigration : undefined,
      backupDir: ctx.backupDir,
      backupAt: deployAt - 1000,
    });
    backups.database = r.backupFile;
  }
  return { scenario, backups };
}

function header(what: string, at: number): string {
  return `# Backup of ${what}, taken ${new Date(at).toISOString()} before deploying the next version\n`;
}

// Re-exported for tests that compare applied manifests with what the scenario recorded.
export { lastApplied, LAST_APPLIED };
