/**
 * Decoding of the Kubernetes protobuf request bodies kubectl sends from its typed clients
 * (`kubectl create configmap|secret|namespace`): the `k8s\0` magic, the `runtime.Unknown`
 * envelope, and the messages of those three kinds. Other kinds get a 415 from the caller.
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#protobuf-encoding
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- decoded objects are arbitrary Kubernetes JSON */
type Fields = Map<number, (number | bigint | Buffer)[]>;

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [result, pos];
    shift += 7n;
    if (shift > 70n) throw new Error('varint too long');
  }
}

/** Splits a message into its fields (varints as bigint, length-delimited as Buffer). */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    pos = p1;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    let value: bigint | Buffer;
    if (wire === 0) [value, pos] = readVarint(buf, pos);
    else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      const end = p2 + Number(len);
      if (end > buf.length) throw new Error('truncated field');
      value = buf.subarray(p2, end);
      pos = end;
    } else if (wire === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

const str = (f: Fields, n: number) => (f.get(n)?.[0] as Buffer | undefined)?.toString('utf8');
const num = (f: Fields, n: number) => (f.get(n)?.[0] !== undefined ? Number(f.get(n)![0] as bigint) : undefined);
const strs = (f: Fields, n: number) => (f.get(n) ?? []).map((b) => (b as Buffer).toString('utf8'));

function map(f: Fields, n: number, bytes = false): Record<string, string> | undefined {
  const entries = f.get(n);
  if (!entries) return undefined;
  const out: Record<string, string> = {};
  for (const e of entries) {
    const kv = fields(e as Buffer);
    const v = kv.get(2)?.[0] as Buffer | undefined;
    out[str(kv, 1) ?? ''] = bytes ? (v ?? Buffer.alloc(0)).toString('base64') : (v?.toString('utf8') ?? '');
  }
  return out;
}

function objectMeta(buf: Buffer | undefined): any {
  if (!buf) return {};
  const f = fields(buf);
  const meta: any = {};
  const set = (k: string, v: unknown) => {
    if (v !== undefined && v !== '') meta[k] = v;
  };
  set('name', str(f, 1));
  set('generateName', str(f, 2));
  set('namespace', str(f, 3));
  set('resourceVersion', str(f, 6));
  set('labels', map(f, 11));
  set('annotations', map(f, 12));
  const finalizers = strs(f, 14);
  if (finalizers.length) meta.finalizers = finalizers;
  return meta;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Whether a body is a Kubernetes protobuf envelope. */
export function isKubernetesProtobuf(body: Buffer): boolean {
  return body.length >= 4 && body.subarray(0, 4).equals(MAGIC);
}

/** Decodes a protobuf ConfigMap, Secret or Namespace to its JSON form; throws for anything else. */
export function decodeKubernetesProtobuf(body: Buffer): any {
  if (!isKubernetesProtobuf(body)) throw new Error('missing k8s protobuf magic');
  const unknown = fields(body.subarray(4));
  const typeMeta = fields((unknown.get(1)?.[0] as Buffer | undefined) ?? Buffer.alloc(0));
  const apiVersion = str(typeMeta, 1) ?? '';
  const kind = str(typeMeta, 2) ?? '';
  const raw = fields((unknown.get(2)?.[0] as Buffer | undefined) ?? Buffer.alloc(0));
  const metadata = objectMeta(raw.get(1)?.[0] as Buffer | undefined);
  if (apiVersion === 'v1' && kind === 'ConfigMap') {
    const o: any = { apiVersion, kind, metadata };
    const data = map(raw, 2);
    const binaryData = map(raw, 3, true);
    if (data) o.data = data;
    if (binaryData) o.binaryData = binaryData;
    if (num(raw, 4) !== undefined) o.immutable = num(raw, 4) === 1;
    return o;
  }
  if (apiVersion === 'v1' && kind === 'Secret') {
    const o: any = { apiVersion, kind, metadata };
    const data = map(raw, 2, true);
    if (data) o.data = data;
    if (str(raw, 3)) o.type = str(raw, 3);
    const stringData = map(raw, 4);
    if (stringData) o.stringData = stringData;
    if (num(raw, 5) !== undefined) o.immutable = num(raw, 5) === 1;
    return o;
  }
  if (apiVersion === 'v1' && kind === 'Namespace') {
    const spec = fields((raw.get(2)?.[0] as Buffer | undefined) ?? Buffer.alloc(0));
    const finalizers = strs(spec, 1);
    return { apiVersion, kind, metadata, ...(finalizers.length ? { spec: { finalizers } } : {}) };
  }
  throw new Error(`protobuf bodies of ${apiVersion}/${kind} are not supported by the simulation; send JSON`);
}
