import 'server-only';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import { appendEvent } from '@/lib/timeline/append-event';
import { getConfigMap, getDeployment, getHpa, listRevisions, templateMatches } from '@/lib/incidents/cluster';
import { getSchemaVersion } from '@/lib/targetdb/get-schema-version';
import { canonicalJson } from '@/lib/k8s/canonical';
import { getBoss, QUEUES } from './boss';

export type ReconciledAction = {
  actionId: string;
  incidentId: string | null;
  kind: string;
  /** true: the change is visible in the cluster; false: it is not; null: cannot tell. */
  applied: boolean | null;
  summary: string;
};

/**
 * Resolves every Action still in `intent` (the server died between recording the intent and
 * recording the outcome) against LIVE state: did the pause, undo, apply, restore happen?
 * Compares the live object with the snapshot taken right before the action (and, for
 * undo --to-revision, with that revision's template). Marks the row `reconciled` with what was
 * observed and appends `action.reconciled`. Only intents older than `olderThanMs` are touched, so
 * an action still running in another replica is left alone.
 */
export async function reconcileActions(options: { olderThanMs?: number } = {}): Promise<ReconciledAction[]> {
  const cutoff = new Date(Date.now() - (options.olderThanMs ?? 30_000));
  const dangling = await db.action.findMany({ where: { status: 'intent', createdAt: { lte: cutoff } }, orderBy: { createdAt: 'asc' } });
  const out: ReconciledAction[] = [];
  for (const action of dangling) {
    const judged = await judge(action).catch((error: unknown) => ({ applied: null, observed: { error: error instanceof Error ? error.message : String(error) }, summary: 'live state could not be read' }));
    const summary = `Reconciled after restart: ${action.kind} ${judged.applied === true ? 'did happen' : judged.applied === false ? 'did not happen' : 'outcome unknown'} (${judged.summary})`;
    const done = await db.$transaction(async (tx) => {
      const updated = await tx.action.updateMany({
        where: { id: action.id, status: 'intent' },
        data: {
          status: 'reconciled',
          result: { applied: judged.applied, observed: judged.observed } as Prisma.InputJsonValue,
          error: judged.applied === true ? null : summary,
          finishedAt: new Date(),
        },
      });
      if (updated.count !== 1) return false;
      if (action.incidentId) {
        await appendEvent(
          {
            incidentId: action.incidentId,
            actor: { type: 'system', name: 'reconciliation' },
            type: 'action.reconciled',
            summary,
            payload: { actionId: action.id, kind: action.kind, applied: judged.applied, observed: judged.observed as Record<string, unknown> },
            kubectl: action.kubectl,
          },
          tx,
        );
      }
      return true;
    });
    if (done) out.push({ actionId: action.id, incidentId: action.incidentId, kind: action.kind, applied: judged.applied, summary });
  }
  return out;
}

type Judgement = { applied: boolean | null; observed: Record<string, unknown>; summary: string };

