import 'server-only';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { db } from '@/lib/db/client';
import type { ActionResult } from '@/lib/actions/result';
import { diffTemplates, type TemplateDiff } from '@/lib/k8s/template-diff';
import { getDeployment, previewUndo } from './cluster';
import type { RollbackSource } from './execute-rollback';
import { listManifestBackups } from './list-manifest-backups';
import { incidentTarget, loadIncident } from './load-incident';

export type RollbackPreview = {
  /** The command(s) the confirmation dialog shows. */
  kubectl: string[];
  /** Live template → target template (secret-looking env values masked by lib/k8s). */
  diff: TemplateDiff | unknown;
  toRevision: number | null;
  /** Why the commands differ from the runbook's (e.g. the deployment is paused and is resumed in the same write). */
  note: string | null;
  /** Set when there is nothing to do (already on that template). */
  skipped: string | null;
};

/**
 * The dry run behind step 4's confirmation dialog: what `executeRollback` with the same source
 * would change, without changing anything (lib/k8s undo dry run, or a diff against the saved
 * manifest for option C).
 */
export async function previewRollback(options: { incidentId: string; source: RollbackSource }): Promise<ActionResult<RollbackPreview>> {
  const incident = await loadIncident(options.incidentId);
  if (!incident) return { ok: false, code: 'not_found', message: 'No such incident' };
  const target = incidentTarget(incident);
  const source = options.source;
  if (source.mode !== 'manifest') {
    const toRevision = source.mode === 'revision' ? (source.revision ?? incident.targetRevision ?? undefined) : undefined;
    const r = await previewUndo({ ...target, toRevision });
    if (!r.ok) return { ok: false, code: r.code === 'NotFound' ? 'not_found' : 'unavailable', message: r.message };
    return { ok: true, data: { kubectl: r.kubectl, diff: r.data.diff, toRevision: r.data.toRevision, note: r.data.note, skipped: r.data.skipped } };
  }
  const d = await getDeployment(target);
  if (!d.ok) return { ok: false, code: 'unavailable', message: d.message };
  let manifest: unknown;
  if (source.snapshotId) manifest = (await db.snapshot.findFirst({ where: { id: source.snapshotId, incidentId: incident.id, kind: 'Deployment' } }))?.manifest;
  else if (source.file) manifest = (await listManifestBackups({ kind: 'Deployment' })).find((b) => b.file === source.file && b.name === target.deployment)?.manifest;
  const template = (manifest as { spec?: { template?: V1PodTemplateSpec } } | undefined)?.spec?.template;
  if (!template) return { ok: false, code: 'not_found', message: 'No saved Deployment manifest with that name' };
  return {
    ok: true,
    data: {
      kubectl: [`kubectl apply -f ${source.file ?? `snapshot-${source.snapshotId}.yaml`}`],
      diff: diffTemplates({ from: d.data.template, to: template }),
      toRevision: null,
      note: d.data.paused ? 'The deployment is paused: the console resumes it in the same write' : null,
      skipped: null,
    },
  };
}
