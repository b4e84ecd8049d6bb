import 'server-only';
import { notFound } from 'next/navigation';
import { db } from '@/lib/db/client';
import { requirePageUser, type SessionUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getDeployment, type DeploymentView } from '@/lib/incidents/cluster';
import { readLiveList } from '@/lib/live/read-live-list';
import type { LiveObject } from '@/lib/live/types';
import type { ChartMarker } from '@/lib/metrics/types';
import { findIncidentRef } from '@/lib/timeline/find-incident-ref';
import type { IncidentLiveState } from './incident-state';
import { loadIncidentState } from './load-incident-state';

export type IncidentPageContext = {
  user: SessionUser;
  state: IncidentLiveState;
  /** What the signed-in role may do: decided here, on the server; a viewer gets no controls at all. */
  may: { act: boolean; execute: boolean; update: boolean; note: boolean; export: boolean };
  deployment: DeploymentView | null;
  deploymentError: string | null;
  pods: LiveObject[] | undefined;
  markers: ChartMarker[];
};

/**
 * What every incident page and step page loads first: the user (redirected to sign in when
 * absent), the incident by id or key (404 otherwise), its live state, the deployment (for the
 * pod selector), the first pod list and the chart markers of the incident's actions.
 */
export async function loadPageContext(options: { idOrKey: string; path: string }): Promise<IncidentPageContext> {
  const user = await requirePageUser({ path: options.path, permission: 'incident.read' });
  const ref = await findIncidentRef({ idOrKey: decodeURIComponent(options.idOrKey) });
  if (!ref) notFound();
  const state = await loadIncidentState({ incidentId: ref.id });
  if (!state) notFound();
  const inc = state.overview.incident;
  const d = await Promise.race([
    getDeployment({ namespace: inc.namespace, deployment: inc.deployment }),
    new Promise<{ ok: false; message: string }>((r) => setTimeout(() => r({ ok: false, message: 'the Kubernetes API server did not answer within 8 s' }), 8_000)),
  ]);
  const deployment = d.ok ? d.data : null;
  const [pods, markers] = await Promise.all([
    deployment ? readLiveList({ kind: 'pods', namespace: inc.namespace, selector: deployment.selector, timeoutMs: 3_000 }) : Promise.resolve(undefined),
    loadMarkers(ref.id),
  ]);
  return {
    user,
    state,
    may: {
      act: can(user.role, 'step.update'),
      execute: can(user.role, 'rollback.execute'),
      update: can(user.role, 'incident.update'),
      note: can(user.role, 'timeline.note'),
      export: can(user.role, 'timeline.export'),
    },
    deployment,
    deploymentError: d.ok ? null : d.message,
    pods: pods && pods.ok ? pods.items : undefined,
    markers,
  };
}

/** The incident's successful actions as chart markers (the rollback marked on the metrics). */
async function loadMarkers(incidentId: string): Promise<ChartMarker[]> {
  try {
    const actions = await db.action.findMany({ where: { incidentId, status: 'succeeded' }, select: { kind: true, createdAt: true, finishedAt: true }, orderBy: { createdAt: 'asc' }, take: 50 });
    return actions.map((a) => ({ at: (a.finishedAt ?? a.createdAt).toISOString(), label: a.kind.replace(/^rollout\./, '') }));
  } catch {
    return [];
  }
}
