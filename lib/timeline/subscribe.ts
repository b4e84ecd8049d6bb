import 'server-only';
import { Client } from 'pg';
import { env } from '@/lib/env';

/** Postgres channel appendEvent notifies on (kept in sync with append-event.ts). */
const CHANNEL = 'timeline_events';

/**
 * What a subscriber hears: a new event's seq, or `resync` after the LISTEN connection was lost
 * and re-established (notifications sent meanwhile are gone: re-read the DB after your last seq).
 */
export type TimelineSignal = { incidentId: string; seq: number } | { incidentId: string; resync: true };

type Handler = (signal: TimelineSignal) => void;

/**
 * ONE `LISTEN timeline_events` connection per server process, fanned out in-process by incident,
 * so a hundred open incident pages cost Postgres one connection. Reconnects with backoff; after a
 * reconnect every subscriber gets `resync` and replays from the DB, so nothing is missed.
 * Appends from any process (other replicas, jobs, scripts) arrive here through Postgres.
 */
export class TimelineListener {
  private readonly handlers = new Map<string, Set<Handler>>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = 250;
  private closed = false;
  private everConnected = false;

  constructor(private readonly connectionString: string) {}

  /**
   * Calls `onSignal` for every event committed on `incidentId` from now on. Returns the
   * unsubscribe function. `ready()` resolves once the LISTEN is active.
   */
  subscribe(incidentId: string, onSignal: Handler): () => void {
    let set = this.handlers.get(incidentId);
    if (!set) this.handlers.set(incidentId, (set = new Set()));
    set.add(onSignal);
    void this.ready().catch(() => {});
    return () => {
      const current = this.handlers.get(incidentId);
      current?.delete(onSignal);
      if (current && current.size === 0) this.handlers.delete(incidentId);
    };
  }

  /** Number of subscribers (for tests and diagnostics). */
  get subscriberCount(): number {
    let n = 0;
    for (const set of this.handlers.values()) n += set.size;
    return n;
  }

  /** Resolves when the LISTEN connection is up (connecting it if needed). */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('TimelineListener is closed'));
    if (this.client) return Promise.resolve();
    if (!this.connecting) {
      this.connecting = this.connect().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  /** Closes the connection; subscribers hear nothing more. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    this.handlers.clear();
    if (client) await client.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString, application_name: 'rollback-console:timeline-listen' });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const parsed = JSON.parse(message.payload) as { incidentId?: unknown; seq?: unknown };
        if (typeof parsed.incidentId === 'string' && typeof parsed.seq === 'number') {
          this.dispatch(parsed.incidentId, { incidentId: parsed.incidentId, seq: parsed.seq });
        }
      } catch {
        // Not ours; ignore.
      }
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      this.scheduleReconnect();
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.retryDelay = 250;
    if (this.everConnected) {
      for (const incidentId of this.handlers.keys()) this.dispatch(incidentId, { incidentId, resync: true });
    }
    this.everConnected = true;
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    void client.end().catch(() => {});
    this.everConnected = true;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closed || this.client || this.connecting) return;
      void this.ready().catch(() => {});
    }, delay);
    this.retryTimer.unref?.();
  }

  private dispatch(incidentId: string, signal: TimelineSignal): void {
    const set = this.handlers.get(incidentId);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        handler(signal);
      } catch (error) {
        console.error('[timeline] subscriber failed:', error);
      }
    }
  }
}

const globalForListener = globalThis as typeof globalThis & { __timelineListener?: { url: string; listener: TimelineListener } };

/** This process's listener on DATABASE_URL (created on first use, replaced if the URL changes). */
export function getTimelineListener(): TimelineListener {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: live timeline updates need the console database.');
  const held = globalForListener.__timelineListener;
  if (held && held.url === url) return held.listener;
  if (held) void held.listener.close();
  const listener = new TimelineListener(url);
  globalForListener.__timelineListener = { url, listener };
  return listener;
}

/**
 * Hear of every event committed on one incident, from any server process.
 * @returns unsubscribe
 */
export function subscribeToTimeline({ incidentId, onSignal }: { incidentId: string; onSignal: Handler }): () => void {
  return getTimelineListener().subscribe(incidentId, onSignal);
}
