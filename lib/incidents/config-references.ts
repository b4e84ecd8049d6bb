/**
 * Which ConfigMaps and Secrets a pod template references (env valueFrom, envFrom, volumes,
 * projected volumes). Pure. Secrets are listed by name and key only: their values are never read
 * or stored by the console.
 */
type KeyRef = { name?: string; key?: string } | undefined;
type Container = {
  env?: { valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef } }[];
  envFrom?: { configMapRef?: { name?: string }; secretRef?: { name?: string } }[];
};
type Volume = {
  configMap?: { name?: string; items?: { key?: string }[] };
  secret?: { secretName?: string; items?: { key?: string }[] };
  projected?: { sources?: { configMap?: { name?: string; items?: { key?: string }[] }; secret?: { name?: string; items?: { key?: string }[] } }[] };
};
export type PodSpecLike = { containers?: Container[]; initContainers?: Container[]; volumes?: Volume[] };

export type ConfigReferences = {
  configMaps: string[];
  /** Secret names with the keys referenced; an empty key list means "all keys" (envFrom / whole volume). */
  secrets: { name: string; keys: string[] }[];
};

export function configReferences(spec: PodSpecLike | undefined): ConfigReferences {
  const configMaps = new Set<string>();
  const secrets = new Map<string, Set<string>>();
  const secret = (name: string | undefined, key?: string) => {
    if (!name) return;
    const keys = secrets.get(name) ?? new Set<string>();
    if (key) keys.add(key);
    secrets.set(name, keys);
  };
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secret(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
    }
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
      if (f.secretRef?.name) secret(f.secretRef.name);
    }
  }
  for (const v of spec?.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) {
      secret(v.secret.secretName);
      for (const i of v.secret.items ?? []) secret(v.secret.secretName, i.key);
    }
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(s.configMap.name);
      if (s.secret?.name) {
        secret(s.secret.name);
        for (const i of s.secret.items ?? []) secret(s.secret.name, i.key);
      }
    }
  }
  return {
    configMaps: [...configMaps].sort(),
    secrets: [...secrets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, keys]) => ({ name, keys: [...keys].sort() })),
  };
}

/**
 * A manifest fit for a Snapshot row: server-managed noise dropped (managedFields, the
 * last-applied annotation that may embed anything) and, defensively, any Secret `data` removed.
 */
export function cleanManifest<T extends Record<string, unknown>>(manifest: T): T {
  const copy = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown> & { metadata?: Record<string, unknown> };
  if (copy.kind === 'Secret') {
    delete copy.data;
    delete copy.stringData;
  }
  if (copy.metadata) {
    delete copy.metadata.managedFields;
    const annotations = copy.metadata.annotations as Record<string, string> | undefined;
    if (annotations) delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  }
  return copy as T;
}

/** Differences between two ConfigMaps' data, key by key (for step 6's diff). */
export function diffConfigData(
  live: Record<string, string> | undefined,
  saved: Record<string, string> | undefined,
): { key: string; live: string | null; saved: string | null }[] {
  const keys = new Set([...Object.keys(live ?? {}), ...Object.keys(saved ?? {})]);
  return [...keys]
    .sort()
    .filter((k) => (live?.[k] ?? null) !== (saved?.[k] ?? null))
    .map((k) => ({ key: k, live: live?.[k] ?? null, saved: saved?.[k] ?? null }));
}
