import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { listDeployments } from '@/lib/k8s/list-deployments';
import { Alert } from '@/components/ui/alert';
import { DeclareForm, type DeploymentChoice } from '@/components/incidents/DeclareForm';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Declare incident' };

/**
 * Runbook step 1: declare the incident. The failing deployment is picked from the cluster's
 * deployments, unhealthy ones first and marked; the detection time defaults to now.
 */
export default async function NewIncidentPage() {
  const user = await requirePageUser({ path: '/incidents/new', permission: 'incident.read' });
  if (!can(user.role, 'incident.declare')) {
    return (
      <Alert tone="warning" title="Only an incident commander can declare an incident">
        Your role ({user.role}) may watch incidents. <Link href="/incidents" className="underline">Back to incidents</Link>
      </Alert>
    );
  }
  const list = await listDeployments();
  const choices: DeploymentChoice[] = list.ok
    ? list.data
        .filter((d) => !d.namespace.startsWith('kube-'))
        .map((d) => ({
          value: `${d.namespace}/${d.name}`,
          namespace: d.namespace,
          name: d.name,
          health: d.health,
          ready: `${d.replicas.ready}/${d.replicas.desired}`,
          image: d.images[0]?.image ?? '',
          revision: d.revision,
        }))
        .sort((a, b) => Number(a.health === 'healthy') - Number(b.health === 'healthy'))
    : [];
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div>
        <p className="text-xs text-slate-500">
          <Link href="/incidents" className="hover:underline">
            Incidents
          </Link>{' '}
          / new
        </p>
        <h1 className="text-xl font-semibold">Declare incident</h1>
        <p className="text-sm text-slate-600">
          Step 1 of the runbook. Declaring snapshots the deployment, its ConfigMaps and its HPA (never Secret values), starts the recovery clock and prepares the announcement.
        </p>
      </div>
      {!list.ok && (
        <Alert tone="danger" title="Cannot list deployments">
          {list.message}
        </Alert>
      )}
      <DeclareForm deployments={choices} kubectl={list.kubectl} />
    </div>
  );
}
