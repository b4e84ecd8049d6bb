/**
 * The timeline is append-only in the database itself: UPDATE, DELETE and TRUNCATE on
 * "TimelineEvent" are refused for every client, while a superuser can still switch triggers off
 * for one session (how the timeline's tamper-detection test edits history).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { resetEnvForTests } from '@/lib/env';
import { createTestDatabase, type TestDatabase } from '@/tests/support/db';

let t: TestDatabase;
let eventId = '';

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  resetEnvForTests();
  const commander = await db.user.create({ data: { email: 'ic@example.test', name: 'Ada', role: 'commander' } });
  const incident = await db.incident.create({
    data: {
      key: 'INC-TEST-001',
      title: 'orchestrator v0.2.0 failing',
      severity: 'SEV1',
      clusterContext: 'sim',
      namespace: 'llm-orchestrator',
      deployment: 'orchestrator',
      detectedAt: new Date(),
      commanderId: commander.id,
    },
  });
  const event = await db.timelineEvent.create({
    data: {
      incidentId: incident.id,
      seq: 1,
      at: new Date(),
      actorType: 'person',
      actorId: commander.id,
      actorName: 'Ada',
      type: 'incident.declared',
      summary: 'Incident declared',
      prevHash: '0'.repeat(64),
      hash: 'a'.repeat(64),
    },
  });
  eventId = event.id;
});

afterAll(async () => {
  await db.$disconnect();
  await t?.drop();
});

describe('TimelineEvent is append-only', () => {
  it('accepts new events', async () => {
    expect(await db.timelineEvent.count()).toBe(1);
  });

  it('refuses UPDATE through Prisma, with a message that says why', async () => {
    await expect(db.timelineEvent.update({ where: { id: eventId }, data: { summary: 'Nothing happened' } })).rejects.toThrow(
      /append-only/,
    );
    const after = await db.timelineEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(after.summary).toBe('Incident declared');
  });

  it('refuses DELETE and TRUNCATE in plain SQL', async () => {
    await withClient(async (c) => {
      await expect(c.query(`DELETE FROM rollback_console."TimelineEvent"`)).rejects.toThrow(
        'TimelineEvent is append-only: DELETE is not allowed',
      );
      await expect(c.query(`TRUNCATE rollback_console."TimelineEvent"`)).rejects.toThrow(
        'TimelineEvent is append-only: TRUNCATE is not allowed',
      );
      await expect(c.query(`UPDATE rollback_console."TimelineEvent" SET hash = 'x'`)).rejects.toThrow(
        'TimelineEvent is append-only: UPDATE is not allowed',
      );
    });
    expect(await db.timelineEvent.count()).toBe(1);
  });

  it('lets a superuser bypass it for one session (session_replication_role = replica)', async () => {
    await withClient(async (c) => {
      await c.query('SET session_replication_role = replica');
      const res = await c.query(`UPDATE rollback_console."TimelineEvent" SET summary = 'tampered' WHERE id = $1`, [eventId]);
      expect(res.rowCount).toBe(1);
    });
    const after = await db.timelineEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(after.summary).toBe('tampered');
    // Other sessions are still refused.
    await withClient(async (c) => {
      await expect(c.query(`DELETE FROM rollback_console."TimelineEvent"`)).rejects.toThrow(/append-only/);
    });
  });
});
