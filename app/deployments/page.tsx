import { can } from '@/lib/auth/permissions';
import { requirePageUser } from '@/lib/auth/session';
import { readLiveList } from '@/lib/live/read-live-list';
import { Alert } from '@/components/ui/alert';
import { AutoRefresh } from '@/components/deployments/AutoRefresh';
import { DeploymentsTable } from '@/components/deployments/DeploymentsTable';

export const metadata = { title: 'Deployments' };
export const dynamic = 'force-dynamic';

/** Every deployment the console can see, with its health, kept live over the shared watch. */
export default async function DeploymentsPage() {
  const user = await requirePageUser({ path: '/deployments' });
  if (!can(user.role, 'cluster.read')) {
    return (
      <Alert tone="warning" title="You may not view the cluster">
        Your role ({user.role}) does not include the cluster.read permission. Ask an administrator if you need it.
      </Alert>
    );
  }
  // The first state comes from the shared watch: no API request per page view.
  const first = await readLiveList({ kind: 'deployments', timeoutMs: 5_000 });
  return (
    <div className="space-y-3">
      <h1 className="text-xl font-semibold">Deployments</h1>
      {!first.ok && (
        <>
          <Alert tone="danger" title="The Kubernetes API server is not answering">
            {first.status.message ?? 'No answer.'} This page retries by itself.
          </Alert>
          <AutoRefresh everyMs={5_000} />
        </>
      )}
      {first.ok && <DeploymentsTable initialItems={first.items} />}
    </div>
  );
}
