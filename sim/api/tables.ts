/**
 * Server-side printing: `meta.k8s.io/v1 Table` answers for `kubectl get`, with the columns and
 * cell formats of the Kubernetes API server's printers (pkg/printers/internalversion/printers.go).
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- objects are arbitrary Kubernetes JSON */
import type { KubeObject } from '../store';

type Column = { name: string; type: string; format: string; description: string; priority: number };
type Printer = { columns: Column[]; cells: (o: KubeObject, now: number) => unknown[] };

const col = (name: string, type = 'string', priority = 0, format = ''): Column => ({ name, type, format, description: name, priority });
const nameCol = (): Column => ({ name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 });

/** kubectl's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

function since(ts: string | undefined, now: number): string {
  if (!ts) return '<unknown>';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

const age = (o: KubeObject, now: number) => since(o.metadata.creationTimestamp, now);

export function formatLabelSelector(sel: any): string {
  if (!sel) return '<none>';
  const parts: string[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {}).sort()) parts.push(`${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = String(e.operator ?? '').toLowerCase();
    if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

function containers(o: KubeObject): any[] {
  return o.spec?.template?.spec?.containers ?? [];
}

const podPrinter: Printer = {
  columns: [nameCol(), col('Ready'), col('Status'), col('Restarts'), col('Age'), col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
  cells: (o, now) => {
    const statuses: any[] = o.status?.containerStatuses ?? [];
    let reason: string = o.status?.reason || o.status?.phase || 'Pending';
    let restarts = 0;
    let ready = 0;
    let hasRunning = false;
    let lastRestart = 0;
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      const finished = Date.parse(c.lastState?.terminated?.finishedAt ?? '');
      if (!Number.isNaN(finished) && finished > lastRestart) lastRestart = finished;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (o.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
    if (o.metadata.deletionTimestamp) reason = 'Terminating';
    const restartText = lastRestart ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
    const gates = o.spec?.readinessGates?.length ?? 0;
    return [
      o.metadata.name,
      `${ready}/${o.spec?.containers?.length ?? statuses.length}`,
      reason,
      restartText,
      age(o, now),
      o.status?.podIP || '<none>',
      o.spec?.nodeName || '<none>',
      o.status?.nominatedNodeName || '<none>',
      gates ? `0/${gates}` : '<none>',
    ];
  },
};

const workloadWide = (o: KubeObject) => [
  containers(o).map((c) => c.name).join(','),
  containers(o).map((c) => c.image).join(','),
  formatLabelSelector(o.spec?.selector),
];

const PRINTERS: Record<string, Printer> = {
  pods: podPrinter,
  deployments: {
    columns: [nameCol(), col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (o, now) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      age(o, now),
      ...workloadWide(o),
    ],
  },
  replicasets: {
    columns: [nameCol(), col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (o, now) => [o.metadata.name, o.spec?.replicas ?? 0, o.status?.replicas ?? 0, o.status?.readyReplicas ?? 0, age(o, now), ...workloadWide(o)],
  },
  statefulsets: {
    columns: [nameCol(), col('Ready'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1)],
    cells: (o, now) => [o.metadata.name, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`, age(o, now), ...workloadWide(o).slice(0, 2)],
  },
  horizontalpodautoscalers: {
    columns: [nameCol(), col('Reference'), col('Targets'), col('MinPods', 'string'), col('MaxPods', 'integer'), col('Replicas', 'integer'), col('Age')],
    cells: (o, now) => [
      o.metadata.name,
      `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`,
      hpaTargets(o),
      o.spec?.minReplicas !== undefined ? String(o.spec.minReplicas) : '<unset>',
      o.spec?.maxReplicas ?? 0,
      o.status?.currentReplicas ?? 0,
      age(o, now),
    ],
  },
  configmaps: {
    columns: [nameCol(), col('Data', 'integer'), col('Age')],
    cells: (o, now) => [o.metadata.name, Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o, now)],
  },
  secrets: {
    columns: [nameCol(), col('Type'), col('Data', 'integer'), col('Age')],
    cells: (o, now) => [o.metadata.name, o.type ?? 'Opaque', Object.keys(o.data ?? {}).length + Object.keys(o.stringData ?? {}).length, age(o, now)],
  },
  namespaces: {
    columns: [nameCol(), col('Status'), col('Age')],
    cells: (o, now) => [o.metadata.name, o.status?.phase ?? 'Active', age(o, now)],
  },
  services: {
    columns: [nameCol(), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age'), col('Selector', 'string', 1)],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.type ?? 'ClusterIP',
      o.spec?.clusterIP || '<none>',
      (o.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).join(',') || (o.spec?.externalIPs ?? []).join(',') || '<none>',
      (o.spec?.ports ?? []).map((p: any) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',') || '<none>',
      age(o, now),
      o.spec?.selector ? Object.keys(o.spec.selector).sort().map((k) => `${k}=${o.spec.selector[k]}`).join(',') : '<none>',
    ],
  },
  events: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 'string', 1), col('Source', 'string', 1), col('Message'), col('First Seen', 'string', 1), col('Count', 'integer', 1), { ...nameCol(), priority: 1 }],
    cells: (o, now) => {
      const first = o.firstTimestamp ? since(o.firstTimestamp, now) : since(o.eventTime, now);
      let last = o.lastTimestamp ? since(o.lastTimestamp, now) : first;
      let count = o.count ?? 0;
      if (o.series) {
        last = since(o.series.lastObservedTime, now);
        count = o.series.count;
      } else if (!count) count = 1;
      const inv = o.involvedObject ?? {};
      const target = inv.name ? `${String(inv.kind ?? '').toLowerCase()}/${inv.name}` : String(inv.kind ?? '').toLowerCase();
      const source = o.source?.host ? `${o.source.component ?? ''}, ${o.source.host}` : (o.source?.component ?? o.reportingComponent ?? '');
      return [last, o.type ?? '', o.reason ?? '', target, inv.fieldPath ?? '', source, String(o.message ?? '').trim(), first, count, o.metadata.name];
    },
  },
};

function hpaTargets(o: KubeObject): string {
  const metrics: any[] = o.spec?.metrics ?? [];
  if (!metrics.length) return '<none>';
  const current: any[] = o.status?.currentMetrics ?? [];
  return metrics
    .map((m, i) => {
      if (m.type === 'Resource' && m.resource) {
        const cur = current[i]?.resource?.current;
        const t = m.resource.target ?? {};
        if (t.type === 'Utilization' || t.averageUtilization !== undefined) {
          const c = cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>';
          return `${m.resource.name}: ${c}/${t.averageUtilization}%`;
        }
        const c = cur?.averageValue ?? '<unknown>';
        return `${m.resource.name}: ${c}/${t.averageValue ?? t.value}`;
      }
      return `<unknown>/<unknown>`;
    })
    .join(', ');
}

/** Whether the Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(o: KubeObject, include: IncludeObject) {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** A Table of `items` for resource (a default NAME/AGE table for resources without a printer). */
export function toTable(resource: string, items: KubeObject[], opts: { resourceVersion?: string; include?: IncludeObject; noHeaders?: boolean; continueToken?: string }) {
  const now = Date.now();
  const printer: Printer = PRINTERS[resource] ?? { columns: [nameCol(), col('Age')], cells: (o, n) => [o.metadata.name, age(o, n)] };
  const include = opts.include ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: opts.resourceVersion ?? '' },
    ...(opts.noHeaders ? {} : { columnDefinitions: printer.columns }),
    rows: items.map((o) => {
      const obj = rowObject(o, include);
      return { cells: printer.cells(o, now), ...(obj ? { object: obj } : {}) };
    }),
  };
}
