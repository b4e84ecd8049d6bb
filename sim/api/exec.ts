/**
 * `kubectl exec` over the WebSocket remote-command protocol (`v5.channel.k8s.io`, kubectl 1.30+):
 * channel 0 stdin, 1 stdout, 2 stderr, 3 the final Status, 255 "stream closed". The simulation has
 * no containers, so what runs is decided by a resolver: the database pod's `psql`/`pg_dump`/
 * `pg_restore` run for real against the application's PostgreSQL (connection given in PG*
 * variables, the pod-local -U/-h/-p/-d arguments dropped); anything else is refused with a Status.
 * kubectl older than 1.30 only speaks SPDY and gets "unable to upgrade".
 * @see https://github.com/kubernetes/enhancements/tree/master/keps/sig-api-machinery/4006-transition-spdy-to-websockets
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../store';

export type ExecRequest = { namespace: string; pod: KubeObject; container: string; command: string[]; stdin: boolean };
export type ExecPlan = { file: string; args: string[]; env?: Record<string, string> } | { error: string };
export type ExecResolver = (r: ExecRequest) => ExecPlan;

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const PROTOCOL = 'v5.channel.k8s.io';

/** Completes the WebSocket handshake and runs the command; returns false if this is not a WebSocket exec. */
export function serveExec(req: http.IncomingMessage, socket: Duplex, plan: ExecPlan): boolean {
  const key = req.headers['sec-websocket-key'];
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (typeof key !== 'string' || !protocols.includes(PROTOCOL)) return false;
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' + `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${PROTOCOL}\r\n\r\n`,
  );
  const send = (channel: number, data: Buffer | string) => {
    if (socket.destroyed) return;
    const payload = Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data)]);
    socket.write(frame(0x2, payload));
  };
  const finish = (status: object) => {
    send(3, JSON.stringify(status));
    if (!socket.destroyed) socket.end(frame(0x8, Buffer.from([0x03, 0xe8])));
  };
  if ('error' in plan) {
    finish({ metadata: {}, status: 'Failure', message: plan.error, reason: 'InternalError', code: 500 });
    return true;
  }
  const child = spawn(plan.file, plan.args, { env: { ...process.env, ...(plan.env ?? {}) }, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => send(1, d));
  child.stderr.on('data', (d: Buffer) => send(2, d));
  child.stdin.on('error', () => {});
  child.on('error', (err) => finish({ metadata: {}, status: 'Failure', message: `exec failed: ${err.message}`, reason: 'InternalError', code: 500 }));
  child.on('close', (code) => {
    if (code === 0) finish({ metadata: {}, status: 'Success' });
    else
      finish({
        metadata: {},
        status: 'Failure',
        message: `command terminated with non-zero exit code: exit status ${code}`,
        reason: 'NonZeroExitCode',
        details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
      });
  });
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const f = parseFrame(buf);
      if (!f) break;
      buf = buf.subarray(f.length);
      if (f.opcode === 0x8) {
        child.stdin.end();
        continue;
      }
      if (f.opcode === 0x9) {
        socket.write(frame(0xa, f.payload));
        continue;
      }
      if ((f.opcode === 0x2 || f.opcode === 0x0) && f.payload.length) {
        const channel = f.payload[0];
        if (channel === 0) child.stdin.write(f.payload.subarray(1));
        else if (channel === 255 && f.payload[1] === 0) child.stdin.end();
      }
    }
  });
  socket.on('close', () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  socket.on('error', () => {});
  return true;
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 255]) : Buffer.alloc(10);
  if (len >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

function parseFrame(buf: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let pos = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    pos = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    pos = 10;
  }
  const maskKey = masked ? buf.subarray(pos, pos + 4) : undefined;
  if (masked) pos += 4;
  if (buf.length < pos + len) return undefined;
  const payload = Buffer.from(buf.subarray(pos, pos + len));
  if (maskKey) for (let i = 0; i < payload.length; i++) payload[i]! ^= maskKey[i % 4]!;
  return { opcode, payload, length: pos + len };
}

/** Short options that take a value, per tool (so their values are not taken for positionals). */
const VALUE_OPTS: Record<string, Set<string>> = {
  psql: new Set(['-c', '-d', '-f', '-h', '-L', '-o', '-p', '-P', '-R', '-T', '-U', '-v', '-F']),
  pg_dump: new Set(['-d', '-f', '-F', '-h', '-p', '-U', '-t', '-T', '-n', '-N', '-j', '-Z', '-E']),
  pg_restore: new Set(['-d', '-f', '-F', '-h', '-p', '-U', '-t', '-n', '-N', '-j', '-I', '-P', '-T', '-L', '-S']),
};
const DROP_WITH_VALUE = new Set(['-U', '-h', '-p', '-d', '--username', '--host', '--port', '--dbname']);
const LONG_VALUE_OPTS = new Set(['--command', '--dbname', '--file', '--host', '--log-file', '--output', '--port', '--pset', '--record-separator', '--table-attr', '--username', '--variable', '--set', '--field-separator']);

/**
 * Runs the PostgreSQL client tools of the database pod against the application's real database:
 * the connection comes from `databaseUrl` (PG* variables), the pod-local user, host, port and
 * database arguments are dropped (inside the pod they name that same database).
 */
export function databaseExecResolver(options: { databaseUrl: string; isDatabasePod: (pod: KubeObject) => boolean }): ExecResolver {
  const url = new URL(options.databaseUrl);
  const env: Record<string, string> = {
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
    PGDATABASE: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
  };
  return ({ pod, command }) => {
    if (!options.isDatabasePod(pod))
      return { error: `exec is simulated only for the database pod; "${command.join(' ')}" cannot run in ${pod.metadata.name}` };
    const [tool, ...rest] = command;
    if (!tool || !['psql', 'pg_dump', 'pg_restore'].includes(tool)) return { error: `exec in ${pod.metadata.name} simulates psql, pg_dump and pg_restore only, not "${tool ?? ''}"` };
    const args: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (DROP_WITH_VALUE.has(a)) {
        i++;
        continue;
      }
      if (/^(-[Uhpd].+|--(username|host|port|dbname)=.*)$/.test(a)) continue;
      if (VALUE_OPTS[tool]!.has(a) || LONG_VALUE_OPTS.has(a)) {
        args.push(a, rest[++i] ?? '');
        continue;
      }
      if (!a.startsWith('-') && (tool === 'psql' || tool === 'pg_dump')) {
        // psql [DBNAME [USERNAME]], pg_dump [DBNAME]: the pod's database is the one we connect to.
        continue;
      }
      args.push(a);
    }
    return { file: tool, args, env };
  };
}
