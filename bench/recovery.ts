/**
 * npm run bench -- recovery [--speed 10] [--runs 3] [--quick (= --runs 1)] [--no-pause] [--sample-ms 2000]
 *
 * Issue 5's benchmark: the `bad-release` scenario recovered two ways, each on its own fresh
 * simulation (startSimulation in-process, same speed, app databases on one embedded Postgres):
 * (a) SCRIPT: the runbook's commands (steps 1-7 and 9) typed in order, real /usr/bin/kubectl,
 *     curl, gunzip | kubectl exec psql, run through `sh -c` in the backup folder;
 * (b) CONSOLE: the console's own functions (lib/incidents), as the wizard pages call them, with
 *     the console database on the same embedded Postgres (migrated, demo users seeded).
 * Step 8 (the 30-minute stability watch) is skipped in both: it is a fixed wait, the same for both.
 * Step 10 (documentation) is not timed in either (the script has no command for it).
 * Machine time only: no human think time is added to either side. Prints the wall time of each,
 * the per-step times, the ratio console / script (target ≤ 1.1), the decisions in each, and
 * checks that both end states agree (pods on v0.1.1, schema 20251101_init, ConfigMap restored).
 *
 * COUNTING RULE for "decisions a person makes":
 * - Script: every command typed is one decision (a retyped command counts again), plus every
 *   judgement where the person must read output and decide what to do next (declare?, which
 *   revision?, is it done?, which backup?, restore the config?, does it verify?, is the HPA intact?),
 *   plus composing/posting the announcement by hand. Listed one by one in the output.
 * - Console: every confirmed click (a dialog's Confirm, a step's Done/Skip with its reason) and
 *   every choice among options the person must make (a revision, a backup file, a config source).
 *   Reading a page is not a decision; a suggested value accepted inside the same dialog counts once.
 *
 * --no-pause: the script skips runbook step 2 (the person judges that no rollout is in progress,
 * as the console does), instead of running `rollout pause` as written, which then forces a
 * `rollout resume` before kubectl accepts the undo.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flag } from './lib/sim-process';

const NS = 'llm-orchestrator';
const V011 = 'registry.example.com/llm/orchestrator:v0.1.1';
const SCHEMA_BEFORE = '20251101_init';

type Timed = { step: number; label: string; ms: number };
type Decision = { step: number; what: string; kind: 'command' | 'judgement' | 'click' | 'choice' };

function recorder() {
  const steps: Timed[] = [];
  const decisions: Decision[] = [];
  return {
    steps,
    decisions,
    async time<T>(step: number, label: string, fn: () => Promise<T>): Promise<T> {
      const t0 = performance.now();
      try {
        return await fn();
      } finally {
        steps.push({ step, label, ms: performance.now() - t0 });
      }
    },
    decide(step: number, kind: Decision['kind'], what: string) {
      decisions.push({ step, kind, what });
    },
    byStep(): Map<number, number> {
      const m = new Map<number, number>();
      for (const s of steps) m.set(s.step, (m.get(s.step) ?? 0) + s.ms);
      return m;
    },
  };
}

function sh(cmd: string, opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile('sh', ['-c', cmd], { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 360_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) || 1 : 0, stdout, stderr }),
    ),
  );
}

type Sim = Awaited<ReturnType<typeof import('../sim').startSimulation>>;

/** (a) The runbook as a person types it. */
async function runScript(sim: Sim, opts: { pause: boolean; cacheDir: string }) {
  const r = recorder();
  const env = { ...process.env, KUBECONFIG: sim.kubeconfigPath, KUBECACHEDIR: opts.cacheDir };
  const cwd = sim.backupDir;
  const app = sim.appUrl;
  const log: string[] = [];
  /** One typed command; fails the benchmark on an unexpected exit code. */
  const cmd = async (step: number, command: string, o: { allowFail?: boolean; timeoutMs?: number } = {}) => {
    r.decide(step, 'command', command);
    const res = await r.time(step, command, () => sh(command, { cwd, env, timeoutMs: o.timeoutMs }));
    log.push(`$ ${command}\n${res.stdout}${res.stderr}`);
    if (res.code !== 0 && !o.allowFail) throw new Error(`script step ${step}: \`${command}\` exited ${res.code}\n${res.stdout}\n${res.stderr}`);
    return res;
  };
  const judge = (step: number, what: string) => r.decide(step, 'judgement', what);
  // A warm discovery cache, as on a person's machine that has used kubectl before (not timed).
  await sh('kubectl api-resources >/dev/null', { cwd, env });

  const t0 = performance.now();
  // Step 1: declare and assess scope.
  await cmd(1, `kubectl get deployment orchestrator -n ${NS}`);
  await cmd(1, `kubectl get pods -n ${NS} -l app=orchestrator`);
  await cmd(1, `curl -s ${app}/health`);
  // The runbook's Prometheus query, read off the app's counters (no Prometheus on this machine).
  await cmd(1, `curl -s ${app}/metrics | grep '^http_requests_total'`);
  judge(1, 'the v0.2.0 release is failing and user-facing: declare an incident, pick severity');
  judge(1, 'compose and post the Slack announcement from the template (no command)');
  // Step 2: pause.
  if (opts.pause) {
    await cmd(2, `kubectl rollout pause deployment/orchestrator -n ${NS}`);
    await cmd(2, `kubectl rollout status deployment/orchestrator -n ${NS} --timeout=30s`, { allowFail: true });
    judge(2, 'is the rollout paused?');
  } else {
    judge(2, 'no rollout in progress (from `get deployment`): skip the pause');
  }
  // Step 3: target revision.
  const history = await cmd(3, `kubectl rollout history deployment/orchestrator -n ${NS}`);
  const revisions = [...history.stdout.matchAll(/^(\d+)\s/gm)].map((m) => Number(m[1]));
  const current = Math.max(...revisions);
  const target = Math.max(...revisions.filter((n) => n !== current)); // "usually current - 1"
  judge(3, `which revision was last stable? (current ${current} - 1 = ${target})`);
  await cmd(3, `kubectl rollout history deployment/orchestrator -n ${NS} --revision=${target}`);
  // Step 4: roll back the application.
  const undo = `kubectl rollout undo deployment/orchestrator -n ${NS} --to-revision=${target}`;
  const first = await cmd(4, undo, { allowFail: opts.pause });
  if (first.code !== 0) {
    judge(4, 'undo refused ("cannot rollback a paused deployment"): resume, then undo again');
    await cmd(4, `kubectl rollout resume deployment/orchestrator -n ${NS}`);
    await cmd(4, undo);
  }
  await cmd(4, `kubectl rollout status deployment/orchestrator -n ${NS} --watch --timeout=300s`);
  await cmd(4, `kubectl get pods -n ${NS} -l app=orchestrator`);
  judge(4, 'is the rollback done (all pods v0.1.1, Running)?');
  // Step 5: database.
  judge(5, 'did v0.2.0 run migrations? yes: the schema must be restored');
  const ls = await cmd(5, 'ls -lh backup-*.sql.gz');
  const backup = /backup-\d{8}-\d{6}\.sql\.gz/.exec(ls.stdout)?.[0];
  if (!backup) throw new Error('no backup file');
  judge(5, `which backup? (${backup}, taken before the v0.2.0 deploy)`);
  await cmd(5, `kubectl scale deployment orchestrator -n ${NS} --replicas=0`);
  await cmd(5, `kubectl wait --for=delete pod -l app=orchestrator -n ${NS} --timeout=60s`);
  judge(5, 'are all pods gone (safe to restore)?');
  await cmd(5, `gunzip < ${backup} | kubectl exec -i -n ${NS} postgres-0 -- psql -U orchestrator orchestrator`);
  await cmd(5, `kubectl exec -n ${NS} postgres-0 -- psql -U orchestrator -d orchestrator -c "SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1;"`);
  judge(5, 'is the schema version the previous one?');
  await cmd(5, `kubectl scale deployment orchestrator -n ${NS} --replicas=3`);
  // Right after the scale there may be no pod yet: kubectl says "no matching resources found"
  // and the person types it again (each retype counts).
  for (let attempt = 0; ; attempt++) {
    const w = await cmd(5, `kubectl wait --for=condition=ready pod -l app=orchestrator -n ${NS} --timeout=300s`, { allowFail: true });
    if (w.code === 0) break;
    if (attempt >= 20 || !/no matching resources/i.test(w.stderr)) throw new Error(`wait ready: ${w.stderr}`);
    await new Promise((res) => setTimeout(res, 250));
  }
  judge(5, 'are the 3 pods ready?');
  // Step 6: configuration.
  const cmFile = fs.readdirSync(sim.backupDir).find((f) => /^configmap-backup-\d{8}-\d{6}\.yaml$/.test(f));
  if (!cmFile) throw new Error('no configmap backup');
  judge(6, `did v0.2.0 change the ConfigMap? yes: apply ${cmFile}`);
  await cmd(6, `kubectl apply -f ${cmFile}`);
  await cmd(6, `kubectl rollout restart deployment/orchestrator -n ${NS}`);
  await cmd(6, `kubectl rollout status deployment/orchestrator -n ${NS} --timeout=300s`);
  judge(6, 'is the restart complete?');
  // Step 7: verify.
  await cmd(7, `kubectl get pods -n ${NS} -l app=orchestrator -o jsonpath='{.items[*].spec.containers[0].image}' | tr ' ' '\\n' | sort -u`);
  await cmd(7, `curl -s ${app}/health | jq '.version'`);
  await cmd(7, `curl -s ${app}/health`);
  await cmd(7, `curl -s ${app}/health/ready`);
  await cmd(7, `kubectl logs -n ${NS} -l app=orchestrator --tail=100 --timestamps | grep -i error`, { allowFail: true });
  await cmd(
    7,
    `curl -s -X POST ${app}/api/v1/workflows -H "Content-Type: application/json" -H "Authorization: Bearer $TOKEN" -d '{"name": "rollback-test", "steps": [{"type": "llm_call", "provider": "openai"}]}'`,
  );
  judge(7, 'do image, version, health, logs and the smoke request all check out?');
  // Step 8 skipped (30-minute stability watch). Step 9: autoscaling.
  await cmd(9, `kubectl get hpa orchestrator -n ${NS}`);
  judge(9, 'is the HPA intact (3-10, CPU measured)? nothing to restore');
  const wallMs = performance.now() - t0;
  return { wallMs, rec: r, log };
}

