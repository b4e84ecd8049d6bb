/**
 * The kubeconfig of the simulated cluster: context `sim`, plain HTTP on loopback with
 * `insecure-skip-tls-verify: true`, and a dummy bearer token (the simulation accepts any).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export const SIM_CONTEXT = 'sim';

export function kubeconfigYaml(options: { server: string; namespace?: string; token?: string }): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: SIM_CONTEXT, cluster: { server: options.server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'sim-admin', user: { token: options.token ?? 'sim-dummy-token' } }],
    contexts: [{ name: SIM_CONTEXT, context: { cluster: SIM_CONTEXT, user: 'sim-admin', ...(options.namespace ? { namespace: options.namespace } : {}) } }],
    'current-context': SIM_CONTEXT,
    preferences: {},
  });
}

/** Writes the kubeconfig (mode 0600, parent folders created) and returns its absolute path. */
export function writeKubeconfig(file: string, options: { server: string; namespace?: string; token?: string }): string {
  const abs = path.resolve(file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, kubeconfigYaml(options), { mode: 0o600 });
  return abs;
}
