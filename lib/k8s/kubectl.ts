/**
 * The kubectl command lines our operations are equivalent to, built in one place so the strings
 * shown before an action, recorded in the timeline and used by the parity tests cannot drift.
 * Pure: no I/O, safe to import from client components.
 */

/** Quotes one argument for a POSIX shell, only when it needs it. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_\/.:=,@%+\-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function kubectl(...args: (string | undefined | false)[]): string {
  return ['kubectl', ...args.filter((a): a is string => typeof a === 'string').map(shellQuote)].join(' ');
}

type Target = { namespace: string; name: string };
type DryRun = { dryRun?: boolean | undefined };

export const kubectlCommands = {
  getDeployment: ({ namespace, name }: Target) => kubectl('get', 'deployment', name, '-n', namespace),
  listDeployments: ({ namespace }: { namespace?: string | undefined }) =>
    namespace ? kubectl('get', 'deployments', '-n', namespace) : kubectl('get', 'deployments', '-A'),
  rolloutStatus: ({ namespace, name }: Target) => kubectl('rollout', 'status', `deployment/${name}`, '-n', namespace),
  rolloutHistory: ({ namespace, name, revision }: Target & { revision?: number | undefined }) =>
    kubectl('rollout', 'history', `deployment/${name}`, '-n', namespace, revision !== undefined && `--revision=${revision}`),
  rolloutPause: ({ namespace, name, dryRun }: Target & DryRun) => kubectl('rollout', 'pause', `deployment/${name}`, '-n', namespace, dryRun === true && '--dry-run=server'),
  rolloutResume: ({ namespace, name, dryRun }: Target & DryRun) => kubectl('rollout', 'resume', `deployment/${name}`, '-n', namespace, dryRun === true && '--dry-run=server'),
  rolloutRestart: ({ namespace, name, dryRun }: Target & DryRun) => kubectl('rollout', 'restart', `deployment/${name}`, '-n', namespace, dryRun === true && '--dry-run=server'),
  rolloutUndo: ({ namespace, name, toRevision, dryRun }: Target & { toRevision?: number | undefined; dryRun?: 'client' | 'server' | undefined }) =>
    kubectl(
      'rollout',
      'undo',
      `deployment/${name}`,
      '-n',
      namespace,
      toRevision !== undefined && toRevision > 0 && `--to-revision=${toRevision}`,
      dryRun !== undefined && `--dry-run=${dryRun}`,
    ),
  scale: ({ namespace, name, replicas, resourceVersion, dryRun }: Target & DryRun & { replicas: number; resourceVersion?: string | undefined }) =>
    kubectl('scale', 'deployment', name, '-n', namespace, `--replicas=${replicas}`, resourceVersion !== undefined && `--resource-version=${resourceVersion}`, dryRun === true && '--dry-run=server'),
  waitForPods: ({ namespace, selector, condition, timeoutSeconds }: { namespace: string; selector: string; condition: 'delete' | 'ready'; timeoutSeconds: number }) =>
    kubectl('wait', `--for=${condition === 'delete' ? 'delete' : 'condition=ready'}`, 'pod', '-l', selector, '-n', namespace, `--timeout=${timeoutSeconds}s`),
  apply: ({ file, serverSide, fieldManager, dryRun }: { file: string; serverSide?: boolean | undefined; fieldManager?: string | undefined; dryRun?: boolean | undefined }) =>
    kubectl(
      'apply',
      serverSide === true && '--server-side',
      serverSide === true && '--force-conflicts',
      serverSide === true && fieldManager !== undefined && `--field-manager=${fieldManager}`,
      '-f',
      file,
      dryRun === true && '--dry-run=server',
    ),
  replace: ({ file, dryRun }: { file: string } & DryRun) => kubectl('replace', '-f', file, dryRun === true && '--dry-run=server'),
  create: ({ file, dryRun }: { file: string } & DryRun) => kubectl('create', '-f', file, dryRun === true && '--dry-run=server'),
  getConfigMap: ({ namespace, name }: Target) => kubectl('get', 'configmap', name, '-n', namespace, '-o', 'yaml'),
  getHpa: ({ namespace, name }: Target) => kubectl('get', 'hpa', name, '-n', namespace),
  getPods: ({ namespace, selector }: { namespace: string; selector?: string | undefined }) =>
    kubectl('get', 'pods', '-n', namespace, selector !== undefined && selector !== '' && '-l', selector !== '' && selector),
  logs: ({ namespace, pod, selector, container, tail, timestamps, follow, previous }: {
    namespace: string;
    pod?: string | undefined;
    selector?: string | undefined;
    container?: string | undefined;
    tail?: number | undefined;
    timestamps?: boolean | undefined;
    follow?: boolean | undefined;
    previous?: boolean | undefined;
  }) =>
    kubectl(
      'logs',
      '-n',
      namespace,
      pod,
      pod === undefined && selector !== undefined && '-l',
      pod === undefined && selector,
      container !== undefined && `--container=${container}`,
      tail !== undefined && `--tail=${tail}`,
      timestamps === true && '--timestamps',
      follow === true && '-f',
      previous === true && '--previous',
    ),
  getEvents: ({ namespace, kind, name }: { namespace: string; kind?: string | undefined; name?: string | undefined }) => {
    const selectors = [name !== undefined && `involvedObject.name=${name}`, kind !== undefined && `involvedObject.kind=${kind}`].filter(
      (s): s is string => typeof s === 'string',
    );
    return kubectl('get', 'events', '-n', namespace, selectors.length > 0 && `--field-selector=${selectors.join(',')}`, '--sort-by=.lastTimestamp');
  },
  annotate: ({ namespace, kind, name, annotations }: Target & { kind: string; annotations: Record<string, string> }) =>
    kubectl('annotate', `${kind}/${name}`, '-n', namespace, '--overwrite', ...Object.entries(annotations).map(([k, v]) => `${k}=${v}`)),
};
