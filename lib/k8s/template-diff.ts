import type { V1Container, V1PodTemplateSpec, V1Probe } from '@kubernetes/client-node';

/**
 * What differs between two pod templates, shaped for people: images, env names, ConfigMap and
 * Secret references, resources, probes, replicas. Pure and unit-tested. Secret values are never
 * read (templates only reference Secrets); env values whose names look sensitive, and passwords
 * inside URLs, are masked before they leave this module.
 */

export type DiffCategory = 'image' | 'env' | 'configMap' | 'secret' | 'resources' | 'probe' | 'replicas' | 'container' | 'other';

export type DiffEntry = {
  category: DiffCategory;
  /** e.g. `containers[orchestrator].image`, `containers[orchestrator].env.LOG_LEVEL` */
  path: string;
  change: 'added' | 'removed' | 'changed';
  before: string | null;
  after: string | null;
  /** The value is hidden; only the fact that it changed is shown. */
  masked?: boolean;
};

export type EnvSummary = { name: string; value: string | null; source: string | null; masked: boolean };

export type ContainerSummary = {
  name: string;
  image: string;
  env: EnvSummary[];
  envFrom: string[];
  resources: Record<string, string>;
  probes: Record<'liveness' | 'readiness' | 'startup', string | null>;
};

export type TemplateSummary = {
  containers: ContainerSummary[];
  configMaps: string[];
  secrets: string[];
  replicas: number | null;
};

export type TemplateDiff = { from: TemplateSummary; to: TemplateSummary; changes: DiffEntry[] };

export const MASK = '••••••';

const SENSITIVE_NAME = /(PASSWORD|PASSWD|PASSPHRASE|PWD|TOKEN|SECRET|KEY|CREDENTIAL|PRIVATE|AUTH|SESSION|COOKIE|SIGNATURE|SALT|DSN|CERT)/i;

/** Env var names that look like they hold a secret: their values are never shown. */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** `postgres://user:pw@host/db` → `postgres://user:••••••@host/db`. */
export function maskUrlCredentials(value: string): string {
  return value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:\/@\s]+:)([^@\s]+)(@)/gi, `$1${MASK}$3`);
}

function envSummary(env: NonNullable<V1Container['env']>[number]): EnvSummary & { raw: string | null } {
  const from = env.valueFrom;
  if (from?.secretKeyRef) return { name: env.name, value: null, source: `secret ${from.secretKeyRef.name}/${from.secretKeyRef.key}`, masked: false, raw: null };
  if (from?.configMapKeyRef) return { name: env.name, value: null, source: `configmap ${from.configMapKeyRef.name}/${from.configMapKeyRef.key}`, masked: false, raw: null };
  if (from?.fieldRef) return { name: env.name, value: null, source: `field ${from.fieldRef.fieldPath}`, masked: false, raw: null };
  if (from?.resourceFieldRef) return { name: env.name, value: null, source: `resource ${from.resourceFieldRef.resource}`, masked: false, raw: null };
  const raw = env.value ?? '';
  if (isSensitiveName(env.name)) return { name: env.name, value: MASK, source: null, masked: true, raw };
  const shown = maskUrlCredentials(raw);
  return { name: env.name, value: shown, source: null, masked: shown !== raw, raw };
}

function quantityMap(prefix: string, m: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) out[`${prefix}.${k}`] = String(v);
  return out;
}

/** One line per probe, e.g. `httpGet :8080/health/ready delay=5s period=10s timeout=1s failure=3`. */
export function describeProbe(p: V1Probe | undefined): string | null {
  if (!p) return null;
  let how = 'unknown';
  if (p.httpGet) how = `httpGet ${p.httpGet.scheme === 'HTTPS' ? 'https ' : ''}:${String(p.httpGet.port)}${p.httpGet.path ?? '/'}`;
  else if (p.tcpSocket) how = `tcpSocket :${String(p.tcpSocket.port)}`;
  else if (p.exec) how = `exec ${(p.exec.command ?? []).join(' ')}`;
  else if (p.grpc) how = `grpc :${p.grpc.port}`;
  const parts = [how];
  if (p.initialDelaySeconds !== undefined) parts.push(`delay=${p.initialDelaySeconds}s`);
  if (p.periodSeconds !== undefined) parts.push(`period=${p.periodSeconds}s`);
  if (p.timeoutSeconds !== undefined) parts.push(`timeout=${p.timeoutSeconds}s`);
  if (p.failureThreshold !== undefined) parts.push(`failure=${p.failureThreshold}`);
  if (p.successThreshold !== undefined) parts.push(`success=${p.successThreshold}`);
  return parts.join(' ');
}

type Internal = TemplateSummary & { rawEnv: Map<string, string | null> };

function summarizeInternal(template: V1PodTemplateSpec | undefined, replicas: number | null): Internal {
  const spec = template?.spec;
  const rawEnv = new Map<string, string | null>();
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const containers: ContainerSummary[] = [];
  const all = [...(spec?.initContainers ?? []).map((c) => ({ c, init: true })), ...(spec?.containers ?? []).map((c) => ({ c, init: false }))];
  for (const { c, init } of all) {
    const name = init ? `init:${c.name}` : c.name;
    const env = (c.env ?? []).map((e) => {
      const s = envSummary(e);
      rawEnv.set(`${name}\u0000${e.name}`, s.raw);
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
      const { raw: _raw, ...rest } = s;
      return rest;
    });
    const envFrom = (c.envFrom ?? []).map((f) => {
      if (f.configMapRef?.name) {
        configMaps.add(f.configMapRef.name);
        return `configmap ${f.configMapRef.name}${f.prefix ? ` (prefix ${f.prefix})` : ''}`;
      }
      if (f.secretRef?.name) {
        secrets.add(f.secretRef.name);
        return `secret ${f.secretRef.name}${f.prefix ? ` (prefix ${f.prefix})` : ''}`;
      }
      return 'unknown';
    });
    containers.push({
      name,
      image: c.image ?? '',
      env,
      envFrom,
      resources: { ...quantityMap('requests', c.resources?.requests), ...quantityMap('limits', c.resources?.limits) },
      probes: { liveness: describeProbe(c.livenessProbe), readiness: describeProbe(c.readinessProbe), startup: describeProbe(c.startupProbe) },
    });
  }
  for (const v of spec?.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
  }
  for (const s of spec?.imagePullSecrets ?? []) if (s.name) secrets.add(s.name);
  return { containers, configMaps: [...configMaps].sort(), secrets: [...secrets].sort(), replicas, rawEnv };
}