/** (b) The console's functions, in the order the wizard's pages call them. */
async function runConsole(sim: Sim, opts: { sampleMs: number; commander: { id: string; name: string; email: string } }) {
  const r = recorder();
  const actor = opts.commander;
  const { assessScope } = await import('../lib/incidents/assess-scope');
  const { declareIncident } = await import('../lib/incidents/declare-incident');
  const { completeStep } = await import('../lib/incidents/complete-step');
  const { skipStep } = await import('../lib/incidents/skip-step');
  const { pauseRollout } = await import('../lib/incidents/pause-rollout');
  const { listTargetRevisions } = await import('../lib/incidents/list-target-revisions');
  const { chooseTargetRevision } = await import('../lib/incidents/choose-target-revision');
  const { executeRollback } = await import('../lib/incidents/execute-rollback');
  const { listBackups } = await import('../lib/targetdb/list-backups');
  const { restoreDatabase } = await import('../lib/incidents/restore-database');
  const { compareConfig } = await import('../lib/incidents/compare-config');
  const { restoreConfig } = await import('../lib/incidents/restore-config');
  const { verifyRollback } = await import('../lib/incidents/verify-rollback');
  const { compareAutoscaling } = await import('../lib/incidents/compare-autoscaling');
  const { restoreAutoscaling } = await import('../lib/incidents/restore-autoscaling');
  const { getIncidentOverview } = await import('../lib/incidents/get-incident-overview');
  const must = <T>(what: string, res: { ok: true; data: T } | { ok: false; code: string; message: string }): T => {
    if (!res.ok) throw new Error(`console ${what}: ${res.code} ${res.message}`);
    return res.data;
  };
  const key = (s: string) => `bench-${s}-${Date.now()}`;

  const t0 = performance.now();
  // Step 1: the declare page shows the live scope; one confirmed form declares.
  const scope = must('assessScope', await r.time(1, 'assessScope (page)', () => assessScope({ namespace: NS, deployment: 'orchestrator', sampleMs: opts.sampleMs })));
  r.decide(1, 'click', 'Declare (title, severity, deployment picked from the unhealthy list) and confirm');
  const declared = must(
    'declareIncident',
    await r.time(1, 'declareIncident', () =>
      declareIncident({ title: 'orchestrator v0.2.0 failing', severity: 'SEV1', namespace: NS, deployment: 'orchestrator', symptoms: 'High error rate', impact: 'User-facing', actor }),
    ),
  );
  const incidentId = declared.incidentId;
  r.decide(1, 'click', 'Copy the prepared announcement, mark step 1 done');
  must('completeStep 1', await r.time(1, 'completeStep(1)', () => completeStep({ incidentId, step: 1, actor })));
  // Step 2: pause only when a rollout is in progress; otherwise skip with the runbook reason.
  if (scope.rolloutInProgress) {
    r.decide(2, 'click', 'Pause rollout (confirm)');
    must('pauseRollout', await r.time(2, 'pauseRollout', () => pauseRollout({ incidentId, idempotencyKey: key('pause'), actor })));
  } else {
    r.decide(2, 'click', 'Skip step 2: no rollout in progress');
    must('skipStep 2', await r.time(2, 'skipStep(2)', () => skipStep({ incidentId, step: 2, reasonId: 'no-rollout-in-progress', actor })));
  }
  // Step 3: the history with the suggestion; the commander chooses.
  const revisions = must('listTargetRevisions', await r.time(3, 'listTargetRevisions (page)', () => listTargetRevisions({ incidentId })));
  const revision = revisions.suggestion?.revision;
  if (!revision) throw new Error('no suggested revision');
  r.decide(3, 'choice', `Choose revision ${revision} (the suggestion)`);
  must('chooseTargetRevision', await r.time(3, 'chooseTargetRevision', () => chooseTargetRevision({ incidentId, revision, actor })));
  // Step 4: one confirmed undo, followed live to completion.
  r.decide(4, 'click', `Roll back to revision ${revision} (confirm after the dry-run diff)`);
  const rolled = must('executeRollback', await r.time(4, 'executeRollback (follows the rollout)', () => executeRollback({ incidentId, source: { mode: 'revision' }, idempotencyKey: key('undo'), actor })));
  if (rolled.rollout.state !== 'complete') throw new Error(`rollback ended ${rolled.rollout.state}`);
  // Step 5: pick the backup, confirm; the action scales down, restores, verifies, scales back.
  const backups = await r.time(5, 'listBackups (page)', () => listBackups());
  const backup = backups[0]?.name;
  if (!backup) throw new Error('no backup');
  r.decide(5, 'choice', `Choose backup ${backup}`);
  r.decide(5, 'click', 'Restore database (confirm)');
  must('restoreDatabase', await r.time(5, 'restoreDatabase', () => restoreDatabase({ incidentId, backup, idempotencyKey: key('db'), actor })));
  // Step 6: the diff names the backup file; choose it as the source, confirm.
  const cmp = must('compareConfig', await r.time(6, 'compareConfig (page)', () => compareConfig({ incidentId })));
  const cm = cmp.configMaps.find((c) => c.name === 'orchestrator-config');
  const source = cm?.sources.find((s) => s.source === 'backup');
  if (!source || source.source !== 'backup') throw new Error('no ConfigMap backup offered');
  r.decide(6, 'choice', `Choose source ${source.file} (differs from live)`);
  r.decide(6, 'click', 'Restore config and restart (confirm)');
  must('restoreConfig', await r.time(6, 'restoreConfig (restart, wait)', () => restoreConfig({ incidentId, configMap: 'orchestrator-config', source: { file: source.file }, idempotencyKey: key('cfg'), actor })));
  // Step 7: run the checks.
  r.decide(7, 'click', 'Run verification');
  const verified = must('verifyRollback', await r.time(7, 'verifyRollback', () => verifyRollback({ incidentId, actor })));
  if (!verified.passed) throw new Error(`verification failed: ${JSON.stringify(verified.checks)}`);
  // Step 8 skipped (30-minute stability watch). Step 9: compare; restore or skip.
  const hpa = must('compareAutoscaling', await r.time(9, 'compareAutoscaling (page)', () => compareAutoscaling({ incidentId })));
  if (hpa.untouched) {
    r.decide(9, 'click', 'Skip step 9: HPA untouched');
    must('skipStep 9', await r.time(9, 'skipStep(9)', () => skipStep({ incidentId, step: 9, reasonId: 'hpa-untouched', actor })));
  } else {
    r.decide(9, 'click', 'Restore autoscaling (confirm)');
    must('restoreAutoscaling', await r.time(9, 'restoreAutoscaling', () => restoreAutoscaling({ incidentId, idempotencyKey: key('hpa'), actor })));
  }
  const wallMs = performance.now() - t0;
  const overview = must('overview', await getIncidentOverview({ incidentId }));
  const stepStatus = overview.steps.map((s) => `${s.number}:${s.status}`).join(' ');
  return { wallMs, rec: r, stepStatus };
}

