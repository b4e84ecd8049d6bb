import Link from 'next/link';
import { notFound } from 'next/navigation';
import { can } from '@/lib/auth/permissions';
import { requirePageUser } from '@/lib/auth/session';
import { diffRevisions, type DiffSide } from '@/lib/k8s/diff-revisions';
import { getDeploymentStatus } from '@/lib/k8s/get-deployment-status';
import { listRevisions } from '@/lib/k8s/list-revisions';
import type { K8sResult } from '@/lib/k8s/result';
import { readLiveList } from '@/lib/live/read-live-list';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { MetricPanels } from '@/components/charts/MetricPanels';
import { AutoRefresh } from '@/components/deployments/AutoRefresh';
import { DeploymentStatus } from '@/components/deployments/DeploymentStatus';
import { EventsList } from '@/components/deployments/EventsList';
import { LogViewer } from '@/components/pods/LogViewer';
import { PodsTable } from '@/components/pods/PodsTable';
import { RefreshOnRevisionChange } from '@/components/revisions/RefreshOnRevisionChange';
import { RevisionDiffPicker } from '@/components/revisions/RevisionDiffPicker';
import { RevisionDiffTable } from '@/components/revisions/RevisionDiffTable';
import { RevisionHistory } from '@/components/revisions/RevisionHistory';
import { loadActionMarkers, requestTimeMs } from './load-action-markers';
import { loadKnownBadImages } from './load-known-bad-images';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ namespace: string; name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props) {
  const { namespace, name } = await params;
  return { title: `${name} (${namespace})` };
}

/** A slow API server must not hang the page: past this, it is reported as unavailable. */
const API_TIMEOUT_MS = 8_000;

function withTimeout<T>(promise: Promise<K8sResult<T>>): Promise<K8sResult<T>> {
  return Promise.race([
    promise,
    new Promise<K8sResult<T>>((resolve) =>
      setTimeout(
        () =>
          resolve({
            ok: false,
            code: 'Unavailable',
            message: `the Kubernetes API server did not answer within ${API_TIMEOUT_MS / 1000} s`,
            kubectl: [],
          }),
        API_TIMEOUT_MS,
      ),
    ),
  ]);
}