async function judge(action: { id: string; kind: string; params: unknown; incidentId: string | null }): Promise<Judgement> {
  const params = (action.params ?? {}) as { target?: string; toRevision?: number | null; backup?: string; configMap?: string; hpa?: string };
  const [namespace = '', deployment = ''] = (params.target ?? '').split('/');
  const target = { namespace, deployment };
  const snapshots = await db.snapshot.findMany({ where: { actionId: action.id } });
  const before = (kind: string, name?: string) => snapshots.find((s) => s.kind === kind && (!name || s.name === name));

  switch (action.kind) {
    case 'rollout.pause': {
      const d = await getDeployment(target);
      if (!d.ok) return { applied: null, observed: { error: d.message }, summary: d.message };
      return { applied: d.data.paused, observed: { paused: d.data.paused, resourceVersion: d.data.resourceVersion }, summary: d.data.paused ? 'the deployment is paused' : 'the deployment is not paused' };
    }
    case 'rollout.undo':
    case 'rollout.undo-to-revision':
    case 'deployment.apply': {
      const d = await getDeployment(target);
      if (!d.ok) return { applied: null, observed: { error: d.message }, summary: d.message };
      const observed = { revision: d.data.revision, image: d.data.image, resourceVersion: d.data.resourceVersion };
      if (params.toRevision) {
        const revs = await listRevisions(target);
        const wanted = revs.ok ? revs.data.find((r) => r.revision === params.toRevision) : undefined;
        // kubectl's undo moves the target ReplicaSet to a new revision number, so compare templates.
        const current = revs.ok ? revs.data.find((r) => r.current) : undefined;
        if (current && templateMatches(d.data.template, current.template) && wanted === undefined) {
          // The target revision number is gone from history: it became the current one.
          const snap = before('Deployment');
          const changed = snap ? !templateMatches(d.data.template, templateOf(snap.manifest)) : null;
          return { applied: changed, observed, summary: `live revision ${d.data.revision} runs ${d.data.image}` };
        }
        if (wanted) {
          const applied = templateMatches(d.data.template, wanted.template);
          return { applied, observed, summary: `live revision ${d.data.revision} runs ${d.data.image}${applied ? '' : `, not revision ${params.toRevision}`}` };
        }
      }
      const snap = before('Deployment');
      if (!snap) return { applied: null, observed, summary: 'no snapshot from before the action' };
      const applied = !templateMatches(d.data.template, templateOf(snap.manifest));
      return { applied, observed, summary: applied ? `the pod template changed since the snapshot: now ${d.data.image} (revision ${d.data.revision})` : `the pod template is unchanged (${d.data.image})` };
    }
    case 'configmap.restore': {
      const name = params.configMap ?? before('ConfigMap')?.name;
      if (!name) return { applied: null, observed: {}, summary: 'no ConfigMap recorded' };
      const live = await getConfigMap({ namespace, name });
      const snap = before('ConfigMap', name);
      if (!live.ok) return { applied: null, observed: { error: live.message }, summary: live.message };
      const applied = snap ? canonicalJson(live.data.data) !== canonicalJson((snap.manifest as { data?: unknown }).data ?? {}) : null;
      return { applied, observed: { resourceVersion: live.data.resourceVersion }, summary: applied ? `${name} differs from its pre-action snapshot` : `${name} is as before the action` };
    }
    case 'hpa.restore': {
      const name = params.hpa ?? before('HorizontalPodAutoscaler')?.name ?? deployment;
      const live = await getHpa({ namespace, name });
      const snap = before('HorizontalPodAutoscaler', name);
      if (!live.ok) return { applied: live.code === 'NotFound' ? false : null, observed: { error: live.message }, summary: live.message };
      const applied = snap ? canonicalJson((live.data.manifest as { spec?: unknown }).spec) !== canonicalJson((snap.manifest as { spec?: unknown }).spec) : true;
      return { applied, observed: { resourceVersion: live.data.resourceVersion }, summary: `HPA ${name} present (min ${live.data.minReplicas}, max ${live.data.maxReplicas})` };
    }
    case 'database.restore': {
      const d = await getDeployment(target);
      const version = await getSchemaVersion().catch(() => null);
      return {
        applied: null,
        observed: { schemaVersion: version, replicas: d.ok ? d.data.replicas : null, ready: d.ok ? d.data.status.ready : null },
        summary: `schema version ${version ?? 'unknown'}, deployment at ${d.ok ? `${d.data.replicas} replicas (${d.data.status.ready} ready)` : 'unknown'}: check step 5 before continuing`,
      };
    }
    default:
      return { applied: null, observed: {}, summary: 'no reconciliation rule for this kind' };
  }
}

function templateOf(manifest: unknown): V1PodTemplateSpec {
  return ((manifest as { spec?: { template?: V1PodTemplateSpec } } | null)?.spec?.template ?? {}) as V1PodTemplateSpec;
}

export async function enqueueReconcile(options: { delayMs?: number } = {}): Promise<string | null> {
  const boss = await getBoss();
  const startAfter = options.delayMs && options.delayMs > 0 ? options.delayMs / 1000 : undefined;
  return boss.send(QUEUES.reconcileActions, {}, { singletonKey: 'reconcile', ...(startAfter ? { startAfter } : {}) });
}
