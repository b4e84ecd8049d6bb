/** One log line, split from the API server's RFC 3339 timestamp when `timestamps=true`. */
export type LogLine = { pod: string; container: string; timestamp: string | null; text: string };

const TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))\s(.*)$/s;

/** Splits a log body into lines (the trailing newline does not make an empty line). */
export function parseLogText(text: string, opts: { pod: string; container: string; timestamps: boolean }): LogLine[] {
  if (text === '') return [];
  const raw = text.endsWith('\n') ? text.slice(0, -1) : text;
  return raw.split('\n').map((l) => parseLogLine(l, opts));
}

export function parseLogLine(line: string, opts: { pod: string; container: string; timestamps: boolean }): LogLine {
  const l = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (opts.timestamps) {
    const m = TS.exec(l);
    if (m) return { pod: opts.pod, container: opts.container, timestamp: m[1]!, text: m[2]! };
  }
  return { pod: opts.pod, container: opts.container, timestamp: null, text: l };
}

/** Lines of several pods in time order (stable for equal or missing timestamps). */
export function mergeLogLines(groups: LogLine[][]): LogLine[] {
  const all = groups.flatMap((g, gi) => g.map((l, i) => ({ l, gi, i })));
  all.sort((a, b) => {
    if (a.l.timestamp && b.l.timestamp && a.l.timestamp !== b.l.timestamp) return Date.parse(a.l.timestamp) - Date.parse(b.l.timestamp) || a.l.timestamp.localeCompare(b.l.timestamp);
    return a.gi - b.gi || a.i - b.i;
  });
  return all.map((x) => x.l);
}
