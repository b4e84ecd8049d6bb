import 'server-only';
import { assessScope, type ScopeCheck } from '@/lib/incidents/assess-scope';
import { compareAutoscaling, type AutoscalingComparison } from '@/lib/incidents/compare-autoscaling';
import { compareConfig, type ConfigComparison } from '@/lib/incidents/compare-config';
import { listManifestBackups } from '@/lib/incidents/list-manifest-backups';
import { listTargetRevisions, type TargetRevisionOption } from '@/lib/incidents/list-target-revisions';
import type { TargetSuggestion } from '@/lib/incidents/suggest-target-revision';
import { diffRevisions } from '@/lib/k8s/diff-revisions';
import type { DiffEntry } from '@/lib/k8s/template-diff';
import { getSchemaVersion } from '@/lib/targetdb/get-schema-version';
import { listBackups, type BackupFile } from '@/lib/targetdb/list-backups';
import type { IncidentOverview } from '@/lib/incidents/get-incident-overview';

/** What a step page shows beyond the incident state; each step loads only its own. */
export type StepData =
  | { step: 1 | 2; scope: { step1: ScopeCheck[]; step2: ScopeCheck[]; rolloutInProgress: boolean; paused: boolean; image: string | null; revision: number | null } | null; error: string | null }
  | {
      step: 3;
      revisions: TargetRevisionOption[];
      suggestion: TargetSuggestion | null;
      chosen: number | null;
      kubectl: string[];
      diff: { changes: DiffEntry[]; fromLabel: string; toLabel: string; kubectl: string[] } | null;
      diffAgainst: number | null;
      error: string | null;
    }
  | { step: 4; manifests: { file: string; takenAt: string }[]; error: string | null }
  | { step: 5; backups: BackupFile[]; schemaVersion: string | null; error: string | null }
  | { step: 6; configMaps: ConfigComparison[]; changed: boolean; error: string | null }
  | { step: 9; hpas: AutoscalingComparison[]; untouched: boolean; error: string | null }
  | { step: 7 | 8 | 10; error: null }
  | { step: 0; error: string };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Loads the live data of one step page (cluster, backups, application database). */
export async function loadStepData(options: { step: number; overview: IncidentOverview; diffTo?: number }): Promise<StepData> {
  const inc = options.overview.incident;
  const target = { namespace: inc.namespace, deployment: inc.deployment };
  try {
    switch (options.step) {
      case 1:
      case 2: {
        const r = await assessScope({ ...target, sampleMs: 1500 });
        return { step: options.step, scope: r.ok ? r.data : null, error: r.ok ? null : r.message };
      }
      case 3: {
        const r = await listTargetRevisions({ incidentId: inc.id });
        if (!r.ok) return { step: 3, revisions: [], suggestion: null, chosen: null, kubectl: [], diff: null, diffAgainst: null, error: r.message };
        const current = r.data.revisions.find((x) => x.current)?.revision;
        const against = options.diffTo ?? r.data.chosen ?? r.data.suggestion?.revision ?? null;
        let diff: Extract<StepData, { step: 3 }>['diff'] = null;
        if (current && against && against !== current) {
          const d = await diffRevisions({ namespace: inc.namespace, name: inc.deployment, from: current, to: against });
          if (d.ok) diff = { changes: d.data.changes, fromLabel: d.data.fromLabel, toLabel: d.data.toLabel, kubectl: d.kubectl };
        }
        return { step: 3, ...r.data, diff, diffAgainst: against, error: null };
      }
      case 4: {
        const files = await listManifestBackups({ kind: 'Deployment' }).catch(() => []);
        return { step: 4, manifests: files.filter((f) => f.name === inc.deployment).map((f) => ({ file: f.file, takenAt: f.takenAt })), error: null };
      }
      case 5: {
        const [backups, schemaVersion] = await Promise.all([listBackups(), getSchemaVersion().catch(() => null)]);
        return { step: 5, backups, schemaVersion, error: null };
      }
      case 6: {
        const r = await compareConfig({ incidentId: inc.id });
        return r.ok ? { step: 6, ...r.data, error: null } : { step: 6, configMaps: [], changed: false, error: r.message };
      }
      case 9: {
        const r = await compareAutoscaling({ incidentId: inc.id });
        return r.ok ? { step: 9, ...r.data, error: null } : { step: 9, hpas: [], untouched: false, error: r.message };
      }
      default:
        return { step: options.step as 7 | 8 | 10, error: null };
    }
  } catch (e) {
    switch (options.step) {
      case 1:
      case 2:
        return { step: options.step, scope: null, error: message(e) };
      case 5:
        return { step: 5, backups: [], schemaVersion: null, error: message(e) };
      default:
        return { step: 0, error: message(e) };
    }
  }
}
