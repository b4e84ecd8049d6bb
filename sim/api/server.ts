/**
 * The HTTP server of the simulated cluster: the Kubernetes REST API over one Store, as real
 * kubectl and `@kubernetes/client-node` use it (discovery, OpenAPI v3, tables, CRUD, the four
 * patch types, watches, pod logs, the scale and status subresources), plus the `/_sim/` test
 * controls. Every failure is a `Status` object; bad input never crashes it.
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies and objects are arbitrary Kubernetes JSON, validated here */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { canonicalJson, CLUSTER_SCOPED, compileSelectors, isoSeconds, StoreError, type KubeObject, type Store } from '../store';
import type { LogBook } from '../logs';
import { ApiError, badRequest, invalid, notFound, statusBody } from './errors';
import { apiGroup, coreVersions, groupList, resourceList, SERVER_VERSION } from './discovery';
import { openApiDocument, openApiIndex } from './openapi';
import { apiVersionOf, findResource, RESOURCES, storageOf, type ResourceDef } from './resources';
import { toTable, wantsTable, type IncludeObject } from './tables';
import { applyApplyPatch, applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from './patch';
import { applyDefaults, validateName, validateObject } from './defaults';
import { unknownFields } from './schema';
import { Faults, RequestLog } from './controls';
import { fromStorage, toStorage } from './convert';
import { serveWatch } from './watch';
import { decodeKubernetesProtobuf } from './protobuf';
import { serveExec, type ExecResolver } from './exec';

export type ApiServerOptions = {
  store: Store;
  logs: LogBook;
  /** Decides what `kubectl exec` runs (default: nothing, every exec is refused). */
  exec?: ExecResolver;
  /** Called by POST /_sim/reset with the requested scenario. */
  onReset?: (scenario?: string) => Promise<void>;
  /** How often watches that allow bookmarks receive one (default 15 s). */
  bookmarkIntervalMs?: number;
};

export type ApiServer = {
  server: http.Server;
  requests: RequestLog;
  faults: Faults;
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
};

const MAX_BODY = 8 * 1024 * 1024;

/** What a request is about, parsed from its path and method. */
type Target = {
  def: ResourceDef;
  storage: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  verb: string;
};

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const requests = new RequestLog();
  const faults = new Faults();
  /** Last configuration applied server-side, per object uid and field manager. */
  const lastApplied = new Map<string, any>();
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      try {
        sendError(res, err);
      } catch {
        res.destroy();
      }
    });
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: import('node:stream').Duplex) => {
    socket.on('error', () => {});
    try {
      const url = new URL(req.url ?? '/', 'http://sim.local');
      const t = parseTarget(url.pathname.replace(/\/+$/, ''), (req.method ?? 'GET').toUpperCase(), url.searchParams);
      requests.record({
        method: req.method ?? 'GET',
        path: url.pathname,
        verb: t?.verb ?? 'get',
        resource: t ? `${t.def.resource}${t.subresource ? `/${t.subresource}` : ''}` : url.pathname,
        userAgent: header(req, 'user-agent') ?? '',
        impersonateUser: header(req, 'impersonate-user'),
        impersonateGroups: req.headersDistinct['impersonate-group'],
        at: new Date().toISOString(),
      });
      if (!t || t.subresource !== 'exec' || !t.name) throw new ApiError(400, 'BadRequest', 'upgrade is only supported for pods/exec');
      const pod = opts.store.get('pods', t.namespace, t.name);
      if (!pod) throw notFound('pods', '', t.name);
      const names: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
      const container = url.searchParams.get('container') || names[0] || '';
      if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${t.name}`);
      const command = url.searchParams.getAll('command');
      if (!command.length) throw badRequest('you must specify at least 1 command');
      const plan = opts.exec
        ? opts.exec({ namespace: t.namespace!, pod, container, command, stdin: url.searchParams.get('stdin') === 'true' })
        : { error: 'exec is not simulated by this server' };
      if (!serveExec(req, socket, plan)) throw badRequest('Upgrade request required (WebSocket protocol v5.channel.k8s.io)');
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, 'InternalError', String((err as Error)?.message ?? err));
      const body = JSON.stringify(statusBody(e.code, e.reason, e.message, e.details));
      socket.end(`HTTP/1.1 ${e.code} ${http.STATUS_CODES[e.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();

    if (path.startsWith('/_sim/') || path === '/_sim') return handleControls(req, res, path, method);

    let target: Target | undefined;
    let parseError: unknown;
    try {
      target = parseTarget(path, method, url.searchParams);
    } catch (e) {
      parseError = e;
    }
    const verb = target?.verb ?? (method === 'GET' ? 'get' : method.toLowerCase());
    const resource = target ? target.def.resource + (target.subresource ? `/${target.subresource}` : '') : path;
    const impersonateUser = header(req, 'impersonate-user');
    const impersonateGroups = req.headersDistinct['impersonate-group'];
    const record = {
      method,
      path,
      verb,
      resource,
      userAgent: header(req, 'user-agent') ?? '',
      impersonateUser,
      impersonateGroups,
      at: new Date().toISOString(),
    } as import('./controls').RequestRecord;
    requests.record(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });

    const fault = faults.take(path, method, verb);
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        const reason = fault.status === 503 ? 'ServiceUnavailable' : fault.status === 500 ? 'InternalError' : fault.status === 429 ? 'TooManyRequests' : fault.status === 403 ? 'Forbidden' : 'InternalError';
        return sendJson(res, fault.status, statusBody(fault.status, reason, `injected fault on ${path}`));
      }
    }

    if (parseError) throw parseError;
    if (!target) return handleNonResource(req, res, path, method, url);
    return handleResource(req, res, target, url);
  }

  // ------------------------------------------------------------ non-resource paths

  function handleNonResource(req: http.IncomingMessage, res: http.ServerResponse, path: string, method: string, url: URL) {
    if (method !== 'GET' && method !== 'HEAD') throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    const addr = `127.0.0.1:${(server.address() as AddressInfo | null)?.port ?? 0}`;
    if (path === '/version') return sendJson(res, 200, SERVER_VERSION);
    if (path === '/healthz' || path === '/livez' || path === '/readyz') return sendText(res, 200, 'ok');
    if (path === '/api') return sendJson(res, 200, coreVersions(addr));
    if (path === '/apis') return sendJson(res, 200, groupList());
    if (path === '/openapi/v3') return sendJson(res, 200, openApiIndex());
    if (path === '/openapi/v2') {
      // An OpenAPI v2 document without definitions: kubectl up to 1.28 downloads it before every
      // apply (as protobuf), then validates with the v3 documents and the server's fieldValidation.
      if (/protobuf/.test(header(req, 'accept') ?? '')) {
        const body = openApiV2Protobuf();
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
        return res.end(body);
      }
      return sendJson(res, 200, { swagger: '2.0', info: { title: 'Kubernetes (simulated)', version: SERVER_VERSION.gitVersion }, paths: {}, definitions: {} });
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiDocument(path.slice('/openapi/v3/'.length));
      if (doc) {
        res.setHeader('Cache-Control', url.searchParams.has('hash') ? 'public, immutable' : 'no-cache, private');
        return sendJson(res, 200, doc, 'application/json');
      }
    }
    const core = /^\/api\/(v1)$/.exec(path);
    if (core) return sendJson(res, 200, resourceList('', core[1]!));
    const grp = /^\/apis\/([^/]+)$/.exec(path);
    if (grp) {
      const g = apiGroup(grp[1]!);
      if (g) return sendJson(res, 200, g);
    }
    const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (gv) {
      const list = resourceList(gv[1]!, gv[2]!);
      if (list) return sendJson(res, 200, list);
    }
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }

  // ------------------------------------------------------------ resources

  async function handleResource(req: http.IncomingMessage, res: http.ServerResponse, t: Target, url: URL) {
    const q = url.searchParams;
    const dryRun = q.getAll('dryRun').includes('All');
    switch (t.verb) {
      case 'list':
        return list(req, res, t, q);
      case 'watch':
        return serveWatch({ req, res, store: opts.store, def: t.def, storage: t.storage, namespace: t.namespace, query: q, present: (o) => present(t.def, o), bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 15_000 });
      case 'get':
        if (t.subresource === 'log') return podLog(req, res, t, q);
        return get(req, res, t, q);
      case 'create':
        // A plain HTTP request cannot carry an exec session (kubectl < 1.30 tries SPDY here).
        if (t.subresource === 'exec') throw badRequest('Upgrade request required');
        return create(req, res, t, q, dryRun);
      case 'update':
        return update(req, res, t, q, dryRun);
      case 'patch':
        return patch(req, res, t, q, dryRun);
      case 'delete':
        return del(req, res, t, q, dryRun);
      case 'deletecollection':
        return deleteCollection(req, res, t, q, dryRun);
    }
    throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  function mustGet(t: Target): KubeObject {
    const o = opts.store.get(t.storage, t.namespace, t.name!);
    if (!o) throw notFound(t.def.resource, t.def.group, t.name!);
    return o;
  }

  function present(def: ResourceDef, o: KubeObject): KubeObject {
    return fromStorage(def, o);
  }

  function respondObject(req: http.IncomingMessage, res: http.ServerResponse, t: Target, o: KubeObject, code = 200, q?: URLSearchParams) {
    if (t.subresource === 'scale') return sendJson(res, code, toScale(o));
    const shown = present(t.def, o);
    if (wantsTable(header(req, 'accept')) && code === 200 && req.method === 'GET') {
      return sendJson(res, code, toTable(t.def.resource, [shown], { resourceVersion: shown.metadata.resourceVersion, include: includeObject(q) }));
    }
    return sendJson(res, code, shown);
  }

  function get(req: http.IncomingMessage, res: http.ServerResponse, t: Target, q: URLSearchParams) {
    return respondObject(req, res, t, mustGet(t), 200, q);
  }

  function list(req: http.IncomingMessage, res: http.ServerResponse, t: Target, q: URLSearchParams) {
    const selectors = { namespace: t.namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined };
    let items = opts.store.listFrozen(t.storage, selectors);
    const resourceVersion = opts.store.currentResourceVersion();
    const limit = Number(q.get('limit') ?? 0);
    let offset = 0;
    const cont = q.get('continue');
    if (cont) {
      try {
        offset = JSON.parse(Buffer.from(cont, 'base64url').toString()).offset;
      } catch {
        throw badRequest('continue key is not valid');
      }
      if (!Number.isInteger(offset) || offset < 0) throw badRequest('continue key is not valid');
    }
    let next: string | undefined;
    let remaining: number | undefined;
    if (limit > 0 || offset > 0) {
      const total = items.length;
      const end = limit > 0 ? offset + limit : total;
      items = items.slice(offset, end);
      if (end < total) {
        next = Buffer.from(JSON.stringify({ offset: end })).toString('base64url');
        remaining = total - end;
      }
    }
    const shown = items.map((o) => present(t.def, o));
    const metadata = { resourceVersion, ...(next ? { continue: next, remainingItemCount: remaining } : {}) };
    if (wantsTable(header(req, 'accept'))) {
      const table: any = toTable(t.def.resource, shown, { resourceVersion, include: includeObject(q) });
      table.metadata = metadata;
      return sendJson(res, 200, table);
    }
    return sendJson(res, 200, { kind: `${t.def.kind}List`, apiVersion: apiVersionOf(t.def), metadata, items: shown });
  }

  async function create(req: http.IncomingMessage, res: http.ServerResponse, t: Target, q: URLSearchParams, dryRun: boolean) {
    if (t.name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const body = await readObject(req);
    checkTypeMeta(t.def, body);
    const warnings = fieldValidation(t.def, body, q);
    body.metadata ??= {};
    if (typeof body.metadata !== 'object' || Array.isArray(body.metadata)) throw badRequest('metadata must be an object');
    if (t.def.namespaced) {
      if (body.metadata.namespace && body.metadata.namespace !== t.namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      body.metadata.namespace = t.namespace;
      if (!opts.store.peek('namespaces', undefined, t.namespace!)) throw notFound('namespaces', '', t.namespace!);
    }
    const name = body.metadata.name || (body.metadata.generateName ? `${body.metadata.generateName}xxxxx` : '');
    if (!name) throw invalid(t.def.kind, t.def.group, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' }]);
    const nameCauses = validateName(t.storage, name);
    if (nameCauses.length) throw invalid(t.def.kind, t.def.group, name, nameCauses);
    let obj = toStorage(t.def, body);
    if (t.def.subresources?.includes('status') && t.storage !== 'namespaces') delete obj.status;
    obj = applyDefaults(t.storage, obj);
    const causes = validateObject(t.storage, obj);
    if (causes.length) throw invalid(t.def.kind, t.def.group, name, causes);
    for (const w of warnings) res.appendHeader('Warning', `299 - "${w}"`);
    if (dryRun) {
      const existing = body.metadata.name && opts.store.peek(t.storage, t.namespace, body.metadata.name);
      if (existing) throw new ApiError(409, 'AlreadyExists', `${qualified(t.def)} "${name}" already exists`, { name, group: t.def.group, kind: t.def.resource });
      obj.metadata.creationTimestamp = isoSeconds(new Date());
      return respondObject(req, res, t, obj, 201);
    }
    const created = storeCall(t.def, () => opts.store.create(t.storage, obj));
    return respondObject(req, res, t, created, 201);
  }

  async function update(req: http.IncomingMessage, res: http.ServerResponse, t: Target, q: URLSearchParams, dryRun: boolean) {
    const body = await readObject(req);
    if (t.subresource === 'scale') return writeScale(req, res, t, body, dryRun);
    checkTypeMeta(t.def, body);
    const warnings = fieldValidation(t.def, body, q);
    body.metadata ??= {};
    if (body.metadata.name && body.metadata.name !== t.name) throw badRequest('the name of the object (' + body.metadata.name + ') does not match the name on the URL (' + t.name + ')');
    body.metadata.name = t.name;
    if (t.def.namespaced) {
      if (body.metadata.namespace && body.metadata.namespace !== t.namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      body.metadata.namespace = t.namespace;
    }
    const current = mustGet(t);
    for (const w of warnings) res.appendHeader('Warning', `299 - "${w}"`);
    return write(req, res, t, current, toStorage(t.def, body, current), dryRun);
  }

  /** Validates and stores `next` as the new state of `current` (main resource or status). */
  function write(req: http.IncomingMessage, res: http.ServerResponse, t: Target, current: KubeObject, next: KubeObject, dryRun: boolean) {
    if (next.metadata?.name !== current.metadata.name) throw invalid(t.def.kind, t.def.group, current.metadata.name, [{ field: 'metadata.name', message: 'Invalid value: field is immutable' }]);
    if (t.def.namespaced && next.metadata.namespace !== current.metadata.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    if (next.metadata.uid && next.metadata.uid !== current.metadata.uid)
      throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${current.metadata.uid}`);
    if (t.subresource === 'status') {
      const result = storeCall(t.def, () => (dryRun ? current : opts.store.updateStatus(t.storage, { ...current, metadata: { ...current.metadata, resourceVersion: next.metadata.resourceVersion }, status: next.status })));
      return respondObject(req, res, t, result);
    }
    if (t.def.subresources?.includes('status') && t.storage !== 'namespaces') next.status = current.status;
    next = applyDefaults(t.storage, next);
    const causes = validateObject(t.storage, next, current);
    if (causes.length) throw invalid(t.def.kind, t.def.group, current.metadata.name, causes);
    if (dryRun) return respondObject(req, res, t, next);
    const updated = storeCall(t.def, () => opts.store.update(t.storage, next));
    return respondObject(req, res, t, updated);
  }

  async function patch(req: http.IncomingMessage, res: http.ServerResponse, t: Target, q: URLSearchParams, dryRun: boolean) {
    const type = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const types = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
    if (!types.includes(type))
      throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${types.join(', ')}`);
    const raw = await readBody(req);
    let patchBody: any;
    try {
      patchBody = type === 'application/apply-patch+yaml' ? parseYaml(raw) : JSON.parse(raw);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    const model = t.subresource === 'scale' ? 'V1Scale' : t.def.model;
    const existing = opts.store.get(t.storage, t.namespace, t.name!);

    if (type === 'application/apply-patch+yaml') {
      if (!patchBody || typeof patchBody !== 'object' || Array.isArray(patchBody)) throw badRequest('apply patch must be a YAML or JSON object');
      const manager = q.get('fieldManager');
      if (!manager) throw badRequest('PATCH with apply patch requires a fieldManager query parameter');
      if (t.subresource !== 'scale') checkTypeMeta(t.def, patchBody, true);
      const warnings = t.subresource ? [] : fieldValidation(t.def, patchBody, q);
      for (const w of warnings) res.appendHeader('Warning', `299 - "${w}"`);
      if (patchBody.metadata?.name && patchBody.metadata.name !== t.name) throw badRequest('the name of the object does not match the name on the URL');
      if (!existing) {
        if (t.subresource) throw notFound(t.def.resource, t.def.group, t.name!);
        // Server-side apply creates what does not exist yet.
        const body = { ...patchBody, metadata: { ...(patchBody.metadata ?? {}), name: t.name, ...(t.def.namespaced ? { namespace: t.namespace } : {}) } };
        if (t.def.namespaced && !opts.store.peek('namespaces', undefined, t.namespace!)) throw notFound('namespaces', '', t.namespace!);
        const causesName = validateName(t.storage, t.name!);
        if (causesName.length) throw invalid(t.def.kind, t.def.group, t.name!, causesName);
        const obj = applyDefaults(t.storage, toStorage(t.def, body));
        if (t.def.subresources?.includes('status') && t.storage !== 'namespaces') delete obj.status;
        const causes = validateObject(t.storage, obj);
        if (causes.length) throw invalid(t.def.kind, t.def.group, t.name!, causes);
        if (dryRun) return respondObject(req, res, t, obj, 201);
        const created = storeCall(t.def, () => opts.store.create(t.storage, obj));
        lastApplied.set(`${created.metadata.uid}/${manager}`, patchBody);
        return respondObject(req, res, t, created, 201);
      }
      const shown = t.subresource === 'scale' ? toScale(existing) : present(t.def, existing);
      const key = `${existing.metadata.uid}/${manager}`;
      const merged = guardPatch(() => applyApplyPatch(shown, patchBody, model, lastApplied.get(key)));
      const result = finishPatch(req, res, t, existing, merged, dryRun);
      if (!dryRun) lastApplied.set(key, patchBody);
      return result;
    }

    if (!existing) throw notFound(t.def.resource, t.def.group, t.name!);
    const shown = t.subresource === 'scale' ? toScale(existing) : present(t.def, existing);
    let merged: any;
    if (type === 'application/json-patch+json') merged = guardPatch(() => applyJsonPatch(shown, patchBody));
    else {
      if (!patchBody || typeof patchBody !== 'object' || Array.isArray(patchBody)) throw badRequest('patch must be a JSON object');
      const warnings = t.subresource ? [] : fieldValidation(t.def, stripDirectiveKeys(patchBody), q);
      for (const w of warnings) res.appendHeader('Warning', `299 - "${w}"`);
      merged =
        type === 'application/merge-patch+json'
          ? guardPatch(() => applyMergePatch(shown, patchBody))
          : guardPatch(() => applyStrategicMergePatch(shown, patchBody, model));
    }
    return finishPatch(req, res, t, existing, merged, dryRun);
  }

  function finishPatch(req: http.IncomingMessage, res: http.ServerResponse, t: Target, existing: KubeObject, merged: any, dryRun: boolean) {
    if (!merged || typeof merged !== 'object' || Array.isArray(merged)) throw badRequest('the patch result is not an object');
    if (t.subresource === 'scale') return writeScale(req, res, t, merged, dryRun, existing);
    merged.metadata ??= {};
    if (merged.apiVersion !== apiVersionOf(t.def) || merged.kind !== t.def.kind) {
      throw badRequest(`the patch changed apiVersion/kind to ${merged.apiVersion}/${merged.kind}`);
    }
    return write(req, res, t, existing, toStorage(t.def, merged, existing), dryRun);
  }

  /** Scale subresource: replicas of the owner, answered as an `autoscaling/v1 Scale`. */
  function writeScale(req: http.IncomingMessage, res: http.ServerResponse, t: Target, scale: any, dryRun: boolean, existing?: KubeObject) {
    const current = existing ?? mustGet(t);
    const replicas = scale?.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
      throw invalid('Scale', 'autoscaling', t.name!, [{ field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
    const rv = scale?.metadata?.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(t.def)} "${t.name}": the object has been modified; please apply your changes to the latest version and try again`, { name: t.name, group: t.def.group, kind: t.def.resource });
    }
    const next = { ...current, spec: { ...current.spec, replicas } };
    const updated = dryRun ? next : storeCall(t.def, () => opts.store.update(t.storage, next));
    return sendJson(res, 200, toScale(updated));
  }

  function toScale(o: KubeObject) {
    const selector = o.spec?.selector;
    const selectorString = selector?.matchLabels
      ? Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(',')
      : '';
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
        resourceVersion: o.metadata.resourceVersion,
        creationTimestamp: o.metadata.creationTimestamp,
      },
      spec: { replicas: o.spec?.replicas ?? 0 },
      status: { replicas: o.status?.replicas ?? 0, selector: selectorString },
    };
  }

  async function del(req: http.IncomingMessage, res: http.ServerResponse, t: Target, q: URLSearchParams, dryRun: boolean) {
    if (t.subresource) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const options = await readDeleteOptions(req, q);
    const current = mustGet(t);
    const pre = options.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata.uid)
      throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)
      throw new ApiError(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    if (dryRun) return sendJson(res, 200, present(t.def, current));
    const result = deleteObject(t.storage, current, options);
    return sendJson(res, 200, present(t.def, result));
  }

  async function deleteCollection(req: http.IncomingMessage, res: http.ServerResponse, t: Target, q: URLSearchParams, dryRun: boolean) {
    const options = await readDeleteOptions(req, q);
    const items = opts.store.list(t.storage, { namespace: t.namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined }).items;
    const out = dryRun ? items : items.map((o) => deleteObject(t.storage, o, options));
    return sendJson(res, 200, { kind: `${t.def.kind}List`, apiVersion: apiVersionOf(t.def), metadata: { resourceVersion: opts.store.currentResourceVersion() }, items: out.map((o) => present(t.def, o)) });
  }

  /**
   * Deletes an object the way the API server does: a scheduled pod gets a grace period
   * (deletionTimestamp + deletionGracePeriodSeconds; the pod lifecycle in sim/controllers stops it
   * and removes it), a namespace takes everything in it along. Dependents are the garbage
   * collector's job (sim/controllers, background propagation); with propagationPolicy=Orphan
   * their ownerReferences to this object are removed first, so nothing collects them.
   */
  function deleteObject(storage: string, current: KubeObject, options: any): KubeObject {
    const store = opts.store;
    const policy = options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : 'Background');
    if (storage === 'pods') {
      const grace = options.gracePeriodSeconds ?? current.spec?.terminationGracePeriodSeconds ?? 30;
      const finished = current.status?.phase === 'Succeeded' || current.status?.phase === 'Failed';
      if (grace > 0 && current.spec?.nodeName && !finished) {
        if (current.metadata.deletionTimestamp) return current;
        return store.update(storage, {
          ...current,
          metadata: { ...current.metadata, deletionTimestamp: isoSeconds(new Date(Date.now() + grace * 1000)), deletionGracePeriodSeconds: grace },
        });
      }
    }
    if (storage === 'namespaces') {
      for (const r of new Set(RESOURCES.map(storageOf))) {
        if (CLUSTER_SCOPED.has(r)) continue;
        for (const o of store.listFrozen(r, { namespace: current.metadata.name })) store.delete(r, o.metadata.namespace, o.metadata.name);
      }
      return store.delete(storage, undefined, current.metadata.name) ?? current;
    }
    const uid = current.metadata.uid;
    if (policy === 'Orphan' && uid && current.metadata.namespace) {
      for (const r of ['replicasets', 'pods']) {
        for (const dep of store.listFrozen(r, { namespace: current.metadata.namespace })) {
          if (!dep.metadata.ownerReferences?.some((ref) => ref.uid === uid)) continue;
          const copy = store.get(r, dep.metadata.namespace, dep.metadata.name);
          if (copy) store.update(r, { ...copy, metadata: { ...copy.metadata, ownerReferences: copy.metadata.ownerReferences?.filter((ref) => ref.uid !== uid) } });
        }
      }
    }
    return store.delete(storage, current.metadata.namespace, current.metadata.name) ?? current;
  }

  async function readDeleteOptions(req: http.IncomingMessage, q: URLSearchParams): Promise<any> {
    const raw = await readBody(req);
    let options: any = {};
    if (raw.trim()) {
      try {
        options = JSON.parse(raw);
      } catch (e) {
        throw badRequest(`invalid DeleteOptions: ${(e as Error).message}`);
      }
      if (!options || typeof options !== 'object' || Array.isArray(options)) throw badRequest('DeleteOptions must be an object');
    }
    if (q.has('gracePeriodSeconds')) options.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
    if (q.has('propagationPolicy')) options.propagationPolicy = q.get('propagationPolicy');
    if (options.gracePeriodSeconds !== undefined && !(Number.isInteger(options.gracePeriodSeconds) && options.gracePeriodSeconds >= 0))
      throw badRequest('gracePeriodSeconds must be a non-negative integer');
    if (options.propagationPolicy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(options.propagationPolicy))
      throw badRequest(`propagationPolicy: Unsupported value: "${options.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
    return options;
  }

  function podLog(req: http.IncomingMessage, res: http.ServerResponse, t: Target, q: URLSearchParams) {
    const pod = mustGet(t);
    const names: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
    const initNames: string[] = (pod.spec?.initContainers ?? []).map((c: any) => c.name);
    let container = q.get('container') ?? undefined;
    if (!container) {
      if (names.length !== 1) throw badRequest(`a container name must be specified for pod ${t.name}, choose one of: [${names.join(' ')}]`);
      container = names[0]!;
    }
    if (!names.includes(container) && !initNames.includes(container)) throw badRequest(`container ${container} is not valid for pod ${t.name}`);
    const num = (k: string) => {
      const v = q.get(k);
      if (v === null) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw badRequest(`${k}: Invalid value: "${v}"`);
      return n;
    };
    const readOpts = {
      tailLines: num('tailLines'),
      sinceSeconds: num('sinceSeconds'),
      sinceTime: q.get('sinceTime') ? new Date(q.get('sinceTime')!) : undefined,
      timestamps: q.get('timestamps') === 'true',
      limitBytes: num('limitBytes'),
    };
    if (q.get('previous') === 'true') {
      const status = (pod.status?.containerStatuses ?? []).find((c: any) => c.name === container);
      if (!status?.restartCount) throw badRequest(`previous terminated container "${container}" in pod "${t.name}" not found`);
    }
    const ns = t.namespace!;
    if (q.get('follow') !== 'true') return sendText(res, 200, opts.logs.read(ns, t.name!, container, readOpts));
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const stop = opts.logs.follow(ns, t.name!, container, readOpts, (line) => res.write(line));
    const unwatch = opts.store.watch('pods', { namespace: ns, fieldSelector: `metadata.name=${t.name}`, resourceVersion: opts.store.currentResourceVersion() }, (e) => {
      if (e.type === 'DELETED') finish();
    });
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      stop();
      unwatch();
      res.end();
    }
    req.on('close', finish);
    res.on('close', finish);
  }

  // ------------------------------------------------------------ helpers

  function fieldValidation(def: ResourceDef, body: any, q: URLSearchParams): string[] {
    const mode = q.get('fieldValidation') ?? 'Warn';
    if (mode === 'Ignore') return [];
    const unknown = unknownFields(def.model, body).map((p) => p.replace(/^\./, ''));
    if (!unknown.length) return [];
    if (mode === 'Strict') {
      const what = unknown.map((u) => `unknown field "${u}"`).join(', ');
      throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${what}`);
    }
    return unknown.map((u) => `unknown field \\"${u}\\"`);
  }

  async function handleControls(req: http.IncomingMessage, res: http.ServerResponse, path: string, method: string) {
    try {
      if (path === '/_sim/requests' && method === 'GET') return sendJson(res, 200, requests.toJSON());
      if (path === '/_sim/requests/reset' && method === 'POST') {
        requests.reset();
        return sendJson(res, 200, { ok: true });
      }
      if (path === '/_sim/faults') {
        if (method === 'GET') return sendJson(res, 200, faults.list);
        if (method === 'DELETE') {
          faults.clear();
          return sendJson(res, 200, { ok: true });
        }
        if (method === 'POST') {
          const body = await readObject(req);
          try {
            return sendJson(res, 201, faults.add(body));
          } catch (e) {
            throw badRequest((e as Error).message);
          }
        }
      }
      if (path === '/_sim/reset' && method === 'POST') {
        const raw = await readBody(req);
        let body: any = {};
        if (raw.trim()) {
          try {
            body = JSON.parse(raw);
          } catch {
            throw badRequest('body must be JSON');
          }
        }
        if (!opts.onReset) throw new ApiError(501, 'NotImplemented', 'scenario reset is not wired in this server');
        faults.clear();
        await opts.onReset(typeof body?.scenario === 'string' ? body.scenario : undefined);
        return sendJson(res, 200, { ok: true, scenario: body?.scenario ?? null, resourceVersion: opts.store.currentResourceVersion() });
      }
      if (path === '/_sim/state' && method === 'GET') {
        return sendJson(res, 200, { resourceVersion: opts.store.currentResourceVersion(), watches: opts.store.watchCount() });
      }
      throw new ApiError(404, 'NotFound', `no test control at ${method} ${path}`);
    } catch (e) {
      sendError(res, e);
    }
  }

  return {
    server,
    requests,
    faults,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        // Watches and follows never end by themselves.
        for (const s of sockets) s.destroy();
      });
    },
  };
}

// ------------------------------------------------------------ module helpers

/** gnostic `openapi_v2.Document{swagger: "2.0", info: {title, version}}` in protobuf wire format. */
function openApiV2Protobuf(): Buffer {
  const str = (field: number, v: string) => {
    const b = Buffer.from(v);
    return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
  };
  const info = Buffer.concat([str(1, 'Kubernetes (simulated)'), str(2, SERVER_VERSION.gitVersion)]);
  return Buffer.concat([str(1, '2.0'), Buffer.from([(2 << 3) | 2, info.length]), info]);
}

function qualified(def: ResourceDef) {
  return def.group ? `${def.resource}.${def.group}` : def.resource;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function includeObject(q?: URLSearchParams): IncludeObject {
  const v = q?.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function guardPatch<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PatchError) throw new ApiError(e.code, e.code === 400 ? 'BadRequest' : e.code === 409 ? 'Conflict' : 'Invalid', e.message);
    throw e;
  }
}

function stripDirectiveKeys(v: any): any {
  if (Array.isArray(v)) return v.map(stripDirectiveKeys);
  if (v && typeof v === 'object') {
    const out: any = {};
    for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectiveKeys(x);
    return out;
  }
  return v;
}

function storeCall<T>(def: ResourceDef, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StoreError || (err as Error)?.name === 'StoreError') {
      const e = err as StoreError;
      const msg = e.message.replace(/^(\w+) "/, (_m, r) => `${def.group && r === def.resource ? `${r}.${def.group}` : r} "`);
      const name = /"([^"]*)"/.exec(e.message)?.[1];
      throw new ApiError(e.code, e.reason, msg, { name, kind: def.resource, group: def.group || undefined });
    }
    throw err;
  }
}

/** Parses `/api/v1/...` and `/apis/G/V/...` into a target, or undefined for non-resource paths. */
function parseTarget(path: string, method: string, q: URLSearchParams): Target | undefined {
  let segs: string[];
  try {
    segs = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw badRequest(`malformed URL path "${path}"`);
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else return undefined;
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  let resource: string;
  let name: string | undefined;
  let subresource: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && findResource(group, version, rest[2]!)?.namespaced) {
    namespace = rest[1];
    resource = rest[2]!;
    name = rest[3];
    subresource = rest[4];
    if (rest.length > 5) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  } else {
    resource = rest[0]!;
    name = rest[1];
    subresource = rest[2];
    if (rest.length > 3) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }
  const def = findResource(group, version, resource);
  if (!def) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (def.namespaced && !namespace && name !== undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (subresource && !(def.subresources as string[] | undefined)?.includes(subresource)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const watch = legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';
  let verb: string;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = name === undefined ? (watch ? 'watch' : 'list') : watch ? 'watch' : 'get';
      if (verb === 'watch' && name !== undefined) {
        // A watch on one object is a watch of the collection pinned to its name.
        q.set('fieldSelector', [q.get('fieldSelector'), `metadata.name=${name}`].filter(Boolean).join(','));
        name = undefined;
      }
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
  if ((verb === 'update' || verb === 'patch') && name === undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  if (subresource === 'exec' && (verb === 'get' || verb === 'create')) verb = 'create';
  else if (subresource && verb !== 'get' && verb !== 'update' && verb !== 'patch') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  if (subresource === 'log' && verb !== 'get') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  if (name !== undefined && name === '') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  return { def, storage: storageOf(def), namespace: def.namespaced ? namespace : undefined, name, subresource, verb };
}

/** kind/apiVersion of a body must be those of the URL (or absent). */
function checkTypeMeta(def: ResourceDef, body: any, required = false) {
  const apiVersion = apiVersionOf(def);
  if (body.kind === undefined && body.apiVersion === undefined && !required) {
    body.kind = def.kind;
    body.apiVersion = apiVersion;
    return;
  }
  if (typeof body.kind !== 'string' || !body.kind) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`);
  if (body.kind !== def.kind) throw badRequest(`${body.kind} in version "${def.version}" cannot be handled as a ${def.kind}: no kind "${body.kind}" is registered for version "${apiVersion}"`);
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion)
    throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersion})`);
  body.apiVersion = apiVersion;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  return (await readRaw(req)).toString('utf8');
}

async function readRaw(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readObject(req: http.IncomingMessage): Promise<any> {
  const bytes = await readRaw(req);
  const type = (header(req, 'content-type') ?? 'application/json').split(';')[0]!.trim();
  if (type === 'application/vnd.kubernetes.protobuf') {
    try {
      return decodeKubernetesProtobuf(bytes);
    } catch (e) {
      throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (${(e as Error).message})`);
    }
  }
  if (type === 'application/cbor')
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  const raw = bytes.toString('utf8');
  let body: any;
  try {
    body = type === 'application/yaml' ? parseYaml(raw) : JSON.parse(raw);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized: couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the object provided is unrecognized: must be a JSON object');
  return body;
}

function sendJson(res: http.ServerResponse, code: number, body: unknown, contentType = 'application/json') {
  if (res.headersSent) return res.end();
  const data = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data), 'Cache-Control': 'no-cache, private' });
  res.end(data);
}

function sendText(res: http.ServerResponse, code: number, text: string) {
  res.writeHead(code, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

function sendError(res: http.ServerResponse, err: unknown) {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (err instanceof ApiError) return sendJson(res, err.code, statusBody(err.code, err.reason, err.message, err.details));
  // Duck-typed too: a StoreError from a second copy of the module (tsx ESM/CJS) is still one.
  if (err instanceof StoreError || (err as Error)?.name === 'StoreError') {
    const e = err as StoreError;
    return sendJson(res, e.code, statusBody(e.code, e.reason, e.message));
  }
  console.error('[sim] internal error:', err);
  sendJson(res, 500, statusBody(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`));
}

export { canonicalJson, compileSelectors };