/** The people-facing summary of one template (no raw values of sensitive env vars). */
export function summarizeTemplate(template: V1PodTemplateSpec | undefined, replicas: number | null = null): TemplateSummary {
  const { rawEnv: _rawEnv, ...summary } = summarizeInternal(template, replicas);
  return summary;
}

function compareScalar(changes: DiffEntry[], category: DiffCategory, path: string, before: string | null, after: string | null): void {
  if (before === after) return;
  changes.push({ category, path, change: before === null ? 'added' : after === null ? 'removed' : 'changed', before, after });
}

function compareSets(changes: DiffEntry[], category: DiffCategory, path: string, before: string[], after: string[]): void {
  for (const x of before) if (!after.includes(x)) changes.push({ category, path, change: 'removed', before: x, after: null });
  for (const x of after) if (!before.includes(x)) changes.push({ category, path, change: 'added', before: null, after: x });
}

/**
 * The differences from one template to another (`from` → `to`), in a stable order: replicas,
 * then per container image, env, envFrom, resources, probes, then ConfigMap and Secret references.
 */
export function diffTemplates(opts: {
  from: V1PodTemplateSpec | undefined;
  to: V1PodTemplateSpec | undefined;
  fromReplicas?: number | null | undefined;
  toReplicas?: number | null | undefined;
}): TemplateDiff {
  const a = summarizeInternal(opts.from, opts.fromReplicas ?? null);
  const b = summarizeInternal(opts.to, opts.toReplicas ?? null);
  const changes: DiffEntry[] = [];
  if (a.replicas !== null && b.replicas !== null) compareScalar(changes, 'replicas', 'replicas', String(a.replicas), String(b.replicas));

  const names = [...new Set([...a.containers.map((c) => c.name), ...b.containers.map((c) => c.name)])];
  for (const name of names) {
    const ca = a.containers.find((c) => c.name === name);
    const cb = b.containers.find((c) => c.name === name);
    const p = `containers[${name}]`;
    if (!ca || !cb) {
      changes.push({ category: 'container', path: p, change: ca ? 'removed' : 'added', before: ca ? ca.image : null, after: cb ? cb.image : null });
      continue;
    }
    compareScalar(changes, 'image', `${p}.image`, ca.image, cb.image);
    const envNames = [...new Set([...ca.env.map((e) => e.name), ...cb.env.map((e) => e.name)])];
    for (const envName of envNames) {
      const ea = ca.env.find((e) => e.name === envName);
      const eb = cb.env.find((e) => e.name === envName);
      const path = `${p}.env.${envName}`;
      const show = (e: EnvSummary | undefined) => (e ? (e.source ?? e.value ?? '') : null);
      const category: DiffCategory = [ea?.source, eb?.source].some((s) => s?.startsWith('secret ')) ? 'secret' : [ea?.source, eb?.source].some((s) => s?.startsWith('configmap ')) ? 'configMap' : 'env';
      const rawA = a.rawEnv.get(`${name}\u0000${envName}`);
      const rawB = b.rawEnv.get(`${name}\u0000${envName}`);
      const masked = Boolean(ea?.masked || eb?.masked);
      if (ea && eb) {
        const same = show(ea) === show(eb) && (rawA ?? null) === (rawB ?? null);
        if (!same) changes.push({ category, path, change: 'changed', before: show(ea), after: show(eb), ...(masked ? { masked } : {}) });
      } else {
        changes.push({ category, path, change: ea ? 'removed' : 'added', before: show(ea), after: show(eb), ...(masked ? { masked } : {}) });
      }
    }
    for (const ref of ca.envFrom.filter((r) => !cb.envFrom.includes(r))) changes.push({ category: ref.startsWith('secret ') ? 'secret' : 'configMap', path: `${p}.envFrom`, change: 'removed', before: ref, after: null });
    for (const ref of cb.envFrom.filter((r) => !ca.envFrom.includes(r))) changes.push({ category: ref.startsWith('secret ') ? 'secret' : 'configMap', path: `${p}.envFrom`, change: 'added', before: null, after: ref });
    const resKeys = [...new Set([...Object.keys(ca.resources), ...Object.keys(cb.resources)])].sort();
    for (const k of resKeys) compareScalar(changes, 'resources', `${p}.resources.${k}`, ca.resources[k] ?? null, cb.resources[k] ?? null);
    for (const probe of ['liveness', 'readiness', 'startup'] as const) compareScalar(changes, 'probe', `${p}.${probe}Probe`, ca.probes[probe], cb.probes[probe]);
  }
  compareSets(changes, 'configMap', 'configMaps', a.configMaps, b.configMaps);
  compareSets(changes, 'secret', 'secrets', a.secrets, b.secrets);
  const { rawEnv: _ra, ...from } = a;
  const { rawEnv: _rb, ...to } = b;
  return { from, to, changes };
}
