import 'server-only';

export type ProbeResult = { status: number; json?: unknown; text?: string; error?: string; ms: number };

/** One HTTP request to the application (health, smoke, metrics); never throws, 5 s timeout. */
export async function httpProbe(method: string, url: string, body?: unknown): Promise<ProbeResult> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/json' } : undefined,
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, ms: Date.now() - started };
  } catch (error) {
    return { status: 0, error: error instanceof Error ? error.message : String(error), ms: Date.now() - started };
  }
}
