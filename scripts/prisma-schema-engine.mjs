#!/usr/bin/env node
/**
 * A drop-in `schema-engine` for the Prisma CLI that needs no download: Prisma's own schema engine
 * compiled to WebAssembly (@prisma/schema-engine-wasm, same version as the CLI), talking to
 * Postgres through @prisma/adapter-pg. Name it in PRISMA_SCHEMA_ENGINE_BINARY and every migrate
 * command works offline (`npm run prisma -- migrate deploy|diff|status|dev --create-only`).
 *
 * Protocol (what node_modules/prisma/build/index.js expects from the native binary): the CLI runs
 * `schema-engine --datamodels FILE... --datasource JSON`, writes one JSON-RPC 2.0 request per line
 * on stdin, reads one response per line on stdout, and reads JSON log lines
 * (`{"level":"ERROR","fields":{"message":...}}`) on stderr. It closes stdin to stop the engine.
 *
 * @see https://github.com/prisma/prisma-engines/tree/main/schema-engine/schema-engine-wasm
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    if (arg === '--datamodels') out.datamodels.push(next());
    else if (arg === '--datasource') out.datasource = JSON.parse(next());
    else if (arg === '--version' || arg === '-V') out.version = true;
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') next();
  }
  return out;
}

function log(level, message) {
  process.stderr.write(`${JSON.stringify({ level, fields: { message } })}\n`);
}

/**
 * pg config from separate fields, never `connectionString`: adapter-pg opens the shadow database
 * with `{ ...config, database }`, and a connection string would silently win over `database`.
 */
function pgConfigFromUrl(url) {
  const u = new URL(url);
  const config = {
    host: decodeURIComponent(u.hostname) || '127.0.0.1',
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
  };
  const host = u.searchParams.get('host'); // unix socket directory
  if (host) config.host = host;
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode && sslmode !== 'disable') {
    config.ssl = sslmode === 'require' || sslmode === 'prefer' ? { rejectUnauthorized: false } : true;
  }
  return config;
}

/**
 * adapter-pg 7 has no column type for Postgres's internal `"char"` (OID 18), which the engine's
 * introspection queries return (e.g. pg_constraint.contype) and read as a Rust `char`: report
 * those columns as Character instead of failing with "Unsupported column type char".
 */
function patchCharType(adapter, characterType) {
  let proto = Object.getPrototypeOf(adapter);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'performIO')) proto = Object.getPrototypeOf(proto);
  if (!proto || proto.__charPatched) return;
  const performIO = proto.performIO;
  const queryRaw = proto.queryRaw;
  proto.queryRaw = async function patchedQueryRaw(query) {
    const charColumns = [];
    // A per-call view of the adapter whose performIO notes the "char" columns of this result.
    const view = Object.create(this, {
      performIO: {
        value: async (q) => {
          const result = await performIO.call(this, q);
          result?.fields?.forEach((field, index) => {
            if (field.dataTypeID === 18) {
              field.dataTypeID = 25;
              charColumns.push(index);
            }
          });
          return result;
        },
      },
    });
    const result = await queryRaw.call(view, query);
    for (const index of charColumns) result.columnTypes[index] = characterType;
    return result;
  };
  proto.__charPatched = true;
}

/**
 * adapter-pg runs a script by splitting it on every `;`, which breaks function bodies and
 * comments; send it whole instead, as one simple query, like the native engine does.
 */
function patchExecuteScript(adapter) {
  let proto = Object.getPrototypeOf(adapter);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'executeScript')) proto = Object.getPrototypeOf(proto);
  if (!proto || proto.__scriptPatched) return;
  proto.executeScript = async function executeScript(script) {
    try {
      await this.client.query(script);
    } catch (error) {
      this.onError(error);
    }
  };
  proto.__scriptPatched = true;
}

