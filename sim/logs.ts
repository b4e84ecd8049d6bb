/**
 * Container logs of the simulated pods: the pod controller and the simulated application append
 * lines, `GET /api/v1/namespaces/NS/pods/NAME/log` reads or follows them. Each container keeps a
 * bounded tail so a long demo does not grow without limit.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#get-read-log-of-the-specified-pod
 */
export type LogReadOptions = { tailLines?: number; sinceSeconds?: number; sinceTime?: Date; timestamps?: boolean; limitBytes?: number };
type Line = { at: Date; text: string };
type Follower = { opts: LogReadOptions; onLine: (formatted: string) => void };

const KEEP_LINES = 2000;

export class LogBook {
  private lines = new Map<string, Line[]>();
  private followers = new Map<string, Set<Follower>>();

  constructor(private options: { keepLines?: number; now?: () => Date } = {}) {}

  append(namespace: string, pod: string, container: string, line: string, at?: Date): void {
    const k = key(namespace, pod, container);
    let list = this.lines.get(k);
    if (!list) this.lines.set(k, (list = []));
    const entry = { at: at ?? this.now(), text: line.replace(/\n$/, '') };
    list.push(entry);
    const keep = this.options.keepLines ?? KEEP_LINES;
    if (list.length > keep) list.splice(0, list.length - keep);
    for (const f of this.followers.get(k) ?? []) f.onLine(format(entry, f.opts));
  }

  /** The container's log as text, one line per entry, each ending in "\n" (like the kubelet). */
  read(namespace: string, pod: string, container: string, opts: LogReadOptions = {}): string {
    return this.select(namespace, pod, container, opts).map((l) => format(l, opts)).join('');
  }

  /** Whether the container ever logged (to tell "no logs yet" from an unknown container). */
  has(namespace: string, pod: string, container: string): boolean {
    return this.lines.has(key(namespace, pod, container));
  }

  /**
   * Sends the selected existing lines, then every new line, to onLine (each formatted and ending
   * in "\n"). Returns the function that stops following.
   */
  follow(namespace: string, pod: string, container: string, opts: LogReadOptions, onLine: (formatted: string) => void): () => void {
    for (const l of this.select(namespace, pod, container, opts)) onLine(format(l, opts));
    const k = key(namespace, pod, container);
    let set = this.followers.get(k);
    if (!set) this.followers.set(k, (set = new Set()));
    const f = { opts, onLine };
    set.add(f);
    return () => {
      set!.delete(f);
    };
  }

  /** Forgets a pod's logs (when the pod is deleted). */
  remove(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const k of [...this.lines.keys()]) if (k.startsWith(prefix)) this.lines.delete(k);
  }

  clear(): void {
    this.lines.clear();
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  private select(namespace: string, pod: string, container: string, opts: LogReadOptions): Line[] {
    let list = this.lines.get(key(namespace, pod, container)) ?? [];
    const since = opts.sinceTime?.getTime() ?? (opts.sinceSeconds !== undefined ? this.now().getTime() - opts.sinceSeconds * 1000 : undefined);
    if (since !== undefined) list = list.filter((l) => l.at.getTime() >= since);
    if (opts.tailLines !== undefined && opts.tailLines >= 0) list = opts.tailLines === 0 ? [] : list.slice(-opts.tailLines);
    if (opts.limitBytes !== undefined) {
      let total = 0;
      const out: Line[] = [];
      for (const l of list) {
        total += format(l, opts).length;
        if (total > opts.limitBytes) break;
        out.push(l);
      }
      list = out;
    }
    return list;
  }
}

function key(namespace: string, pod: string, container: string) {
  return `${namespace}/${pod}/${container}`;
}

/** kubelet timestamps are RFC 3339 with nanoseconds, followed by one space. */
function format(l: Line, opts: LogReadOptions): string {
  const text = l.text + '\n';
  if (!opts.timestamps) return text;
  return l.at.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z') + ' ' + text;
}
