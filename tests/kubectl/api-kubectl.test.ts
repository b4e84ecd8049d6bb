/**
 * The simulated API server as real kubectl sees it: discovery and version, tables, output
 * formats, apply (client-side and server-side), every patch type, errors. Runs with the default
 * kubectl and, for the core commands, with kubectl 1.28.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- kubectl JSON output is arbitrary Kubernetes JSON */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, KUBECTL_OLD, kubectl, startSim, type TestSim } from '../support/sim';

const NS = ['-n', 'llm-orchestrator'];

const CONFIGMAP = (data: Record<string, string>) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: api-test-config
  namespace: llm-orchestrator
data:
${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n')}
`;

const DEPLOYMENT = (name: string, image: string, env: Record<string, string>) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: llm-orchestrator
  labels:
    app: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: ${image}
        env:
${Object.entries(env).map(([k, v]) => `        - name: ${k}\n          value: "${v}"`).join('\n')}
`;

describe.each([KUBECTL, KUBECTL_OLD])('kubectl %s against the simulated API', (bin) => {
  let sim: TestSim;
  const run = (args: string[], input?: string) => kubectl(sim, args, { bin, input });
  const ok = async (args: string[], input?: string) => {
    const r = await run(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    sim = await startSim({ speed: 20 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('reports server version 1.32', async () => {
    const out = await ok(['version']);
    expect(out).toMatch(/Server Version: v1\.32\.\d+/);
  });

  it('prints the usual tables for several resource types at once (short names)', async () => {
    const out = await ok(['get', 'deploy,po,hpa,cm,rs,sts', ...NS]);
    expect(out).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    expect(out).toMatch(/^deployment\.apps\/orchestrator\s+\d+\/3\s+\d+\s+\d+\s+\S+$/m);
    expect(out).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(out).toMatch(/^pod\/postgres-0\s+\d\/1\s+\w+/m);
    expect(out).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/m);
    expect(out).toMatch(/^horizontalpodautoscaler\.autoscaling\/orchestrator\s+Deployment\/orchestrator\s+.*%\/70%\s+3\s+10\s+/m);
    expect(out).toMatch(/^configmap\/orchestrator-config\s+\d+\s+\S+$/m);
    expect(out).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/m);
    expect(out).toMatch(/^statefulset\.apps\/postgres\s+\d\/1\s+\S+$/m);
  });

  it('shows wide columns and namespaces', async () => {
    const wide = await ok(['get', 'deployments', '-o', 'wide', ...NS]);
    expect(wide).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
    expect(wide).toMatch(/orchestrator\s+registry\.example\.com\/llm\/orchestrator:v0\.2\.0\s+app=orchestrator/);
    const all = await ok(['get', 'namespaces']);
    expect(all).toMatch(/^llm-orchestrator\s+Active\s+\S+$/m);
    const everywhere = await ok(['get', 'statefulsets', '-A']);
    expect(everywhere).toMatch(/^NAMESPACE\s+NAME\s+READY\s+AGE$/m);
    expect(everywhere).toMatch(/^llm-orchestrator\s+postgres\s+/m);
  });

  it('filters with label selectors', async () => {
    const app = await ok(['get', 'pods', '-l', 'app=orchestrator', '-o', 'name', ...NS]);
    expect(app.trim().split('\n').length).toBeGreaterThanOrEqual(3);
    expect(app).not.toContain('postgres');
    const notApp = await ok(['get', 'pods', '-l', 'app notin (orchestrator)', '-o', 'name', ...NS]);
    expect(notApp.trim()).toBe('pod/postgres-0');
    const none = await run(['get', 'pods', '-l', 'app=nothing', ...NS]);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('No resources found in llm-orchestrator namespace.');
  });

  it('prints JSON, YAML and jsonpath', async () => {
    const json = JSON.parse(await ok(['get', 'deployment', 'orchestrator', '-o', 'json', ...NS]));
    expect(json).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'orchestrator', namespace: 'llm-orchestrator' } });
    expect(Number(json.metadata.resourceVersion)).toBeGreaterThan(0);
    const yaml = await ok(['get', 'configmap', 'orchestrator-config', '-o', 'yaml', ...NS]);
    expect(yaml).toMatch(/^kind: ConfigMap$/m);
    const image = await ok(['get', 'deploy', 'orchestrator', '-o', 'jsonpath={.spec.template.spec.containers[0].image}', ...NS]);
    expect(image).toBe('registry.example.com/llm/orchestrator:v0.2.0');
    const list = await ok(['get', 'pods', '-l', 'app=orchestrator', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}', ...NS]);
    expect(list.trim().split('\n').every((n) => n.startsWith('orchestrator-'))).toBe(true);
  });

  it('answers NotFound, Invalid and unknown resource types like a real API server', async () => {
    const missing = await run(['get', 'deploy', 'nope', ...NS]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): deployments.apps "nope" not found');
    const badName = await run(['create', 'configmap', 'Bad_Name', '--from-literal=a=b', ...NS]);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"');
    const unknownType = await run(['get', 'widgets']);
    expect(unknownType.code).toBe(1);
    expect(unknownType.stderr).toContain(`the server doesn't have a resource type "widgets"`);
    const noNamespace = await run(['create', 'configmap', 'x', '--from-literal=a=b', '-n', 'nowhere']);
    expect(noNamespace.code).toBe(1);
    expect(noNamespace.stderr).toContain('namespaces "nowhere" not found');
  });

  it('applies a ConfigMap client-side: created, unchanged, configured, and a dropped key is removed', async () => {
    expect(await ok(['apply', '-f', '-'], CONFIGMAP({ a: '1', b: '2' }))).toContain('configmap/api-test-config created');
    expect(await ok(['apply', '-f', '-'], CONFIGMAP({ a: '1', b: '2' }))).toContain('configmap/api-test-config unchanged');
    expect(await ok(['apply', '-f', '-'], CONFIGMAP({ a: '1', c: '3' }))).toContain('configmap/api-test-config configured');
    const data = JSON.parse(await ok(['get', 'cm', 'api-test-config', '-o', 'jsonpath={.data}', ...NS]));
    expect(data).toEqual({ a: '1', c: '3' });
  });

  it('applies a Deployment client-side: env merged by name, containers kept, dropped env removed', async () => {
    const name = `web-${bin.endsWith('1.28') ? 'old' : 'new'}`;
    expect(await ok(['apply', '-f', '-'], DEPLOYMENT(name, 'nginx:1.27', { A: '1', B: '2' }))).toContain(`deployment.apps/${name} created`);
    await ok(['set', 'env', `deployment/${name}`, 'MANUAL=yes', ...NS]);
    const r = await run(['apply', '-f', '-'], DEPLOYMENT(name, 'nginx:1.28', { A: '1', C: '3' }));
    expect(r.stderr).not.toMatch(/warning/i);
    expect(r.stdout).toContain(`deployment.apps/${name} configured`);
    const d = JSON.parse(await ok(['get', 'deploy', name, '-o', 'json', ...NS]));
    const c = d.spec.template.spec.containers;
    expect(c).toHaveLength(1);
    expect(c[0].image).toBe('nginx:1.28');
    // B was applied before and is gone; MANUAL was never applied, so apply leaves it alone.
    expect(c[0].env.map((e: any) => e.name).sort()).toEqual(['A', 'C', 'MANUAL']);
    expect(d.metadata.generation).toBeGreaterThanOrEqual(3);
  });

  it('applies server-side (apply patch) and validates fields strictly', async () => {
    const name = `ssa-${bin.endsWith('1.28') ? 'old' : 'new'}`;
    const cm = (data: Record<string, string>) => CONFIGMAP(data).replace('api-test-config', name);
    expect(await ok(['apply', '--server-side', '-f', '-'], cm({ x: '1', y: '2' }))).toContain(`configmap/${name} serverside-applied`);
    expect(await ok(['apply', '--server-side', '-f', '-'], cm({ x: '9' }))).toContain(`configmap/${name} serverside-applied`);
    expect(JSON.parse(await ok(['get', 'cm', name, '-o', 'jsonpath={.data}', ...NS]))).toEqual({ x: '9' });
    const dep = DEPLOYMENT(`${name}-d`, 'nginx:1.27', { A: '1' });
    expect(await ok(['apply', '--server-side', '-f', '-'], dep)).toContain(`deployment.apps/${name}-d serverside-applied`);
    const typo = await run(['apply', '-f', '-'], dep.replace('replicas: 1', 'replicaz: 1'));
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('strict decoding error: unknown field "spec.replicaz"');
  });

  it('patches with strategic merge, merge and JSON patch, and labels/annotates', async () => {
    const name = `patch-${bin.endsWith('1.28') ? 'old' : 'new'}`;
    await ok(['apply', '-f', '-'], DEPLOYMENT(name, 'nginx:1.27', { A: '1' }));
    await ok(['patch', 'deployment', name, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"2"}]}]}}}}', ...NS]);
    await ok(['patch', 'deployment', name, '--type=merge', '-p', '{"spec":{"replicas":2}}', ...NS]);
    await ok(['patch', 'deployment', name, '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.29"}]', ...NS]);
    await ok(['label', 'deployment', name, 'team=sre', ...NS]);
    await ok(['annotate', 'deployment', name, 'note=hello', ...NS]);
    const d = JSON.parse(await ok(['get', 'deploy', name, '-o', 'json', ...NS]));
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.29');
    expect(d.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual(['A', 'B']);
    expect(d.metadata.labels.team).toBe('sre');
    expect(d.metadata.annotations.note).toBe('hello');
    const bad = await run(['patch', 'deployment', name, '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":7}]', ...NS]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('testing value /spec/replicas failed');
  });

  it('scales through the scale subresource and refuses a stale resourceVersion', async () => {
    const name = `scale-${bin.endsWith('1.28') ? 'old' : 'new'}`;
    await ok(['apply', '-f', '-'], DEPLOYMENT(name, 'nginx:1.27', { A: '1' }));
    expect(await ok(['scale', `deployment/${name}`, '--replicas=4', ...NS])).toContain(`deployment.apps/${name} scaled`);
    const scale = JSON.parse(await ok(['get', '--raw', `/apis/apps/v1/namespaces/llm-orchestrator/deployments/${name}/scale`]));
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 4 } });
    const stale = await run(['scale', `deployment/${name}`, '--replicas=1', '--resource-version=1', ...NS]);
    expect(stale.code).toBe(1);
    // kubectl checks --resource-version itself before it sends the patch.
    expect(stale.stderr).toMatch(/Expected resource version to be 1|the object has been modified/);
    const d = JSON.parse(await ok(['get', 'deploy', name, '-o', 'json', ...NS]));
    d.metadata.resourceVersion = '1';
    const replace = await run(['replace', '-f', '-'], JSON.stringify(d));
    expect(replace.stderr).toContain('Error from server (Conflict)');
  });

  it('creates from kubectl generators (protobuf bodies) and deletes, then answers NotFound', async () => {
    await ok(['create', 'secret', 'generic', `s-${bin.length}`, '--from-literal=password=hunter2', ...NS]);
    const secret = JSON.parse(await ok(['get', 'secret', `s-${bin.length}`, '-o', 'json', ...NS]));
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('hunter2');
    expect(secret.type).toBe('Opaque');
    expect(await ok(['create', 'namespace', `ns-${bin.length}`])).toContain(`namespace/ns-${bin.length} created`);
    await ok(['create', 'configmap', `gone-${bin.length}`, '--from-literal=a=b', ...NS]);
    expect(await ok(['delete', 'configmap', `gone-${bin.length}`, ...NS])).toContain(`configmap "gone-${bin.length}" deleted`);
    const r = await run(['get', 'configmap', `gone-${bin.length}`, ...NS]);
    expect(r.stderr).toContain(`configmaps "gone-${bin.length}" not found`);
  });

  it('gets and applies the HPA in autoscaling/v2 and reads it as autoscaling/v1', async () => {
    const v2 = JSON.parse(await ok(['get', 'hpa', 'orchestrator', '-o', 'json', ...NS]));
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    const v1 = JSON.parse(await ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'orchestrator', '-o', 'json', ...NS]));
    expect(v1).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { minReplicas: 3, maxReplicas: 10, targetCPUUtilizationPercentage: 70 } });
  });
});
