import 'server-only';
import { kubeClients, type K8sActor } from './client';
import { isoTime, toPlain } from './internal';
import { kubectlCommands } from './kubectl';
import { cleanManifest, type Manifest } from './manifest';
import { k8sFailFromError, k8sOk, type K8sResult } from './result';

export type GetConfigMapOptions = { namespace: string; name: string; actor?: K8sActor | undefined };

export type ConfigMapView = {
  namespace: string;
  name: string;
  resourceVersion: string;
  createdAt: string | null;
  data: Record<string, string>;
  binaryDataKeys: string[];
  /** Ready to store as a snapshot and to restore later (server fields removed). */
  manifest: Manifest;
};

/** A ConfigMap and its data (runbook step 6 compares it with the snapshot taken at declaration). */
export async function getConfigMap(opts: GetConfigMapOptions): Promise<K8sResult<ConfigMapView>> {
  const kubectl = [kubectlCommands.getConfigMap(opts)];
  try {
    const cm = await kubeClients({ actor: opts.actor }).core.readNamespacedConfigMap({ namespace: opts.namespace, name: opts.name });
    const plain = toPlain(cm) as unknown as Manifest;
    plain.apiVersion = 'v1';
    plain.kind = 'ConfigMap';
    const rv = cm.metadata?.resourceVersion ?? '';
    return k8sOk(
      {
        namespace: opts.namespace,
        name: opts.name,
        resourceVersion: rv,
        createdAt: isoTime(cm.metadata?.creationTimestamp),
        data: cm.data ?? {},
        binaryDataKeys: Object.keys(cm.binaryData ?? {}).sort(),
        manifest: cleanManifest(plain),
      },
      kubectl,
      { before: rv, after: rv },
    );
  } catch (err) {
    return k8sFailFromError(err, kubectl, `configmap ${opts.namespace}/${opts.name}`);
  }
}
