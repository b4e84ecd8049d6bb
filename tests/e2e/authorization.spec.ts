/**
 * The authorization test: every server action and every guarded route handler, called directly
 * (a crafted POST, as an attacker would) as anonymous, viewer, author, commander and admin, must
 * allow exactly what ROLE_PERMISSIONS grants. Nothing here lists actions by hand:
 * - actions come from the build's server-reference-manifest (id, file, exported name), and each
 *   one's permission is read from its `defineAction({ name, permission })` in the source file;
 *   an action not built with defineAction fails the test;
 * - routes come from app/**\/route.ts; every POST/PUT/PATCH/DELETE must be
 *   `guardRoute('permission', ...)` (or be in PUBLIC_ROUTES below), and guarded GETs are checked too.
 * Each action gets an input no schema accepts (a bare string), so an allowed call fails
 * validation and changes nothing; "allowed" means "not refused as unauthenticated/forbidden".
 */
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { can, PERMISSIONS, type Permission } from '../../lib/auth/permissions';
import { expect, readStack, ROLES, storageStateFor, test, type Role } from './fixtures';

const root = path.resolve(__dirname, '../..');
const PROBE_BODY = JSON.stringify(['authorization-probe']);
const REFUSALS = ['unauthenticated', 'forbidden'];

/** Routes that are public on purpose, with the reason. */
const PUBLIC_ROUTES: Record<string, string> = {
  'app/api/auth/[...nextauth]/route.ts': 'next-auth sign-in, sign-out and session endpoints (sign-in is rate-limited)',
};

type Caller = 'anonymous' | Role;
const CALLERS: Caller[] = ['anonymous', ...ROLES];

type ActionTarget = { kind: 'action'; id: string; file: string; exportedName: string; path: string; permission?: Permission };
type RouteTarget = { kind: 'route'; file: string; method: string; path: string; permission?: Permission };

