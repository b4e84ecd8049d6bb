import 'server-only';
import { findHpasFor, getConfigMap, getDeployment, type DeploymentTarget, type DeploymentView } from './cluster';
import type { SnapshotInput } from './run-action';
import type { ConfigReferences } from './config-references';

export type CapturedResources = {
  deployment: DeploymentView;
  snapshots: SnapshotInput[];
  /** Secrets referenced by the pod template: names and keys only, never values. */
  secretRefs: ConfigReferences['secrets'];
  /** ConfigMaps the template references that do not exist (worth telling the commander). */
  missingConfigMaps: string[];
};

/**
 * Reads the live Deployment, the ConfigMaps its pod template references (env, envFrom,
 * volumes) and the HPA that scales it, as Snapshot inputs. Secrets are never read.
 * @see ../../../shared/runbooks/rollback-procedure.md "Common Pitfalls" 4 (back up all resources)
 */
export async function captureSnapshots(
  target: DeploymentTarget,
  include: { deployment?: boolean; configMaps?: boolean | string[]; hpa?: boolean } = { deployment: true, configMaps: true, hpa: true },
): Promise<{ ok: true; data: CapturedResources } | { ok: false; code: string; message: string }> {
  const d = await getDeployment(target);
  if (!d.ok) return d;
  const snapshots: SnapshotInput[] = [];
  if (include.deployment !== false) {
    snapshots.push({ kind: 'Deployment', namespace: target.namespace, name: target.deployment, manifest: d.data.manifest, resourceVersion: d.data.resourceVersion });
  }
  const missingConfigMaps: string[] = [];
  const cmNames = Array.isArray(include.configMaps) ? include.configMaps : include.configMaps ? d.data.references.configMaps : [];
  for (const name of cmNames) {
    const cm = await getConfigMap({ namespace: target.namespace, name });
    if (cm.ok) snapshots.push({ kind: 'ConfigMap', namespace: target.namespace, name, manifest: cm.data.manifest, resourceVersion: cm.data.resourceVersion });
    else if (cm.code === 'NotFound') missingConfigMaps.push(name);
    else return cm;
  }
  if (include.hpa) {
    const hpas = await findHpasFor(target);
    if (!hpas.ok) return hpas;
    for (const h of hpas.data) {
      const name = (h.manifest.metadata as { name?: string } | undefined)?.name ?? target.deployment;
      snapshots.push({ kind: 'HorizontalPodAutoscaler', namespace: target.namespace, name, manifest: h.manifest, resourceVersion: h.resourceVersion });
    }
  }
  return { ok: true, data: { deployment: d.data, snapshots, secretRefs: d.data.references.secrets, missingConfigMaps } };
}
