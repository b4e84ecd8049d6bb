/**
 * An incremental Server-Sent Events parser for fetch-based streaming (EventSource cannot see
 * an HTTP status, and a 401 must stop the retries). Handles chunks split anywhere, CRLF,
 * comments (heartbeats) and multi-line data.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export type SseEvent = { event: string; data: string; id?: string };

export function createSseParser(options: {
  onEvent: (event: SseEvent) => void;
  /** Called for every comment line (`: heartbeat`), so callers can track liveness. */
  onComment?: (text: string) => void;
}): { push(chunk: string): void } {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;

  function dispatch() {
    if (data.length > 0) {
      const e: SseEvent = { event: event || 'message', data: data.join('\n') };
      if (id !== undefined) e.id = id;
      options.onEvent(e);
    }
    event = '';
    data = [];
  }

  function line(text: string) {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return options.onComment?.(text.slice(1).trimStart());
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }

  return {
    push(chunk: string) {
      buffer += chunk;
      for (;;) {
        const m = /\r\n|\r|\n/.exec(buffer);
        if (!m) break;
        // A lone \r at the very end may be the first half of \r\n: wait for more.
        if (m[0] === '\r' && m.index === buffer.length - 1) break;
        line(buffer.slice(0, m.index));
        buffer = buffer.slice(m.index + m[0].length);
      }
    },
  };
}

/** Formats one SSE message (server side). */
export function formatSseEvent(event: string, data: unknown): string {
  const json = JSON.stringify(data);
  return `event: ${event}\ndata: ${json}\n\n`;
}