/** The end state both runs must reach, read with real kubectl and psql (not timed). */
async function endState(sim: Sim, cacheDir: string) {
  const env = { ...process.env, KUBECONFIG: sim.kubeconfigPath, KUBECACHEDIR: cacheDir };
  const cwd = sim.backupDir;
  const pods = JSON.parse((await sh(`kubectl get pods -n ${NS} -l app=orchestrator -o json`, { cwd, env })).stdout || '{"items":[]}') as {
    items: { metadata: { deletionTimestamp?: string }; spec: { containers: { image: string }[] } }[];
  };
  const images = pods.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0]?.image ?? '');
  const schema = (await sh(`psql -At '${sim.databaseUrl}' -c "SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1"`, { cwd, env })).stdout.trim();
  const live = JSON.parse((await sh(`kubectl get configmap orchestrator-config -n ${NS} -o jsonpath='{.data}'`, { cwd, env })).stdout || '{}') as Record<string, string>;
  const { parse } = await import('yaml');
  const cmFile = fs.readdirSync(sim.backupDir).find((f) => /^configmap-backup-\d{8}-\d{6}\.yaml$/.test(f))!;
  const backup = (parse(fs.readFileSync(path.join(sim.backupDir, cmFile), 'utf8')) as { data: Record<string, string> }).data;
  const hpa = (await sh(`kubectl get hpa orchestrator -n ${NS} -o jsonpath='{.spec.minReplicas}/{.spec.maxReplicas}'`, { cwd, env })).stdout;
  const configRestored = JSON.stringify(Object.entries(live).sort()) === JSON.stringify(Object.entries(backup).sort());
  const ok = images.length === 3 && images.every((i) => i === V011) && schema === SCHEMA_BEFORE && configRestored && hpa === '3/10';
  return { ok, summary: `pods ${images.length}× ${[...new Set(images)].join(',') || 'none'}; schema ${schema}; ConfigMap ${configRestored ? 'restored' : 'NOT restored'}; HPA ${hpa || 'missing'}` };
}