async function loadWasmEngine() {
  // The WASM build reports a Rust panic's message here before it aborts.
  globalThis.PRISMA_WASM_PANIC_REGISTRY = {
    message: '',
    set_message(message) {
      this.message = message;
      log('ERROR', `schema engine panic: ${message}`);
    },
  };
  const bgFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const pkgDir = path.dirname(bgFile);
  // The package imports its .wasm as an ES module, which Node 20 cannot; instantiate it by hand.
  const bg = await import(pathToFileURL(bgFile).href);
  const bytes = fs.readFileSync(path.join(pkgDir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bg;
}

async function createAdapterFactory(datasource) {
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const adapterRequire = createRequire(require.resolve('@prisma/adapter-pg'));
  const { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } = adapterRequire('@prisma/driver-adapter-utils');
  const url = datasource?.url ?? 'postgresql://unset@127.0.0.1:1/unset';
  const config = pgConfigFromUrl(url);
  const factory = new PrismaPg(config);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    patchCharType(adapter, ColumnTypeEnum.Character);
    patchExecuteScript(adapter);
    return adapter;
  };
  if (datasource?.shadowDatabaseUrl) {
    // A configured shadow database is used as is (the engine resets it before use).
    const shadow = new PrismaPg(pgConfigFromUrl(datasource.shadowDatabaseUrl));
    factory.connectToShadowDb = async () => {
      const adapter = await shadow.connect();
      patchCharType(adapter, ColumnTypeEnum.Character);
      patchExecuteScript(adapter);
      return adapter;
    };
  } else {
    // adapter-pg drops its temporary shadow database while its own pool is still connected, so
    // the DROP fails ("being accessed by other users") and the database is left behind: close
    // the pool first, then drop.
    factory.connectToShadowDb = async () => {
      const main = await factory.connect();
      const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
      await main.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = await new PrismaPg({ ...config, database }).connect();
      patchCharType(shadow, ColumnTypeEnum.Character);
      patchExecuteScript(shadow);
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        try {
          await dispose();
          await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
        } finally {
          await main.dispose();
        }
      };
      return shadow;
    };
  }
  return bindMigrationAwareSqlAdapterFactory(factory);
}

function errorText(error) {
  if (error instanceof Error) return error.message;
  try {
    return typeof error === 'string' ? error : JSON.stringify(error);
  } catch {
    return String(error);
  }
}

const NEEDS_EXTERNAL_SHADOW = 'must be provided through an external factory';

/**
 * In this WASM build, createMigration and evaluateDataLoss (used by `migrate dev`) do not get the
 * adapter's shadow-database factory, so they fail on Postgres. Recompute them with `diff`, which
 * does: migrations (replayed in a shadow database) → the schema. Without data-loss warnings.
 */
const FALLBACKS = {
  async evaluateDataLoss(engine, input) {
    const script = await diffScript(engine, input);
    return { migrationSteps: script ? 1 : 0, unexecutableSteps: [], warnings: [] };
  },
  async createMigration(engine, input) {
    const script = await diffScript(engine, input);
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const name = input.migrationName ? `${stamp}_${input.migrationName}` : stamp;
    return {
      connectorType: 'postgresql',
      generatedMigrationName: name,
      extension: 'sql',
      migrationScript: script || (input.draft ? '-- This is an empty migration.' : null),
    };
  },
};

async function diffScript(engine, input) {
  const result = await engine.diff({
    from: { tag: 'migrations', ...input.migrationsList },
    to: { tag: 'schemaDatamodel', files: input.schema.files },
    script: true,
    exitCode: null,
    filters: input.filters ?? { externalTables: [], externalEnums: [] },
  });
  const script = (result?.stdout ?? '').trim();
  return script && script !== '-- This is an empty migration.' ? `${script}\n` : '';
}

/** CLI method names that differ from the WASM engine's. */
const METHOD_ALIASES = { getDatabaseVersion: 'version' };

function toRpcError(error) {
  // The WASM engine rejects with user-facing errors shaped like the native engine's JSON-RPC
  // `data` ({ message, error_code, meta, is_panic }); pass them through when present.
  let data = error && typeof error === 'object' ? error : undefined;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  if (error instanceof Error) {
    try {
      const parsed = JSON.parse(error.message);
      if (parsed && typeof parsed === 'object') data = parsed;
    } catch {
      data = undefined;
    }
  }
  const rpcData =
    data && typeof data.message === 'string'
      ? { ...data, is_panic: Boolean(data.is_panic) }
      : { message: message ?? 'unknown error', is_panic: false };
  return { code: 4466, message: 'An error happened. Check the data field for details.', data: rpcData };
}

/**
 * One-shot commands, `schema-engine --datasource JSON cli <command>`: the CLI uses them to check
 * the database exists and to create it. Errors are JSON lines on stderr after a first line.
 */
