/**
 * The timeline against the real (embedded) Postgres: concurrent appends keep one gapless chain,
 * the database refuses changes, and tampering by a superuser is detected and named.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { createTestDatabase } from '@/tests/support/db';
import { resetEnvForTests } from '@/lib/env';
import { db } from '@/lib/db/client';
import { appendEvent, closeAppendPool } from '@/lib/timeline/append-event';
import { verifyIncidentChain } from '@/lib/timeline/verify-incident-chain';
import { listEvents } from '@/lib/timeline/list-events';
import { verifyChain } from '@/lib/timeline/verify-chain';

const run = promisify(execFile);
// The project's own tsx, without npx's lookup (seconds on a busy machine).
const TSX = path.resolve('node_modules/.bin/tsx');
let url = '';
let drop: () => Promise<void> = async () => {};
let userId = '';

async function newIncident(key: string): Promise<string> {
  const incident = await db.incident.create({
    data: { key, title: `Test ${key}`, severity: 'SEV2', clusterContext: 'sim', namespace: 'llm-orchestrator', deployment: 'orchestrator', detectedAt: new Date(), commanderId: userId },
  });
  return incident.id;
}

async function sql(text: string, params: unknown[] = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const t = await createTestDatabase();
  url = t.url;
  drop = t.drop;
  process.env.DATABASE_URL = url;
  resetEnvForTests();
  const user = await db.user.create({ data: { email: 'ada@example.test', name: 'Ada Commander', role: 'commander' } });
  userId = user.id;
});

afterAll(async () => {
  await closeAppendPool();
  await db.$disconnect();
  await drop();
});

describe('appendEvent', () => {
  it('keeps one gapless, intact chain with 8 concurrent writers (own transactions and callers\' transactions mixed)', async () => {
    const incidentId = await newIncident('INC-CONC-001');
    const perWriter = 15;
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const input = {
            incidentId,
            actor: { type: 'person' as const, id: userId, name: 'Ada Commander' },
            type: 'action.succeeded',
            summary: `writer ${w} event ${i}`,
            payload: { writer: w, i },
            kubectl: 'kubectl rollout undo deployment/orchestrator -n llm-orchestrator',
          };
          // Half the writers record their event inside a transaction of their own, as actions do.
          if (w % 2) await db.$transaction((tx) => appendEvent(input, tx));
          else await appendEvent(input);
        }
      }),
    );
    const events = await listEvents({ incidentId });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 8 * perWriter }, (_, i) => i + 1));
    expect(await verifyIncidentChain({ incidentId })).toMatchObject({ ok: true, count: 8 * perWriter });
  });

  it('commits the event with the caller\'s transaction: a rollback leaves no event and no gap', async () => {
    const incidentId = await newIncident('INC-TX-001');
    const actor = { type: 'system' as const, name: 'Rollback Console' };
    await appendEvent({ incidentId, actor, type: 'incident.declared', summary: 'declared' });
    await expect(
      db.$transaction(async (tx) => {
        await appendEvent({ incidentId, actor, type: 'action.intent', summary: 'will roll back' }, tx);
        throw new Error('the cluster call failed');
      }),
    ).rejects.toThrow('the cluster call failed');
    const next = await appendEvent({ incidentId, actor, type: 'note', summary: 'after the rollback', payload: { markdown: 'after' } });
    expect(next.seq).toBe(2);
    const events = await listEvents({ incidentId });
    expect(events.map((e) => e.summary)).toEqual(['declared', 'after the rollback']);
    expect(verifyChain({ events, incidentId }).ok).toBe(true);
  });

  it('stores exactly what it hashed: awkward payloads still verify after the round trip through Postgres', async () => {
    const incidentId = await newIncident('INC-ODD-001');
    await appendEvent({
      incidentId,
      actor: { type: 'person', id: userId, name: 'Ada "the" Commander\\' },
      type: 'k8s.event',
      summary: "NUL \u0000, quote ' and emoji 🚀 and lone \ud800 surrogate",
      payload: { b: [1, 2.5, -0, 1e21, null, undefined], a: { z: new Date('2026-01-01T00:00:00Z'), '10': 'x', '9': 'y' }, $1: '$2', 'ünï': 'çødé' },
      kubectl: ["kubectl get pods -l 'app in (a,b)'", 'kubectl logs -n x y'],
      at: new Date('2026-11-28T05:00:00.123Z'),
    });
    const [stored] = await listEvents({ incidentId });
    expect(new Date(stored!.at).toISOString()).toBe('2026-11-28T05:00:00.123Z');
    expect(await verifyIncidentChain({ incidentId })).toMatchObject({ ok: true, count: 1 });
  });

  it('an append to an unknown incident fails on its own; concurrent appends elsewhere are unaffected', async () => {
    const incidentId = await newIncident('INC-ISO-001');
    const actor = { type: 'system' as const, name: 'Rollback Console' };
    const results = await Promise.allSettled([
      ...Array.from({ length: 4 }, (_, i) => appendEvent({ incidentId: 'no-such-incident', actor, type: 'k8s.event', summary: `lost ${i}` })),
      ...Array.from({ length: 4 }, (_, i) => appendEvent({ incidentId, actor, type: 'k8s.event', summary: `kept ${i}` })),
    ]);
    expect(results.slice(0, 4).every((r) => r.status === 'rejected')).toBe(true);
    expect(results.slice(4).every((r) => r.status === 'fulfilled')).toBe(true);
    expect((await listEvents({ incidentId })).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    await expect(appendEvent({ incidentId, actor, type: '  ', summary: 'x' })).rejects.toThrow(/type is required/);
  });
});

describe('the database refuses changes to recorded events', () => {
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    const incidentId = await newIncident('INC-RO-001');
    await appendEvent({ incidentId, actor: { type: 'system', name: 'Rollback Console' }, type: 'incident.declared', summary: 'declared' });
    await expect(sql(`UPDATE "rollback_console"."TimelineEvent" SET "summary" = 'edited' WHERE "incidentId" = $1`, [incidentId])).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM "rollback_console"."TimelineEvent" WHERE "incidentId" = $1`, [incidentId])).rejects.toThrow(/append-only/);
    await expect(sql(`TRUNCATE "rollback_console"."TimelineEvent" CASCADE`)).rejects.toThrow(/append-only/);
    await expect(db.timelineEvent.updateMany({ where: { incidentId }, data: { summary: 'edited' } })).rejects.toThrow();
    expect((await listEvents({ incidentId }))[0]?.summary).toBe('declared');
  });
});

describe('tampering', () => {
  it('an edit made by a superuser bypassing the trigger is detected, and the edited event is named', async () => {
    const key = 'INC-TAMPER-001';
    const incidentId = await newIncident(key);
    for (let i = 1; i <= 8; i++) {
      await appendEvent({ incidentId, actor: { type: 'person', id: userId, name: 'Ada Commander' }, type: 'action.succeeded', summary: `action ${i}`, payload: { i } });
    }
    const env = { ...process.env, DATABASE_URL: url };
    const intact = await run(TSX, ['--conditions=react-server', 'scripts/timeline-verify.ts', key], { env, cwd: process.cwd() });
    expect(intact.stdout).toContain(`OK  ${key}: timeline intact — 8 events`);

    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('SET session_replication_role = replica');
      await client.query(`UPDATE "rollback_console"."TimelineEvent" SET "summary" = 'nothing went wrong' WHERE "incidentId" = $1 AND "seq" = 5`, [incidentId]);
    } finally {
      await client.end();
    }

    const result = await verifyIncidentChain({ incidentId });
    expect(result).toMatchObject({ ok: false, firstBadSeq: 5 });
    expect(result.reason).toMatch(/event #5: its content does not match its hash/);

    const broken = await run(TSX, ['--conditions=react-server', 'scripts/timeline-verify.ts', key], { env, cwd: process.cwd() }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN  ${key}`);
    expect(broken.stdout).toContain('first bad event: #5');
    expect(broken.stdout).toContain('"nothing went wrong"');
  }, 180_000);
});