export async function run(argv: string[]): Promise<void> {
  const speed = Number(flag(argv, 'speed') ?? 10);
  const pause = !argv.includes('--no-pause');
  const quick = argv.includes('--quick');
  const runs = Math.max(1, Number(flag(argv, 'runs') ?? (quick ? 1 : 3)));
  // assessScope's error-rate sample on the declare page (the page's default is 2 s).
  const sampleMs = Number(flag(argv, 'sample-ms') ?? 2000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-recovery-'));
  fs.chmodSync(dir, 0o755);
  const cacheDir = path.join(dir, 'kubecache');
  const { startEmbeddedPostgres, freePort } = await import('../scripts/lib/embedded-postgres');
  const { startSimulation } = await import('../sim');
  console.log(
    `bench recovery: ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ` +
      `scenario bad-release, speed ${speed}, ${runs} run(s) of each, alternating which goes first, each on a fresh simulation`,
  );
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres') });
  const sims: Sim[] = [];
  let simCount = 0;
  const fresh = async () => {
    const name = `orchestrator_${++simCount}`;
    await pg.createDatabase(name);
    const d = path.join(dir, name);
    fs.mkdirSync(d, { mode: 0o755 });
    const sim = await startSimulation({
      port: await freePort(),
      appPort: await freePort(),
      scenario: 'bad-release',
      speed,
      databaseUrl: pg.urlFor(name),
      dataDir: d,
      backupDir: path.join(d, 'backups'),
      kubeconfigPath: path.join(d, 'kubeconfig'),
    });
    sims.push(sim);
    return sim;
  };
  try {
    // The console database, once: migrated, demo users seeded.
    await pg.createDatabase('console');
    const consoleUrl = pg.urlFor('console');
    const { migrateDatabase } = await import('../scripts/lib/migrate');
    const { seedDemoUsers, DEMO_USERS } = await import('../scripts/lib/seed');
    await migrateDatabase(consoleUrl);
    await seedDemoUsers({ password: 'bench-password', databaseUrl: consoleUrl });
    process.env.DATABASE_URL = consoleUrl;
    delete process.env.SLACK_WEBHOOK_URL;
    delete process.env.PROMETHEUS_URL;
    const { resetEnvForTests } = await import('../lib/env');
    const { resetKubeClientForTests } = await import('../lib/k8s/client');
    const { db } = await import('../lib/db/client');
    const email = DEMO_USERS.find((u) => u.role === 'commander')!.email;

    type ScriptRun = Awaited<ReturnType<typeof runScript>>;
    type ConsoleRun = Awaited<ReturnType<typeof runConsole>>;
    const results: { script: ScriptRun; console: ConsoleRun; endA: Awaited<ReturnType<typeof endState>>; endB: Awaited<ReturnType<typeof endState>> }[] = [];
    for (let i = 0; i < runs; i++) {
      const doScript = async () => {
        const sim = await fresh();
        const res = await runScript(sim, { pause, cacheDir });
        const end = await endState(sim, cacheDir);
        await sim.stop();
        return { res, end };
      };
      const doConsole = async () => {
        const sim = await fresh();
        Object.assign(process.env, {
          KUBECONFIG: sim.kubeconfigPath,
          KUBE_CONTEXT: 'sim',
          TARGET_APP_URL: sim.appUrl,
          TARGET_DATABASE_URL: sim.databaseUrl,
          BACKUP_DIR: sim.backupDir,
          CLOCK_SPEED: String(speed),
        });
        resetEnvForTests();
        resetKubeClientForTests();
        // One incident at a time on the deployment: close earlier runs' incidents.
        await db.incident.updateMany({ where: { status: { not: 'closed' } }, data: { status: 'closed' } });
        const user = await db.user.findUniqueOrThrow({ where: { email } });
        const res = await runConsole(sim, { sampleMs, commander: { id: user.id, name: user.name, email: user.email } });
        const end = await endState(sim, cacheDir);
        await sim.stop();
        return { res, end };
      };
      let a: Awaited<ReturnType<typeof doScript>>;
      let b: Awaited<ReturnType<typeof doConsole>>;
      if (i % 2 === 0) {
        a = await doScript();
        b = await doConsole();
      } else {
        b = await doConsole();
        a = await doScript();
      }
      results.push({ script: a.res, console: b.res, endA: a.end, endB: b.end });
      console.log(`run ${i + 1}: script ${(a.res.wallMs / 1000).toFixed(1)} s, console ${(b.res.wallMs / 1000).toFixed(1)} s, ratio ${(b.res.wallMs / a.res.wallMs).toFixed(2)} (${i % 2 === 0 ? 'script' : 'console'} first)`);
    }
    await db.$disconnect().catch(() => {});

    // Figures: the run with the median ratio in detail, then the summary over all runs.
    const ratios = results.map((r) => r.console.wallMs / r.script.wallMs);
    const order = ratios.map((r, i) => [r, i] as const).sort((x, y) => x[0] - y[0]);
    const medianIndex = order[Math.floor((order.length - 1) / 2)]![1];
    const { script, console: consoleRun, endA, endB } = results[medianIndex]!;
    const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor((v.length - 1) / 2)]!;
    const secs = (ms: number) => (ms / 1000).toFixed(1);
    const perStep = (rec: ReturnType<typeof recorder>) =>
      [...rec.byStep().entries()]
        .sort(([x], [y]) => x - y)
        .map(([s, ms]) => `${s}:${secs(ms)}s`)
        .join(' ');
    const count = (rec: ReturnType<typeof recorder>) => {
      const by = (k: Decision['kind']) => rec.decisions.filter((d) => d.kind === k).length;
      return { total: rec.decisions.length, commands: by('command'), judgements: by('judgement'), clicks: by('click'), choices: by('choice') };
    };
    const cs = count(script.rec);
    const cc = count(consoleRun.rec);
    console.log(`details of run ${medianIndex + 1} (the median ratio):`);
    console.log(`(a) script (runbook steps 1-7, 9; ${pause ? 'step 2 paused as written, so kubectl forces a resume before the undo' : 'step 2 skipped by judgement'}): wall ${secs(script.wallMs)} s; per step ${perStep(script.rec)}`);
    for (const s of script.rec.steps.filter((x) => x.ms > 500)) console.log(`      ${secs(s.ms).padStart(6)} s  step ${s.step}  ${s.label.replace(/http:\/\/127\.0\.0\.1:\d+/g, '$APP')}`);
    console.log(`    decisions ${cs.total}: ${cs.commands} commands typed + ${cs.judgements} judgements`);
    for (const d of script.rec.decisions.filter((x) => x.kind === 'judgement')) console.log(`      judgement (step ${d.step}): ${d.what}`);
    console.log(`    end state: ${endA.summary} → ${endA.ok ? 'OK' : 'WRONG'}`);
    console.log(`(b) console (lib/incidents functions as the wizard calls them; declare page samples the error rate ${sampleMs} ms): wall ${secs(consoleRun.wallMs)} s; per step ${perStep(consoleRun.rec)}`);
    for (const s of consoleRun.rec.steps.filter((x) => x.ms > 300)) console.log(`      ${secs(s.ms).padStart(6)} s  step ${s.step}  ${s.label}`);
    console.log(`    decisions ${cc.total}: ${cc.clicks} confirmed clicks + ${cc.choices} choices`);
    for (const d of consoleRun.rec.decisions) console.log(`      ${d.kind} (step ${d.step}): ${d.what}`);
    console.log(`    step states: ${consoleRun.stepStatus}`);
    console.log(`    end state: ${endB.summary} → ${endB.ok ? 'OK' : 'WRONG'}`);
    const ratio = median(ratios);
    const agree = results.every((r) => r.endA.ok && r.endB.ok && r.endA.summary === r.endB.summary);
    const ok = ratio <= 1.1 && agree;
    console.log(
      `SUMMARY recovery (bad-release, speed ${speed}, step 8 skipped in both, ${runs} run(s)): script median ${secs(median(results.map((r) => r.script.wallMs)))} s, ` +
        `console median ${secs(median(results.map((r) => r.console.wallMs)))} s, ratio console/script median ${ratio.toFixed(2)} (runs ${ratios.map((r) => r.toFixed(2)).join('/')}; target ≤ 1.1); ` +
        `decisions script ${cs.total} (${cs.commands} commands + ${cs.judgements} judgements) vs console ${cc.total} (${cc.clicks} clicks + ${cc.choices} choices); ` +
        `end states ${agree ? 'agree' : 'DIFFER'}; ${ok ? 'PASS' : 'FAIL'}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    for (const s of sims) await s.stop().catch(() => {});
    await pg.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