async function runCliCommand(command, datasource) {
  const { default: pg } = await import('pg');
  const config = pgConfigFromUrl(datasource?.url ?? '');
  const where = `${config.host}:${config.port}`;
  const fail = (error) => {
    let code = 'P1001';
    let message = `Can't reach database server at \`${where}\``;
    if (error?.code === '3D000') {
      code = 'P1003';
      message = `Database \`${config.database}\` does not exist on the database server at \`${where}\`.`;
    } else if (error?.code === '28P01' || error?.code === '28000') {
      code = 'P1000';
      message = `Authentication failed against database server at \`${where}\`: ${error.message}`;
    } else if (error?.code === '42P04') {
      code = 'P1009';
      message = `Database \`${config.database}\` already exists on the database server at \`${where}\``;
    } else if (error?.message && !['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT'].includes(error.code)) {
      code = 'P1000';
      message = error.message;
    }
    const line = JSON.stringify({ level: 'ERROR', target: 'schema_engine::logger', fields: { error_code: code, message } });
    process.stderr.write(`\n${line}`);
    process.exitCode = 1;
  };
  const withClient = async (database, fn) => {
    const client = new pg.Client({ ...config, database });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const quoted = `"${config.database.replace(/"/g, '""')}"`;
  try {
    if (command === 'can-connect-to-database') await withClient(config.database, (c) => c.query('SELECT 1'));
    else if (command === 'create-database') await withClient('postgres', (c) => c.query(`CREATE DATABASE ${quoted}`));
    else if (command === 'drop-database') await withClient('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${quoted}`));
    else throw new Error(`The offline schema engine does not support \`cli ${command}\`.`);
  } catch (error) {
    fail(error);
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const cliIndex = argv.indexOf('cli');
  if (cliIndex !== -1) {
    const { datasource } = parseArgs(argv.slice(0, cliIndex));
    await runCliCommand(argv[cliIndex + 1], datasource);
    return;
  }
  const args = parseArgs(argv);
  const bg = await loadWasmEngine();
  if (args.version) {
    process.stdout.write(`schema-engine-wasm ${bg.version?.() ?? ''}\n`);
    return;
  }
  const datamodels = args.datamodels.map((file) => [file, fs.readFileSync(file, 'utf8')]);
  const adapterFactory = await createAdapterFactory(args.datasource);
  const onLog = (line) => {
    if (typeof line === 'string' && line.startsWith('{')) process.stderr.write(`${line}\n`);
    else log('INFO', String(line));
  };
  const engine = await bg.SchemaEngine.new({ datamodels: datamodels.length ? datamodels : undefined }, onLog, adapterFactory);

  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  let queue = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      log('ERROR', `schema engine: cannot parse request ${line.slice(0, 200)}`);
      return;
    }
    if (request.method === undefined) return; // a response to one of our requests (none are sent)
    // One request at a time, in order, like the native engine.
    queue = queue.then(async () => {
      const method = METHOD_ALIASES[request.method] ?? request.method;
      try {
        if (typeof engine[method] !== 'function') throw new Error(`The offline schema engine does not support ${request.method}.`);
        const params = request.params ?? {};
        let result;
        try {
          result = await engine[method](params);
        } catch (error) {
          if (!FALLBACKS[method] || !errorText(error).includes(NEEDS_EXTERNAL_SHADOW)) throw error;
          result = await FALLBACKS[method](engine, params);
        }
        // The native engine prints (e.g. `migrate diff` output) through a `print` request to the
        // CLI, which writes it to its stdout (and captures it for --output); WASM returns it.
        if (result && typeof result === 'object' && typeof result.stdout === 'string') {
          if (result.stdout.length > 0) {
            send({ jsonrpc: '2.0', id: `print-${request.id}`, method: 'print', params: { content: result.stdout.replace(/\n$/, '') } });
          }
          result.stdout = null;
        }
        send({ jsonrpc: '2.0', id: request.id, result: result ?? null });
      } catch (error) {
        log('ERROR', error instanceof Error ? error.message : String(error));
        send({ jsonrpc: '2.0', id: request.id, error: toRpcError(error) });
      }
    });
  });
  rl.on('close', () => {
    queue.then(() => process.exit(0));
  });
}

main().catch((error) => {
  log('ERROR', error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
