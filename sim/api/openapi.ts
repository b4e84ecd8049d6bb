/**
 * OpenAPI v3 documents: the `/openapi/v3` index and one document per group version. kubectl
 * reads them before `apply`: the `fieldValidation` parameter of a PATCH operation tells it the
 * server validates fields itself, the PATCH request body types tell it strategic merge is
 * supported, and the component schemas (with `x-kubernetes-patch-merge-key`/`-strategy`) are what
 * it computes the client-side strategic merge patch from.
 * @see https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-v3
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- OpenAPI documents are plain JSON */
import { createHash } from 'node:crypto';
import { apiVersionOf, groupVersions, RESOURCES, type ResourceDef } from './resources';
import { fieldsOf, reachableModels, type Field, type FieldType } from './schema';

const REF = (m: string) => ({ $ref: `#/components/schemas/${m}` });

function schemaOf(t: FieldType): any {
  switch (t.kind) {
    case 'scalar':
      return { type: t.type, ...(t.format ? { format: t.format } : {}) };
    case 'intOrString':
      return { 'x-kubernetes-int-or-string': true };
    case 'any':
      return { 'x-kubernetes-preserve-unknown-fields': true };
    case 'model':
      return { allOf: [REF(t.model)] };
    case 'array':
      return { type: 'array', items: schemaOf(t.items) };
    case 'map':
      return { type: 'object', additionalProperties: schemaOf(t.values) };
  }
}

function fieldSchema(f: Field): any {
  return {
    ...schemaOf(f),
    ...(f.patchMergeKey ? { 'x-kubernetes-patch-merge-key': f.patchMergeKey } : {}),
    ...(f.patchStrategy ? { 'x-kubernetes-patch-strategy': f.patchStrategy } : {}),
  };
}

function modelSchema(model: string, gvks: { group: string; version: string; kind: string }[]): any {
  const fields = fieldsOf(model)!;
  const properties: Record<string, any> = {};
  for (const [name, f] of fields) properties[name] = fieldSchema(f);
  return { type: 'object', properties, ...(gvks.length ? { 'x-kubernetes-group-version-kind': gvks } : {}) };
}

const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
const q = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });

function paths(r: ResourceDef): Record<string, any> {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.resource}` : `${base}/${r.resource}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const pathParams = [
    ...(r.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : []),
  ];
  const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } };
  const ok = (model: string) => ({ '200': { description: 'OK', content: { 'application/json': { schema: REF(model) } } } });
  const op = (action: string, id: string, model: string, extra: any = {}) => ({
    operationId: id,
    responses: ok(model),
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  const id = (verb: string) => `${verb}${r.kind}`;
  const body = (model: string) => ({ requestBody: { content: { 'application/json': { schema: REF(model) } }, required: true } });
  const patchOp = (model: string, suffix = '') =>
    op('patch', id('patch') + suffix, model, {
      parameters: [q('dryRun'), q('fieldManager'), q('fieldValidation'), { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
      requestBody: { content: Object.fromEntries(PATCH_TYPES.map((t) => [t, { schema: { type: 'object' } }])), required: true },
    });
  const out: Record<string, any> = {
    [collection]: {
      get: op('list', id('list'), r.model, { parameters: [q('labelSelector'), q('fieldSelector'), q('resourceVersion'), q('watch')] }),
      post: op('post', id('create'), r.model, { parameters: [q('dryRun'), q('fieldManager'), q('fieldValidation')], ...body(r.model) }),
      parameters: pathParams,
    },
    [`${collection}/{name}`]: {
      get: op('get', id('read'), r.model),
      put: op('put', id('replace'), r.model, { parameters: [q('dryRun'), q('fieldManager'), q('fieldValidation')], ...body(r.model) }),
      patch: patchOp(r.model),
      delete: op('delete', id('delete'), r.model),
      parameters: [nameParam, ...pathParams],
    },
  };
  for (const sub of r.subresources ?? []) {
    if (sub === 'status') {
      out[`${collection}/{name}/status`] = {
        get: op('get', id('read') + 'Status', r.model),
        put: op('put', id('replace') + 'Status', r.model, { parameters: [q('fieldValidation')], ...body(r.model) }),
        patch: patchOp(r.model, 'Status'),
        parameters: [nameParam, ...pathParams],
      };
    }
    if (sub === 'scale') {
      const scaleGvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
      out[`${collection}/{name}/scale`] = {
        get: { ...op('get', id('read') + 'Scale', 'V1Scale'), 'x-kubernetes-group-version-kind': scaleGvk },
        put: { ...op('put', id('replace') + 'Scale', 'V1Scale', body('V1Scale')), 'x-kubernetes-group-version-kind': scaleGvk },
        patch: { ...patchOp('V1Scale', 'Scale'), 'x-kubernetes-group-version-kind': scaleGvk },
        parameters: [nameParam, ...pathParams],
      };
    }
    if (sub === 'log') {
      out[`${collection}/{name}/log`] = {
        get: { operationId: id('read') + 'Log', responses: { '200': { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } } }, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk },
        parameters: [nameParam, ...pathParams, q('container'), q('follow'), q('tailLines'), q('timestamps'), q('sinceSeconds'), q('previous')],
      };
    }
  }
  return out;
}

const docs = new Map<string, any>();

/** The OpenAPI v3 document of one group version ('api/v1', 'apis/apps/v1'), or undefined. */
export function openApiDocument(gvPath: string): any | undefined {
  if (docs.has(gvPath)) return docs.get(gvPath);
  const defs = RESOURCES.filter((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`) === gvPath);
  if (!defs.length) return undefined;
  const gvksByModel = new Map<string, { group: string; version: string; kind: string }[]>();
  for (const r of defs) gvksByModel.set(r.model, [{ group: r.group, version: r.version, kind: r.kind }]);
  const roots = defs.map((r) => r.model);
  if (defs.some((r) => r.subresources?.includes('scale'))) {
    roots.push('V1Scale');
    gvksByModel.set('V1Scale', [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }]);
  }
  roots.push('V1Status', 'V1DeleteOptions');
  const schemas: Record<string, any> = {};
  for (const m of reachableModels(roots)) schemas[m] = modelSchema(m, gvksByModel.get(m) ?? []);
  let allPaths: Record<string, any> = {};
  for (const r of defs) allPaths = { ...allPaths, ...paths(r) };
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (simulated)', version: 'v1.32.0' },
    paths: allPaths,
    components: { schemas },
  };
  docs.set(gvPath, doc);
  return doc;
}

let indexCache: any;

/** `/openapi/v3`: where each group version's document is. */
export function openApiIndex(): any {
  if (indexCache) return indexCache;
  const pathsOut: Record<string, { serverRelativeURL: string }> = {};
  for (const g of groupVersions()) {
    for (const v of g.versions) {
      const gvPath = g.group ? `apis/${g.group}/${v}` : `api/${v}`;
      const hash = createHash('sha512').update(JSON.stringify(openApiDocument(gvPath))).digest('hex').slice(0, 128).toUpperCase();
      pathsOut[gvPath] = { serverRelativeURL: `/openapi/v3/${gvPath}?hash=${hash}` };
    }
  }
  indexCache = { paths: pathsOut };
  return indexCache;
}

export { apiVersionOf };
