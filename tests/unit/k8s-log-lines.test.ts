import { describe, expect, it } from 'vitest';
import { mergeLogLines, parseLogText } from '@/lib/k8s/log-lines';

describe('log lines', () => {
  it('splits the server timestamp from the text', () => {
    expect(parseLogText('2026-11-28T06:07:27.707000000Z ERROR boom\n2026-11-28T06:07:28Z INFO ok\n', { pod: 'p', container: 'c', timestamps: true })).toEqual([
      { pod: 'p', container: 'c', timestamp: '2026-11-28T06:07:27.707000000Z', text: 'ERROR boom' },
      { pod: 'p', container: 'c', timestamp: '2026-11-28T06:07:28Z', text: 'INFO ok' },
    ]);
    expect(parseLogText('', { pod: 'p', container: 'c', timestamps: true })).toEqual([]);
    expect(parseLogText('no ts here', { pod: 'p', container: 'c', timestamps: false })[0]).toMatchObject({ timestamp: null, text: 'no ts here' });
  });
  it('merges pods in time order', () => {
    const a = parseLogText('2026-01-01T00:00:01Z a1\n2026-01-01T00:00:03Z a3\n', { pod: 'a', container: 'c', timestamps: true });
    const b = parseLogText('2026-01-01T00:00:02Z b2\n', { pod: 'b', container: 'c', timestamps: true });
    expect(mergeLogLines([a, b]).map((l) => l.text)).toEqual(['a1', 'b2', 'a3']);
  });
});
