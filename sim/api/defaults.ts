/**
 * The defaulting and validation the real API server applies on writes, for the fields the
 * runbook and kubectl look at (so `kubectl get -o yaml` shows a strategy, a restart policy, a
 * cluster IP...). Exported so scenarios can store objects as the API server would.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- objects are arbitrary Kubernetes JSON */
import { randomInt } from 'node:crypto';
import type { KubeObject } from '../store';
import type { StatusCause } from './errors';

function podSpecDefaults(spec: any) {
  if (!spec || typeof spec !== 'object') return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    if (!c || typeof c !== 'object') continue;
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
      const tag = /:([^/:@]+)$/.exec(c.image)?.[1];
      c.imagePullPolicy = !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
    }
    c.resources ??= {};
    for (const p of c.ports ?? []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
  }
}

/** Fills in the defaults of the resource's API type, in place. */
export function applyDefaults(resource: string, o: KubeObject): KubeObject {
  const spec = o.spec;
  switch (resource) {
    case 'deployments':
      if (!spec) break;
      spec.replicas ??= 1;
      spec.strategy ??= { type: 'RollingUpdate' };
      spec.strategy.type ??= 'RollingUpdate';
      if (spec.strategy.type === 'RollingUpdate') {
        spec.strategy.rollingUpdate ??= {};
        spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
        spec.strategy.rollingUpdate.maxSurge ??= '25%';
      }
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      podSpecDefaults(spec.template?.spec);
      break;
    case 'replicasets':
      if (!spec) break;
      spec.replicas ??= 1;
      podSpecDefaults(spec.template?.spec);
      break;
    case 'statefulsets':
      if (!spec) break;
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      spec.revisionHistoryLimit ??= 10;
      podSpecDefaults(spec.template?.spec);
      break;
    case 'pods':
      podSpecDefaults(spec);
      break;
    case 'services':
      if (!spec) break;
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      if (spec.clusterIP === undefined && spec.type !== 'ExternalName') {
        spec.clusterIP = `10.96.${randomInt(0, 255)}.${randomInt(1, 254)}`;
        spec.clusterIPs = [spec.clusterIP];
      }
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.internalTrafficPolicy ??= 'Cluster';
      for (const p of spec.ports ?? []) {
        if (!p || typeof p !== 'object') continue;
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      o.status ??= { loadBalancer: {} };
      break;
    case 'secrets':
      o.type ??= 'Opaque';
      if (o.stringData && typeof o.stringData === 'object') {
        o.data = { ...(o.data ?? {}) };
        for (const [k, v] of Object.entries(o.stringData)) o.data[k] = Buffer.from(String(v)).toString('base64');
        delete o.stringData;
      }
      break;
    case 'horizontalpodautoscalers':
      if (spec) spec.minReplicas ??= 1;
      break;
    case 'namespaces':
      o.spec ??= { finalizers: ['kubernetes'] };
      o.status ??= { phase: 'Active' };
      o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name };
      break;
  }
  return o;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Names of resources that must be DNS-1123 labels; the others are DNS-1123 subdomains. */
const LABEL_NAMED = new Set(['namespaces', 'services']);

export function validateName(resource: string, name: string): StatusCause[] {
  if (resource === 'events') return name.includes('/') ? [{ field: 'metadata.name', message: `Invalid value: "${name}": may not contain '/'` }] : [];
  if (LABEL_NAMED.has(resource)) {
    if (name.length > 63 || !DNS_LABEL.test(name))
      return [{ field: 'metadata.name', message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')` }];
    return [];
  }
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name))
    return [{ field: 'metadata.name', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')` }];
  return [];
}

function validateLabels(labels: unknown, field: string): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [{ field, message: 'Invalid value: must be a map of strings' }];
  const out: StatusCause[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    if (!LABEL_NAME.test(k) || k.split('/').pop()!.length > 63) out.push({ field, message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'` });
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) out.push({ field, message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character` });
  }
  return out;
}

function matchesSelector(selector: any, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (labels?.[k] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const v = labels?.[e.key];
    if (e.operator === 'In' && (v === undefined || !(e.values ?? []).includes(v))) return false;
    if (e.operator === 'NotIn' && v !== undefined && (e.values ?? []).includes(v)) return false;
    if (e.operator === 'Exists' && v === undefined) return false;
    if (e.operator === 'DoesNotExist' && v !== undefined) return false;
  }
  return true;
}

/** Field errors of an object about to be written (`old` is set on updates). */
export function validateObject(resource: string, o: KubeObject, old?: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  causes.push(...validateLabels(o.metadata?.labels, 'metadata.labels'));
  if (o.metadata?.annotations !== undefined && (typeof o.metadata.annotations !== 'object' || Object.values(o.metadata.annotations ?? {}).some((v) => typeof v !== 'string')))
    causes.push({ field: 'metadata.annotations', message: 'Invalid value: annotation values must be strings' });
  if (resource === 'deployments' || resource === 'replicasets' || resource === 'statefulsets') {
    const spec = o.spec ?? {};
    if (typeof spec.replicas === 'number' && (spec.replicas < 0 || !Number.isInteger(spec.replicas)))
      causes.push({ field: 'spec.replicas', message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0` });
    if (!spec.selector || (!spec.selector.matchLabels && !spec.selector.matchExpressions)) causes.push({ field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' });
    else if (!matchesSelector(spec.selector, spec.template?.metadata?.labels))
      causes.push({ field: 'spec.template.metadata.labels', message: `Invalid value: ${JSON.stringify(spec.template?.metadata?.labels ?? {})}: \`selector\` does not match template \`labels\`` });
    causes.push(...validateLabels(spec.template?.metadata?.labels, 'spec.template.metadata.labels'));
    causes.push(...validateContainers(spec.template?.spec, 'spec.template.spec'));
    if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(spec.selector))
      causes.push({ field: 'spec.selector', message: `Invalid value: ${JSON.stringify(spec.selector)}: field is immutable` });
  }
  if (resource === 'pods') causes.push(...validateContainers(o.spec, 'spec'));
  if (resource === 'configmaps') {
    for (const [k, v] of Object.entries(o.data ?? {})) if (typeof v !== 'string') causes.push({ field: `data[${k}]`, message: 'Invalid value: must be a string' });
  }
  if (resource === 'horizontalpodautoscalers') {
    const spec = o.spec ?? {};
    if (!spec.scaleTargetRef?.name) causes.push({ field: 'spec.scaleTargetRef.name', message: 'Required value', reason: 'FieldValueRequired' });
    if (typeof spec.maxReplicas !== 'number' || spec.maxReplicas < 1) causes.push({ field: 'spec.maxReplicas', message: `Invalid value: ${spec.maxReplicas}: must be greater than or equal to 1` });
    else if (typeof spec.minReplicas === 'number' && spec.minReplicas > spec.maxReplicas)
      causes.push({ field: 'spec.maxReplicas', message: `Invalid value: ${spec.maxReplicas}: must be greater than or equal to \`minReplicas\`` });
  }
  return causes;
}

function validateContainers(podSpec: any, field: string): StatusCause[] {
  const containers = podSpec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) return [{ field: `${field}.containers`, message: 'Required value', reason: 'FieldValueRequired' }];
  const out: StatusCause[] = [];
  containers.forEach((c: any, i: number) => {
    if (!c?.name) out.push({ field: `${field}.containers[${i}].name`, message: 'Required value', reason: 'FieldValueRequired' });
    if (!c?.image) out.push({ field: `${field}.containers[${i}].image`, message: 'Required value', reason: 'FieldValueRequired' });
  });
  return out;
}