function parseSide(value: string | string[] | undefined): DiffSide | undefined {
  if (typeof value !== 'string') return undefined;
  if (value === 'live') return 'live';
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/**
 * One deployment: status, revision history with known-bad markers, a diff between any two
 * revisions (or a revision and live), live pods, recent events, logs and the runbook's metrics.
 * The server renders the first state; the client components keep it live over SSE.
 */
export default async function DeploymentPage({ params, searchParams }: Props) {
  // Valid names never contain '%', so no decoding: anything odd fails the checks below → 404.
  const { namespace, name } = await params;
  const path = `/deployments/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
  const user = await requirePageUser({ path });
  if (!can(user.role, 'cluster.read')) {
    return (
      <Alert tone="warning" title="You may not view the cluster">
        Your role ({user.role}) does not include the cluster.read permission, which this page needs. Ask an administrator.
      </Alert>
    );
  }
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace) || !/^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$/.test(name)) notFound();

  const status = await withTimeout(getDeploymentStatus({ namespace, name }));
  if (!status.ok) {
    if (status.code === 'NotFound') notFound();
    return (
      <div className="space-y-3">
        <Header namespace={namespace} name={name} />
        {status.code === 'Forbidden' ? (
          <Alert tone="warning" title="The cluster refused to show this deployment">
            The console&apos;s Kubernetes identity may not read deployments in {namespace}: {status.message}. An administrator can grant
            it (see deploy/ for the console&apos;s RBAC).
          </Alert>
        ) : (
          <>
            <Alert tone="danger" title="The Kubernetes API server is not answering">
              {status.message}. This page retries every 5 seconds and will show the deployment as soon as the API server is back.
            </Alert>
            <AutoRefresh everyMs={5_000} />
          </>
        )}
      </div>
    );
  }
  const deployment = status.data;
  const search = await searchParams;

  const [revisions, pods, deployments, events] = await Promise.all([
    withTimeout(listRevisions({ namespace, name })),
    readLiveList({ kind: 'pods', namespace, selector: deployment.selector }),
    readLiveList({ kind: 'deployments', namespace }),
    readLiveList({ kind: 'events', namespace }),
  ]);
  const revisionRows = revisions.ok ? revisions.data.revisions : [];
  const revisionNumbers = revisionRows.map((r) => r.revision).sort((a, b) => a - b);
  const current = revisionRows.find((r) => r.current)?.revision ?? deployment.revision ?? undefined;
  const previous = revisionNumbers.filter((r) => current === undefined || r < current).pop();
  const from = parseSide(search.from) ?? previous ?? revisionNumbers[0] ?? 'live';
  const to = parseSide(search.to) ?? current ?? 'live';

  const now = requestTimeMs();
  const [diff, knownBad, markers] = await Promise.all([
    revisionNumbers.length > 0 ? withTimeout(diffRevisions({ namespace, name, from, to })) : Promise.resolve(undefined),
    loadKnownBadImages([...new Set(revisionRows.flatMap((r) => r.images.map((i) => i.image)))]),
    loadActionMarkers({ namespace, deployment: name, sinceMs: now - 24 * 3600_000 }),
  ]);

  return (
    <div className="space-y-4">
      <Header namespace={namespace} name={name} />
      <RefreshOnRevisionChange namespace={namespace} selector={deployment.selector} />
      <DeploymentStatus namespace={namespace} name={name} initialItems={deployments.ok ? deployments.items : undefined} />

      <div className="grid gap-4 2xl:grid-cols-2">
        <PodsTable namespace={namespace} selector={deployment.selector} initialItems={pods.ok ? pods.items : undefined} />
        {revisions.ok ? (
          <RevisionHistory namespace={namespace} name={name} revisions={revisionRows} knownBad={knownBad} nowMs={now} />
        ) : (
          <Alert tone="danger" title="Revision history unavailable">
            {revisions.message}
          </Alert>
        )}
      </div>

      <section id="diff">
        <Card
          title="Diff"
          description="Images, environment names, ConfigMap and Secret references, resources, probes and replicas. Secret values are never shown."
          actions={<RevisionDiffPicker revisions={revisionNumbers} from={String(from)} to={String(to)} />}
        >
          {!diff ? (
            <p className="text-sm text-slate-500">No revisions to compare.</p>
          ) : diff.ok ? (
            <>
              <RevisionDiffTable changes={diff.data.changes} fromLabel={diff.data.fromLabel} toLabel={diff.data.toLabel} />
              <p className="mt-2 text-[11px] text-slate-500">
                {diff.kubectl.map((k) => (
                  <code key={k} className="mr-3">
                    {k}
                  </code>
                ))}
              </p>
            </>
          ) : (
            <Alert tone={diff.code === 'NotFound' ? 'warning' : 'danger'}>{diff.message}</Alert>
          )}
        </Card>
      </section>

      <Card title="Metrics" description="The runbook's signals: error rate above 5% is the incident, below 1% is recovery; P99 latency under 2 s.">
        <MetricPanels namespace={namespace} deployment={name} selector={deployment.selector} markers={markers} />
      </Card>

      <div className="grid gap-4 2xl:grid-cols-2">
        <EventsList namespace={namespace} name={name} initialItems={events.ok ? events.items : undefined} />
        <LogViewer namespace={namespace} name={name} selector={deployment.selector} podNames={pods.ok ? pods.items.map((p) => p.metadata?.name ?? '') : []} />
      </div>
    </div>
  );
}

function Header({ namespace, name }: { namespace: string; name: string }) {
  return (
    <div>
      <p className="text-xs text-slate-500">
        <Link href="/deployments" className="hover:underline">
          Deployments
        </Link>{' '}
        / {namespace}
      </p>
      <h1 className="text-xl font-semibold">
        deployment/{name} <span className="text-base font-normal text-slate-500">-n {namespace}</span>
      </h1>
    </div>
  );
}