/** The URL path a page or route file serves, with dynamic segments filled with a probe value. */
function urlPathOf(appFile: string): string {
  const segments = appFile
    .replace(/^app\//, '')
    .replace(/\/?(page|route)(\.tsx?)?$/, '')
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'))
    .map((s) => (s.startsWith('[') ? 'authz-probe' : s));
  return `/${segments.join('/')}`;
}

/** `export const NAME = defineAction({ name: '...', permission: '...' ...` in a source file. */
function definedActions(source: string): Map<string, { name?: string; permission?: string }> {
  const found = new Map<string, { name?: string; permission?: string }>();
  const re = /export\s+const\s+(\w+)\s*(?::[^=]+)?=\s*defineAction\s*(?:<[^(]*>)?\(\s*\{/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const rest = source.slice(m.index + m[0].length);
    const end = rest.search(/\nexport\s/);
    const body = end >= 0 ? rest.slice(0, end) : rest;
    found.set(m[1]!, {
      name: /\bname:\s*['"]([^'"]+)['"]/.exec(body)?.[1],
      permission: /\bpermission:\s*['"]([\w.]+)['"]/.exec(body)?.[1],
    });
  }
  return found;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'generated' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(entry.name)) out.push(p);
  }
  return out;
}

/** Everything to probe, plus the reasons any of it escapes the guards. */
function collectTargets(): { actions: ActionTarget[]; routes: RouteTarget[]; violations: string[] } {
  const violations: string[] = [];
  // The manifest of the build the server is running (scripts/e2e-server.ts serves a private copy).
  const manifestFile = path.join(root, readStack().distDir ?? '.next', 'server/server-reference-manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
    edge: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };

  const actions: ActionTarget[] = [];
  const sources = new Map<string, ReturnType<typeof definedActions>>();
  for (const [id, entry] of Object.entries({ ...manifest.node, ...manifest.edge })) {
    const file = entry.filename ?? '(unknown file)';
    const exportedName = entry.exportedName ?? '(unknown export)';
    if (file.includes('node_modules')) continue;
    if (!sources.has(file)) {
      const full = path.join(root, file);
      sources.set(file, fs.existsSync(full) ? definedActions(fs.readFileSync(full, 'utf8')) : new Map());
    }
    const def = sources.get(file)!.get(exportedName);
    const workers = Object.keys(entry.workers);
    const worker = workers.find((w) => w.endsWith('/page')) ?? workers[0] ?? 'app/page';
    const target: ActionTarget = { kind: 'action', id, file, exportedName, path: urlPathOf(worker) };
    if (!def) violations.push(`${file}: server action "${exportedName}" is not \`export const ${exportedName} = defineAction({...})\``);
    else if (!def.permission || !isPermission(def.permission)) violations.push(`${file}: action "${exportedName}" has no known permission (${def.permission})`);
    else {
      if (def.name !== exportedName) violations.push(`${file}: action "${exportedName}" is named "${def.name}" in defineAction`);
      target.permission = def.permission;
    }
    actions.push(target);
  }

  // 'use server' files whose exports escaped the manifest (not imported anywhere yet) still must
  // be built with defineAction: the next import makes them reachable.
  for (const full of [...walk(path.join(root, 'app')), ...walk(path.join(root, 'lib')), ...walk(path.join(root, 'components'))]) {
    const source = fs.readFileSync(full, 'utf8');
    if (!/^\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*['"]use server['"]/.test(source)) continue;
    const rel = path.relative(root, full);
    const defined = definedActions(source);
    for (const m of source.matchAll(/export\s+(?:async\s+)?(?:function|const|let|var)\s+(\w+)/g)) {
      if (!defined.has(m[1]!)) violations.push(`${rel}: export "${m[1]}" in a 'use server' file is not built with defineAction`);
    }
  }

  const routes: RouteTarget[] = [];
  for (const full of walk(path.join(root, 'app')).filter((f) => /\/route\.tsx?$/.test(f))) {
    const rel = path.relative(root, full);
    const source = fs.readFileSync(full, 'utf8');
    const methods = new Set<string>();
    for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
    for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
      for (const part of m[1]!.split(',')) {
        const name = part.trim().split(/\s+as\s+/).pop()?.trim();
        if (name && /^(GET|POST|PUT|PATCH|DELETE)$/.test(name)) methods.add(name);
      }
    }
    for (const method of methods) {
      const guard = new RegExp(`export\\s+const\\s+${method}\\s*=\\s*guardRoute\\s*(?:<[\\s\\S]*?>)?\\(\\s*['"]([\\w.]+)['"]`).exec(source);
      if (guard && isPermission(guard[1]!)) {
        routes.push({ kind: 'route', file: rel, method, path: urlPathOf(rel), permission: guard[1] });
      } else if (method !== 'GET' && !PUBLIC_ROUTES[rel]) {
        violations.push(`${rel}: ${method} is not \`export const ${method} = guardRoute('<permission>', ...)\` (and not listed as public)`);
      }
    }
  }
  return { actions, routes, violations };
}

function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/** What a caller's call produced: the refusal code, if refused. */
async function probeAction(api: APIRequestContext, baseURL: string, target: ActionTarget): Promise<{ status: number; code?: string; body: string }> {
  const res = await api.post(target.path, {
    headers: { 'Next-Action': target.id, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component', Origin: baseURL },
    data: PROBE_BODY,
    maxRedirects: 0,
  });
  const body = await res.text();
  return { status: res.status(), code: /"code":"([a-z_]+)"/.exec(body)?.[1], body };
}

async function probeRoute(api: APIRequestContext, target: RouteTarget): Promise<{ status: number; code?: string }> {
  const res = await api.fetch(target.path, {
    method: target.method,
    headers: { 'Content-Type': 'application/json', Origin: readStack().baseURL },
    data: target.method === 'GET' ? undefined : '{}',
    maxRedirects: 0,
    timeout: 15_000,
  });
  const text = res.headers()['content-type']?.includes('json') ? await res.text() : '';
  return { status: res.status(), code: /"code":"([a-z_]+)"/.exec(text)?.[1] };
}

test.describe('authorization', () => {
  test('every server action is built with defineAction and every mutating route with guardRoute', () => {
    const { actions, violations } = collectTargets();
    expect(actions.length, 'the build has server actions').toBeGreaterThan(0);
    expect(violations, violations.join('\n')).toEqual([]);
  });

  for (const caller of CALLERS) {
    test(`${caller}: every action and guarded route allows exactly what ROLE_PERMISSIONS grants`, async ({ browser, baseURL }) => {
      test.setTimeout(180_000);
      const base = baseURL ?? readStack().baseURL;
      const { actions, routes } = collectTargets();
      const storageState = caller === 'anonymous' ? undefined : await storageStateFor(browser, caller, base);
      const api = await playwrightRequest.newContext({ baseURL: base, storageState });
      const mismatches: string[] = [];
      try {
        for (const target of actions) {
          if (!target.permission) continue; // reported by the test above
          const allowed = caller !== 'anonymous' && can(caller, target.permission);
          const { status, code, body } = await probeAction(api, base, target);
          const expected = allowed ? 'allowed' : caller === 'anonymous' ? 'unauthenticated' : 'forbidden';
          const where = `action ${target.exportedName} (${target.file}, needs ${target.permission}) via POST ${target.path}`;
          if (status !== 200) mismatches.push(`${where}: HTTP ${status}, expected 200 with a result: ${body.slice(0, 200)}`);
          else if (allowed && code && REFUSALS.includes(code)) mismatches.push(`${where}: refused as ${code}, expected allowed`);
          else if (!allowed && code !== expected) mismatches.push(`${where}: got ${code ?? 'no refusal'}, expected ${expected}`);
        }
        for (const target of routes) {
          const allowed = caller !== 'anonymous' && can(caller, target.permission!);
          // Allowed GETs may be endless streams (SSE); their refusals are what matters here.
          if (allowed && target.method === 'GET') continue;
          const { status, code } = await probeRoute(api, target);
          const where = `route ${target.method} ${target.path} (${target.file}, needs ${target.permission})`;
          if (allowed && (status === 401 || status === 403)) mismatches.push(`${where}: refused with ${status}, expected allowed`);
          if (!allowed) {
            const want = caller === 'anonymous' ? 401 : 403;
            if (status !== want) mismatches.push(`${where}: HTTP ${status} (${code ?? '-'}), expected ${want}`);
          }
        }
      } finally {
        await api.dispose();
      }
      console.log(`[authorization] ${caller}: probed ${actions.length} server actions and ${routes.length} guarded route methods`);
      expect(mismatches, mismatches.join('\n')).toEqual([]);
    });
  }
});
