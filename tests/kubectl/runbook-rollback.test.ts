/**
 * Every kubectl command of the rollback runbook (steps 1-9 and Validation), run by real kubectl
 * against the simulated cluster, in the order an incident commander runs them, with assertions on
 * what kubectl prints and on the resulting cluster, application and database state. Runs once
 * with the default kubectl (KUBECTL, default /usr/bin/kubectl, 1.32) and once with kubectl 1.28.
 * @see ../../../shared/runbooks/rollback-procedure.md (the team's shared folder)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startSim, kubectl as runKubectl, KUBECTL, KUBECTL_OLD } from '../support/sim';
import { readSchemaVersion, countWorkflows } from '@/sim/app';
import { CONFIG_V01 } from '@/sim/scenarios';

const NS = ['-n', 'llm-orchestrator'];
const KUBECTLS = [KUBECTL, KUBECTL_OLD];
const IMAGE = (v: string) => `registry.example.com/llm/orchestrator:${v}`;

const HPA_MANIFEST = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: orchestrator
  namespace: llm-orchestrator
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: orchestrator
  minReplicas: 3
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 70
`;

type Run = { code: number; stdout: string; stderr: string };
type Sim = Awaited<ReturnType<typeof startSim>>;

async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
}

describe.each(KUBECTLS)('runbook kubectl commands with %s', (bin) => {
  let sim: Sim;
  const env = () => ({ ...process.env, KUBECONFIG: sim.kubeconfigPath });

  /** Runs kubectl with the sim kubeconfig; never throws on a non-zero exit. */
  const kubectl = (args: string[], input?: string, timeoutMs = 60_000): Promise<Run> => runKubectl(sim, args, { bin, input, timeoutMs });
  const ok = async (args: string[], input?: string) => {
    const r = await kubectl(args, input);
    expect(r.code, `kubectl ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const sh = (cmd: string): Promise<Run> =>
    new Promise((resolve) => execFile('sh', ['-c', cmd], { env: env() }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr })));
  const health = async (p = '/health') => {
    const res = await fetch(sim.appUrl + p);
    return { status: res.status, body: (await res.json()) as { status: string; version: string | null; versions: { version: string; pods: number }[] } };
  };
  const images = async () => (await ok(['get', 'pods', ...NS, '-l', 'app=orchestrator', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).split(' ').filter(Boolean);
  const history = async () =>
    (await ok(['rollout', 'history', 'deployment/orchestrator', ...NS]))
      .split('\n')
      .filter((l) => /^\d+\s/.test(l))
      .map((l) => {
        const [rev, ...cause] = l.trim().split(/\s+/);
        return [Number(rev), cause.join(' ')] as const;
      });
  const jsonpath = (kind: string, expr: string) => ok(['get', kind, ...NS, '-o', `jsonpath=${expr}`]);
  /** Counters of /metrics: [5xx, total]. */
  const requestCounters = async () => {
    const text = await (await fetch(sim.appUrl + '/metrics')).text();
    let errors = 0;
    let total = 0;
    for (const m of text.matchAll(/^http_requests_total\{[^}]*status="(\d+)"[^}]*\} (\d+)/gm)) {
      total += Number(m[2]);
      if (m[1]!.startsWith('5')) errors += Number(m[2]);
    }
    return [errors, total] as const;
  };
  const errorRatio = async (ms: number) => {
    const [e0, t0] = await requestCounters();
    await new Promise((r) => setTimeout(r, ms));
    const [e1, t1] = await requestCounters();
    return { ratio: (e1 - e0) / Math.max(1, t1 - t0), requests: t1 - t0 };
  };
  const allPodsOn = (version: string) =>
    until(`all pods on ${version}`, async () => {
      const imgs = await images();
      return imgs.length === 3 && imgs.every((i) => i === IMAGE(version));
    });

  beforeAll(async () => {
    sim = await startSim({ speed: 30 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('step 1: get deployment, get pods, /health and the error rate show the bad release', async () => {
    const d = await ok(['get', 'deployment', 'orchestrator', ...NS]);
    expect(d).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    expect(d).toMatch(/\norchestrator\s+[0-3]\/3\s+3\s+[0-3]\s+/);
    const pods = await ok(['get', 'pods', ...NS, '-l', 'app=orchestrator']);
    expect(pods).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    expect(pods.trim().split('\n').slice(1).length).toBe(3);
    expect(pods).toMatch(/orchestrator-\w+-\w{5}\s+[01]\/1\s+\w+\s+\d+/);
    expect(await images()).toEqual([IMAGE('v0.2.0'), IMAGE('v0.2.0'), IMAGE('v0.2.0')]);
    // The v0.2.0 pods are OOMKilled and restart.
    const reasons = await jsonpath('pods', '{.items[*].status.containerStatuses[0].lastState.terminated.reason}');
    expect(reasons).toContain('OOMKilled');
    const h = await until('v0.2.0 serving', async () => {
      const x = await health();
      return x.status === 200 && x.body;
    });
    expect(h.version).toBe('v0.2.0');
    const { ratio, requests } = await errorRatio(2000);
    expect(requests).toBeGreaterThan(300);
    expect(ratio).toBeGreaterThan(0.05);
  });

  it('step 2: rollout pause, then rollout status; undo is refused while paused; resume', async () => {
    expect(await ok(['rollout', 'pause', 'deployment/orchestrator', ...NS])).toContain('deployment.apps/orchestrator paused');
    await until('DeploymentPaused', async () => (await jsonpath('deployment/orchestrator', '{.status.conditions[?(@.type=="Progressing")].reason}')) === 'DeploymentPaused');
    // Real kubectl has no "paused" message: a paused, complete rollout reports success
    // (possibly after waiting for an OOMKilled pod to become available again).
    const status = await kubectl(['rollout', 'status', 'deployment/orchestrator', ...NS, '--timeout=30s']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/(Waiting for deployment "orchestrator" rollout to finish: \d of 3 updated replicas are available\.\.\.\n)*deployment "orchestrator" successfully rolled out\n$/);
    const undo = await kubectl(['rollout', 'undo', 'deployment/orchestrator', ...NS]);
    expect(undo.code).not.toBe(0);
    expect(undo.stderr).toContain("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
    expect(await ok(['rollout', 'resume', 'deployment/orchestrator', ...NS])).toContain('deployment.apps/orchestrator resumed');
    expect(await jsonpath('deployment/orchestrator', '{.spec.paused}')).toBe('');
  });

  it('step 3: rollout history lists revisions 1-3 with their change causes; --revision=2 shows the image', async () => {
    expect(await history()).toEqual([
      [1, 'Initial deployment (v0.1.0)'],
      [2, 'Update to v0.1.1'],
      [3, 'Update to v0.2.0'],
    ]);
    const rev2 = await ok(['rollout', 'history', 'deployment/orchestrator', ...NS, '--revision=2']);
    expect(rev2).toContain('deployment.apps/orchestrator with revision #2');
    expect(rev2).toMatch(new RegExp(`Image:\\s+${IMAGE('v0.1.1').replace(/\./g, '\\.')}`));
    expect(rev2).toContain('Update to v0.1.1');
  });

  it('step 4A: rollout undo, rollout status --watch, get pods: every pod on v0.1.1, /health v0.1.1, history 1, 3, 4', async () => {
    expect(await ok(['rollout', 'undo', 'deployment/orchestrator', ...NS])).toContain('deployment.apps/orchestrator rolled back');
    const status = await ok(['rollout', 'status', 'deployment/orchestrator', ...NS, '--watch']);
    expect(status).toMatch(/deployment "orchestrator" successfully rolled out\n$/);
    await allPodsOn('v0.1.1');
    const pods = await ok(['get', 'pods', ...NS, '-l', 'app=orchestrator']);
    expect(pods.trim().split('\n').slice(1).every((l) => /\s1\/1\s+Running\s/.test(l))).toBe(true);
    expect(await history()).toEqual([
      [1, 'Initial deployment (v0.1.0)'],
      [3, 'Update to v0.2.0'],
      [4, 'Update to v0.1.1'],
    ]);
    const h = await health();
    expect(h.status).toBe(200);
    expect(h.body.version).toBe('v0.1.1');
    expect(await jsonpath('deployment/orchestrator', '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}')).toBe('4');
  });

  it('step 4B: undo --to-revision=N (a revision that moved is gone; 1 rolls to v0.1.0; back to 4)', async () => {
    const gone = await kubectl(['rollout', 'undo', 'deployment/orchestrator', ...NS, '--to-revision=2']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('unable to find specified revision 2 in history');
    expect(await ok(['rollout', 'undo', 'deployment/orchestrator', ...NS, '--to-revision=1'])).toContain('rolled back');
    expect(await ok(['rollout', 'status', 'deployment/orchestrator', ...NS])).toContain('successfully rolled out');
    await allPodsOn('v0.1.0');
    expect((await history()).map(([r]) => r)).toEqual([3, 4, 5]);
    expect(await ok(['rollout', 'undo', 'deployment/orchestrator', ...NS, '--to-revision=4'])).toContain('rolled back');
    expect(await ok(['rollout', 'status', 'deployment/orchestrator', ...NS])).toContain('successfully rolled out');
    await allPodsOn('v0.1.1');
    expect(await history()).toEqual([
      [3, 'Update to v0.2.0'],
      [5, 'Initial deployment (v0.1.0)'],
      [6, 'Update to v0.1.1'],
    ]);
  });

  it('step 5: backup exists; scale to 0, wait --for=delete; restore; scale to 3, wait --for=condition=ready', async () => {
    const backups = fs.readdirSync(sim.backupDir).filter((f) => /^backup-\d{8}-\d{6}\.sql\.gz$/.test(f));
    expect(backups).toHaveLength(1);
    const ls = await sh(`cd '${sim.backupDir}' && ls -lh backup-*.sql.gz`);
    expect(ls.stdout).toContain(backups[0]);
    expect(await readSchemaVersion(sim.databaseUrl)).toBe('20251114_v020');

    expect(await ok(['scale', 'deployment', 'orchestrator', ...NS, '--replicas=0'])).toContain('deployment.apps/orchestrator scaled');
    // Exit 0 once no pod is left ("condition met" per pod it saw go; nothing if they were already gone).
    const wait = await ok(['wait', '--for=delete', 'pod', '-l', 'app=orchestrator', ...NS, '--timeout=60s']);
    for (const l of wait.split('\n').filter(Boolean)) expect(l).toMatch(/^pod\/orchestrator-\w+-\w{5} condition met$/);
    expect(await images()).toEqual([]);
    expect((await health()).status).toBe(503);

    // 3. Restore through the database pod, exactly as the runbook says. The simulation serves exec
    // over WebSocket (kubectl >= 1.30); kubectl 1.28 only speaks SPDY, so it restores with psql directly.
    const backup = path.join(sim.backupDir, backups[0]!);
    const restore = await sh(`gunzip < '${backup}' | ${bin} exec -i -n llm-orchestrator postgres-0 -- psql -U orchestrator orchestrator`);
    if (bin === KUBECTL_OLD) {
      expect(restore.code).not.toBe(0);
      const direct = await sh(`gunzip < '${backup}' | psql -q -v ON_ERROR_STOP=1 '${sim.databaseUrl}'`);
      expect(direct.code, direct.stderr).toBe(0);
    } else {
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toContain('CREATE TABLE');
      // 4. Verify restoration.
      const verify = await kubectl(['exec', ...NS, 'postgres-0', '--', 'psql', '-U', 'orchestrator', '-d', 'orchestrator', '-c', 'SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1;']);
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/version\s*\n-+\n\s*20251101_init\n\(1 row\)/);
    }
    expect(await readSchemaVersion(sim.databaseUrl)).toBe('20251101_init');

    expect(await ok(['scale', 'deployment', 'orchestrator', ...NS, '--replicas=3'])).toContain('deployment.apps/orchestrator scaled');
    await until('pods created', async () => (await images()).length === 3);
    const ready = await ok(['wait', '--for=condition=ready', 'pod', '-l', 'app=orchestrator', ...NS, '--timeout=300s']);
    expect(ready.trim().split('\n')).toHaveLength(3);
    expect(ready).toMatch(/pod\/orchestrator-\w+-\w{5} condition met/);
    expect(await images()).toEqual([IMAGE('v0.1.1'), IMAGE('v0.1.1'), IMAGE('v0.1.1')]);
  });

  it('step 6: edit, then apply -f the ConfigMap backup restores the earlier data; rollout restart; rollout status', async () => {
    // Option B first: `kubectl edit` with a scripted editor.
    const edit = await sh(`KUBE_EDITOR="sed -i -e 's/LOG_LEVEL: debug/LOG_LEVEL: info/'" ${bin} edit configmap orchestrator-config -n llm-orchestrator`);
    expect(edit.code, edit.stderr).toBe(0);
    expect(edit.stdout).toContain('configmap/orchestrator-config edited');
    expect(await jsonpath('configmap/orchestrator-config', '{.data.LOG_LEVEL}')).toBe('info');
    // Option A: apply the backup.
    const file = fs.readdirSync(sim.backupDir).find((f) => /^configmap-backup-\d{8}-\d{6}\.yaml$/.test(f))!;
    expect(file).toBeDefined();
    expect(await ok(['apply', '-f', path.join(sim.backupDir, file)])).toContain('configmap/orchestrator-config configured');
    const data = JSON.parse(await jsonpath('configmap/orchestrator-config', '{.data}'));
    expect(data).toEqual(CONFIG_V01);
    const before = await ok(['get', 'pods', ...NS, '-l', 'app=orchestrator', '-o', 'name']);
    expect(await ok(['rollout', 'restart', 'deployment/orchestrator', ...NS])).toContain('deployment.apps/orchestrator restarted');
    const status = await ok(['rollout', 'status', 'deployment/orchestrator', ...NS]);
    expect(status).toMatch(/deployment "orchestrator" successfully rolled out\n$/);
    await until('restarted pods', async () => {
      const names = await ok(['get', 'pods', ...NS, '-l', 'app=orchestrator', '-o', 'name']);
      const list = names.trim().split('\n');
      return list.length === 3 && list.every((n) => !before.includes(n));
    });
    expect((await history()).map(([r]) => r)).toEqual([3, 5, 6, 7]);
    await allPodsOn('v0.1.1');
  });

  it('step 7: images sort -u, /health, /health/ready, logs --tail --timestamps without errors, POST a workflow', async () => {
    const uniq = await sh(`kubectl get pods -n llm-orchestrator -l app=orchestrator -o jsonpath='{.items[*].spec.containers[0].image}' | tr ' ' '\\n' | sort -u`.replace(/^kubectl/, bin));
    expect(uniq.stdout).toBe(`${IMAGE('v0.1.1')}\n`);
    const h = await health('/health');
    expect(h).toMatchObject({ status: 200, body: { version: 'v0.1.1' } });
    expect((await health('/health/ready')).status).toBe(200);
    await until('request logs', async () => (await ok(['logs', ...NS, '-l', 'app=orchestrator', '--tail=100', '--timestamps'])).includes('POST /api/v1/workflows'));
    const logs = await ok(['logs', ...NS, '-l', 'app=orchestrator', '--tail=100', '--timestamps']);
    const lines = logs.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z /);
    expect(lines.filter((l) => /error/i.test(l))).toEqual([]);
    const before = await countWorkflows(sim.databaseUrl);
    const res = await fetch(sim.appUrl + '/api/v1/workflows', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer test' },
      body: JSON.stringify({ name: 'rollback-test', steps: [{ type: 'llm_call', provider: 'openai' }] }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'rollback-test', status: 'created', version: 'v0.1.1' });
    expect(await countWorkflows(sim.databaseUrl)).toBeGreaterThan(before ?? 0);
  });

  it('step 8: error rate below 1%, pods stay Running, /metrics has requests, latency and errors', async () => {
    const { ratio, requests } = await errorRatio(3000);
    expect(requests).toBeGreaterThan(1000);
    expect(ratio).toBeLessThan(0.01);
    const pods = await ok(['get', 'pods', ...NS, '-l', 'app=orchestrator']);
    expect(pods.trim().split('\n').slice(1).every((l) => /\s1\/1\s+Running\s+0\s/.test(l))).toBe(true);
    const grep = await sh(`curl -s '${sim.appUrl}/metrics' | grep -E "(error|latency|requests)"`);
    expect(grep.stdout).toContain('http_requests_total{');
    expect(grep.stdout).toMatch(/latency/);
    expect(grep.stdout).toMatch(/error/);
  });

  it('step 9: get hpa; delete it and recreate it with apply -f -; get hpa -w', async () => {
    const hpa = await ok(['get', 'hpa', 'orchestrator', ...NS]);
    expect(hpa).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
    expect(hpa).toMatch(/orchestrator\s+Deployment\/orchestrator\s+\S.*\s+3\s+10\s+3\s+/);
    expect(await ok(['delete', 'hpa', 'orchestrator', ...NS])).toContain('horizontalpodautoscaler.autoscaling "orchestrator" deleted');
    expect((await kubectl(['get', 'hpa', 'orchestrator', ...NS])).code).not.toBe(0);
    expect(await ok(['apply', '-f', '-'], HPA_MANIFEST)).toContain('horizontalpodautoscaler.autoscaling/orchestrator created');
    expect(await ok(['apply', '-f', '-'], HPA_MANIFEST)).toContain('horizontalpodautoscaler.autoscaling/orchestrator unchanged');
    await until('HPA measuring', async () => /cpu: \d+%\/70%/.test(await ok(['get', 'hpa', 'orchestrator', ...NS])));
    // -w keeps watching: read its first table, then stop it.
    const watch = await kubectl(['get', 'hpa', 'orchestrator', ...NS, '-w'], undefined, 3000);
    expect(watch.stdout).toMatch(/orchestrator\s+Deployment\/orchestrator\s+cpu: \d+%\/70%\s+3\s+10\s+3\s+/);
    expect(await jsonpath('deployment/orchestrator', '{.spec.replicas}')).toBe('3');
  });

  it('validation: history, pods 1/1 Running, describe Image:, health 200, no error logs, workflows count, metrics', async () => {
    expect((await history()).at(-1)).toEqual([7, 'Update to v0.1.1']);
    const pods = await ok(['get', 'pods', ...NS, '-l', 'app=orchestrator']);
    expect(pods.trim().split('\n').slice(1).filter((l) => /\s1\/1\s+Running\s/.test(l))).toHaveLength(3);
    const describe = await ok(['describe', 'deployment', 'orchestrator', ...NS]);
    const imageLines = describe.split('\n').filter((l) => l.includes('Image:')).map((l) => l.trim());
    expect(imageLines).toHaveLength(1);
    expect(imageLines[0]).toMatch(new RegExp(`^Image:\\s+${IMAGE('v0.1.1').replace(/\./g, '\\.')}$`));
    expect(describe).toMatch(/Events:[\s\S]*ScalingReplicaSet/);
    expect(describe).toMatch(/NewReplicaSet:\s+orchestrator-\w+ \(3\/3 replicas created\)/);
    const curl = await sh(`curl -s -w "\\n%{http_code}\\n" '${sim.appUrl}/health'`);
    expect(curl.stdout.trim().split('\n').at(-1)).toBe('200');
    const errors = await sh(`${bin} logs -n llm-orchestrator -l app=orchestrator --since=30m | grep -i error | wc -l`);
    expect(errors.stdout.trim()).toBe('0');
    const count = await countWorkflows(sim.databaseUrl);
    expect(count).toBeGreaterThan(0);
    if (bin !== KUBECTL_OLD) {
      const q = await kubectl(['exec', ...NS, 'postgres-0', '--', 'psql', '-U', 'orchestrator', '-d', 'orchestrator', '-c', 'SELECT COUNT(*) FROM workflows;']);
      expect(q.code, q.stderr).toBe(0);
      expect(Number(/count\s*\n-+\n\s*(\d+)\n/.exec(q.stdout)?.[1])).toBeGreaterThanOrEqual(count!);
    }
    const head = await sh(`curl -s '${sim.appUrl}/metrics' | head -20`);
    expect(head.stdout).toMatch(/^# HELP http_requests_total/);
  });

  it('option C on a fresh bad release: apply -f the Deployment backup rolls back to v0.1.1 as revision 4', async () => {
    await sim.reset('bad-release');
    await allPodsOn('v0.2.0');
    const file = fs.readdirSync(sim.backupDir).find((f) => /^deployment-backup-\d{8}-\d{6}\.yaml$/.test(f))!;
    expect(await ok(['apply', '-f', path.join(sim.backupDir, file)])).toContain('deployment.apps/orchestrator configured');
    expect(await ok(['rollout', 'status', 'deployment/orchestrator', ...NS, '--watch'])).toContain('successfully rolled out');
    await allPodsOn('v0.1.1');
    expect(await history()).toEqual([
      [1, 'Initial deployment (v0.1.0)'],
      [3, 'Update to v0.2.0'],
      [4, 'Update to v0.1.1'],
    ]);
    expect((await health()).body.version).toBe('v0.1.1');
  });

  it('stuck rollout: rollout status fails on the progress deadline; undo finishes the rollback', async () => {
    await sim.reset('stuck-rollout');
    const pods = await ok(['get', 'pods', ...NS, '-l', 'app=orchestrator']);
    expect(pods).toMatch(/\s0\/1\s+CrashLoopBackOff\s+\d+/);
    const status = await kubectl(['rollout', 'status', 'deployment/orchestrator', ...NS, '--timeout=60s']);
    expect(status.code).not.toBe(0);
    expect(status.stdout).toContain('Waiting for deployment "orchestrator" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(status.stderr).toContain('error: deployment "orchestrator" exceeded its progress deadline');
    expect(await ok(['rollout', 'undo', 'deployment/orchestrator', ...NS])).toContain('rolled back');
    expect(await ok(['rollout', 'status', 'deployment/orchestrator', ...NS])).toContain('successfully rolled out');
    await allPodsOn('v0.1.1');
    expect((await history()).map(([r]) => r)).toEqual([1, 3, 4]);
  });
});
