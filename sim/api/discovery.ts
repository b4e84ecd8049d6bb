/**
 * Legacy API discovery (`/api`, `/apis`, one `APIResourceList` per group version) and `/version`.
 * kubectl asks for aggregated discovery first and falls back to these when the answer is a plain
 * `application/json` list.
 * @see https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- discovery documents are plain JSON */
import { apiVersionOf, groupVersions, RESOURCES, verbsOf } from './resources';

/** The version the simulation reports; the kubectl dispatcher picks its binary by the minor. */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  emulationMajor: '1',
  emulationMinor: '32',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '31',
  gitVersion: 'v1.32.0-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function groupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions()
      .filter((g) => g.group !== '')
      .map((g) => ({
        name: g.group,
        versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] },
      })),
  };
}

export function apiGroup(group: string) {
  const g = groupVersions().find((x) => x.group === group);
  if (!g || !group) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: g.group,
    versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] },
  };
}

export function resourceList(group: string, version: string) {
  const defs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!defs.length) return undefined;
  const resources: any[] = [];
  for (const r of defs) {
    resources.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: verbsOf(r),
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const sub of r.subresources ?? []) {
      if (sub === 'status') resources.push({ name: `${r.resource}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] });
      if (sub === 'scale')
        resources.push({ name: `${r.resource}/scale`, singularName: '', namespaced: r.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
      if (sub === 'log') resources.push({ name: `${r.resource}/log`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get'] });
      if (sub === 'exec') resources.push({ name: `${r.resource}/exec`, singularName: '', namespaced: r.namespaced, kind: 'PodExecOptions', verbs: ['create', 'get'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}
