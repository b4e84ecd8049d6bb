/**
 * Helpers of the kubectl parity tests: run the kubectl commands a lib/k8s result claims, wait
 * for a simulation to settle, and normalise Deployments and ReplicaSets for comparison.
 *
 * What the comparison ignores, and why:
 * - uids, resourceVersions, creation/transition times, managedFields: differ by construction.
 * - `kubernetes.io/change-cause`, `rollback-console/actor`, `rollback-console/reason`: the
 *   console records who asked and why; kubectl sets none of them (unless --record). The
 *   deployment controller copies them onto the ReplicaSet, so they are ignored there too.
 * - status, except the counts a rollout converges to (replicas, updatedReplicas,
 *   observedGeneration): bad-release pods crash-loop on their own schedule.
 * - with `hashes: 'by-revision'` (restart only: `restartedAt` holds each side's own clock,
 *   so the pod-template-hash differs), ReplicaSet names and hash labels become `rev<N>`.
 * Templates are compared canonically (key order, null and empty maps ignored), as the
 * controller's EqualIgnoreHash does: kubectl's Go client sends `creationTimestamp: null` and
 * `resources: {}` that ours does not.
 */
import { canonicalize } from '@/lib/k8s/canonical';
import { CONSOLE_ANNOTATIONS } from '@/lib/k8s/record-annotations';
import { kubectl, type TestSim } from '@/tests/support/sim';

export const NS = 'llm-orchestrator';
export const NAME = 'orchestrator';

// Raw API JSON of any kind, walked loosely: the normaliser reads many optional paths.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

export async function getJson(sim: Pick<TestSim, 'apiUrl'>, path: string): Promise<Obj> {
  const res = await fetch(`${sim.apiUrl}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Obj;
}

export async function readState(sim: Pick<TestSim, 'apiUrl'>): Promise<{ deployment: Obj; replicaSets: Obj[] }> {
  const deployment = await getJson(sim, `/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`);
  const list = await getJson(sim, `/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3D${NAME}`);
  const replicaSets = (list.items as Obj[]).filter((rs) => (rs.metadata.ownerReferences ?? []).some((o: Obj) => o.controller && o.uid === deployment.metadata.uid));
  return { deployment, replicaSets };
}

function settled({ deployment: d, replicaSets }: { deployment: Obj; replicaSets: Obj[] }): boolean {
  if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) return false;
  if (!d.spec.paused) {
    const want = d.spec.replicas ?? 1;
    if ((d.status?.updatedReplicas ?? 0) !== want || (d.status?.replicas ?? 0) !== want) return false;
  }
  return replicaSets.every((rs) => (rs.status?.replicas ?? 0) === (rs.spec.replicas ?? 0));
}

/** Waits until the rollout has converged (and stayed so for two polls). */
export async function waitSettled(sim: Pick<TestSim, 'apiUrl'>, timeoutMs = 60_000): Promise<{ deployment: Obj; replicaSets: Obj[] }> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let stable = 0;
  while (Date.now() < deadline) {
    const state = await readState(sim);
    if (settled(state)) {
      const key = JSON.stringify(normalize(state));
      stable = key === last ? stable + 1 : 0;
      last = key;
      if (stable >= 1) return state;
    } else {
      stable = 0;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`simulation ${sim.apiUrl} did not settle in ${timeoutMs} ms: ${JSON.stringify((await readState(sim)).deployment.status)}`);
}

function normalizeMeta(meta: Obj, hashMap?: Map<string, string>): Obj {
  const { uid: _u, resourceVersion: _rv, creationTimestamp: _c, managedFields: _m, selfLink: _s, ...rest } = meta;
  const annotations = { ...(rest.annotations ?? {}) };
  for (const a of CONSOLE_ANNOTATIONS) delete annotations[a];
  const out: Obj = { ...rest, annotations };
  if (rest.ownerReferences) out.ownerReferences = rest.ownerReferences.map(({ uid: _x, ...o }: Obj) => o);
  if (hashMap && rest.labels?.['pod-template-hash']) out.labels = { ...rest.labels, 'pod-template-hash': hashMap.get(rest.labels['pod-template-hash']) };
  if (hashMap && typeof rest.name === 'string') {
    for (const [h, r] of hashMap) if (rest.name.endsWith(`-${h}`)) out.name = rest.name.slice(0, -h.length) + r;
  }
  return out;
}

function normalizeTemplate(t: Obj | undefined, hashMap?: Map<string, string>): unknown {
  if (!t) return t;
  const copy = structuredClone(t);
  const ann = copy.metadata?.annotations;
  if (ann?.['kubectl.kubernetes.io/restartedAt']) ann['kubectl.kubernetes.io/restartedAt'] = '<time>';
  const hash = copy.metadata?.labels?.['pod-template-hash'];
  if (hashMap && hash) copy.metadata.labels['pod-template-hash'] = hashMap.get(hash);
  return canonicalize(copy);
}

function mapSelector(sel: Obj | undefined, hashMap?: Map<string, string>): Obj | undefined {
  const hash = sel?.matchLabels?.['pod-template-hash'];
  if (!hashMap || !hash) return sel;
  return { ...sel, matchLabels: { ...sel!.matchLabels, 'pod-template-hash': hashMap.get(hash) } };
}

export function normalize(state: { deployment: Obj; replicaSets: Obj[] }, opts: { hashes?: 'keep' | 'by-revision' } = {}): unknown {
  let hashMap: Map<string, string> | undefined;
  if (opts.hashes === 'by-revision') {
    hashMap = new Map(state.replicaSets.map((rs) => [rs.metadata.labels?.['pod-template-hash'], `rev${rs.metadata.annotations?.['deployment.kubernetes.io/revision']}`]));
  }
  const d = state.deployment;
  const deployment = canonicalize({
    metadata: normalizeMeta(d.metadata),
    spec: { ...d.spec, template: normalizeTemplate(d.spec.template, hashMap) },
    status: { observedGeneration: d.status?.observedGeneration, replicas: d.status?.replicas, updatedReplicas: d.status?.updatedReplicas },
  });
  const replicaSets = state.replicaSets
    .map((rs) =>
      canonicalize({
        metadata: normalizeMeta(rs.metadata, hashMap),
        spec: { ...rs.spec, selector: mapSelector(rs.spec.selector, hashMap), template: normalizeTemplate(rs.spec.template, hashMap) },
        status: { replicas: rs.status?.replicas },
      }),
    )
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { deployment, replicaSets };
}

/** Splits a command line as a POSIX shell would (only the quoting our kubectl strings use). */
export function shellSplit(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (ch === ' ') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/**
 * Runs, with real kubectl, the commands a lib/k8s result says it is equivalent to, except the
 * `kubectl annotate` of the console's own annotations. `files` maps file names in the commands
 * to absolute paths.
 */
export async function runKubectlEquivalent(sim: TestSim, commands: string[], files: Record<string, string> = {}, bin?: string): Promise<string[]> {
  const outputs: string[] = [];
  for (const line of commands) {
    const argv = shellSplit(line);
    if (argv[0] !== 'kubectl') throw new Error(`not a kubectl command: ${line}`);
    if (argv[1] === 'annotate') continue;
    const args = argv.slice(1).map((a) => files[a] ?? a);
    const run = await kubectl(sim, args, bin ? { bin } : {});
    if (run.code !== 0) throw new Error(`${line} failed (${run.code}): ${run.stderr}`);
    outputs.push(run.stdout.trim());
  }
  return outputs;
}
