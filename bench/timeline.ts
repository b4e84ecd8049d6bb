/**
 * npm run bench -- timeline [--events-per-writer N] [--export-events N]
 *
 * 1. Chained appends: 8 concurrent writers append to ONE incident through appendEvent (advisory
 *    lock, hash chain, NOTIFY); events/s, then the chain is verified intact. Target ≥ 1,000/s.
 *    Also 8 writers on 8 different incidents, for comparison (no lock contention).
 * 2. Exports of an incident with 10,000 events: load from the DB + build, md/json/csv, ms each.
 *    Target < 1 s each.
 * Uses DATABASE_URL when set (migrated if needed), else starts an embedded Postgres in a
 * temporary directory and applies the migrations. Last line: a one-line summary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '@/scripts/lib/embedded-postgres';
import { migrateDatabase } from '@/scripts/lib/migrate';
import { resetEnvForTests } from '@/lib/env';
import { GENESIS_HASH, type ChainedEventFields, type JsonObject } from '@/lib/timeline/types';
import { hashEvent } from '@/lib/timeline/hash-event';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export async function run(args: string[] = []): Promise<void> {
  const perWriter = arg(args, '--events-per-writer', 250);
  const exportEvents = arg(args, '--export-events', 10_000);
  const writers = 8;
  let pg: RunningPostgres | null = null;
  let tmp: string | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-timeline-'));
    // As root, Postgres runs as the postgres user, which must reach the data directory.
    fs.chmodSync(tmp, 0o755);
    const dir = tmp;
    pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg') }).catch((error: unknown) => {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    });
    await pg.createDatabase('bench_timeline');
    url = pg.urlFor('bench_timeline');
    process.env.DATABASE_URL = url;
    resetEnvForTests();
  }
  await migrateDatabase(url);
  const { db } = await import('@/lib/db/client');
  const { appendEvent } = await import('@/lib/timeline/append-event');
  const { verifyIncidentChain } = await import('@/lib/timeline/verify-incident-chain');
  const { loadExportData } = await import('@/lib/timeline/load-export-data');
  const { buildExport } = await import('@/lib/timeline/build-export');
  try {
    const stamp = Date.now().toString(36);
    const user = await db.user.create({ data: { email: `bench-${stamp}@bench.invalid`, name: 'Bench Commander', role: 'commander', disabled: true } });
    const newIncident = (suffix: string) =>
      db.incident.create({
        data: {
          key: `BENCH-${stamp}-${suffix}`,
          title: 'Benchmark incident',
          severity: 'SEV3',
          clusterContext: 'sim',
          namespace: 'llm-orchestrator',
          deployment: 'orchestrator',
          detectedAt: new Date(),
          commanderId: user.id,
        },
      });
    const actor = { type: 'person' as const, id: user.id, name: user.name };
    const append = (incidentId: string, w: number, i: number) =>
      appendEvent({
        incidentId,
        actor,
        type: 'action.succeeded',
        summary: `writer ${w} event ${i}`,
        payload: { writer: w, i, resourceVersionBefore: String(i), resourceVersionAfter: String(i + 1) },
        kubectl: 'kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2',
      });

    console.log(`Timeline benchmark (${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version})`);
    // Warm-up: connection pool, Prisma's query plans.
    const warm = await newIncident('warm');
    for (let i = 0; i < 30; i++) await append(warm.id, 0, i);

    // 1. One writer, for reference: the cost of one append end to end.
    const single = await newIncident('single');
    let cpu0 = process.cpuUsage();
    let t = performance.now();
    for (let i = 0; i < perWriter; i++) await append(single.id, 0, i);
    const singleMs = performance.now() - t;
    let cpu = process.cpuUsage(cpu0);
    console.log(
      `appends, 1 writer: ${perWriter} events in ${singleMs.toFixed(0)} ms = ${(perWriter / (singleMs / 1000)).toFixed(0)} events/s (${(singleMs / perWriter).toFixed(2)} ms each, Node CPU ${((cpu.user + cpu.system) / 1000 / perWriter).toFixed(2)} ms each)`,
    );

    // 1a. Contended: 8 writers, one incident.
    const shared = await newIncident('shared');
    cpu0 = process.cpuUsage();
    t = performance.now();
    await Promise.all(Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter; i++) await append(shared.id, w, i);
    }));
    const sharedMs = performance.now() - t;
    cpu = process.cpuUsage(cpu0);
    const sharedCount = writers * perWriter;
    const sharedRate = sharedCount / (sharedMs / 1000);
    const check = await verifyIncidentChain({ incidentId: shared.id });
    const seqs = await db.timelineEvent.findMany({ where: { incidentId: shared.id }, select: { seq: true }, orderBy: { seq: 'asc' } });
    const gapless = seqs.length === sharedCount && seqs.every((s, i) => s.seq === i + 1);
    // Each transaction stamps its rows with its xmin: how many commits the appends took.
    const [{ commits }] = await db.$queryRawUnsafe<{ commits: number }[]>(
      `SELECT count(DISTINCT xmin::text)::int AS commits FROM "rollback_console"."TimelineEvent" WHERE "incidentId" = $1`,
      shared.id,
    ) as [{ commits: number }];
    console.log(
      `appends, ${writers} writers on ONE incident: ${sharedCount} events in ${sharedMs.toFixed(0)} ms = ${sharedRate.toFixed(0)} events/s; chain ${check.ok ? 'intact' : `BROKEN (${check.reason})`}, seq 1..${seqs.length} ${gapless ? 'without gaps or duplicates' : 'HAS GAPS/DUPLICATES'}; ${commits} commits (${(sharedCount / commits).toFixed(1)} events per commit) (Node CPU ${((cpu.user + cpu.system) / 1000 / sharedCount).toFixed(2)} ms per event)`,
    );

    // 1b. Uncontended: 8 writers, 8 incidents.
    const separate = await Promise.all(Array.from({ length: writers }, (_, w) => newIncident(`sep${w}`)));
    t = performance.now();
    await Promise.all(separate.map(async (incident, w) => {
      for (let i = 0; i < perWriter; i++) await append(incident.id, w, i);
    }));
    const sepMs = performance.now() - t;
    const sepRate = sharedCount / (sepMs / 1000);
    const sepChecks = await Promise.all(separate.map((i) => verifyIncidentChain({ incidentId: i.id })));
    console.log(
      `appends, ${writers} writers on ${writers} incidents: ${sharedCount} events in ${sepMs.toFixed(0)} ms = ${sepRate.toFixed(0)} events/s; chains ${sepChecks.every((c) => c.ok) ? 'intact' : 'BROKEN'}`,
    );

    if (args.includes('--skip-export')) {
      console.log(`SUMMARY timeline: ${sharedRate.toFixed(0)} chained appends/s (8 writers, 1 incident, chain ${check.ok && gapless ? 'intact' : 'BROKEN'}); exports skipped`);
      return;
    }
    // 2. Exports of a 10,000-event incident (inserted in bulk with a valid chain).
    const big = await newIncident('export');
    let prevHash = GENESIS_HASH;
    const base = Date.now() - exportEvents * 1000;
    const rows = [];
    for (let seq = 1; seq <= exportEvents; seq++) {
      const fields: ChainedEventFields & { at: Date; payload: JsonObject } = {
        incidentId: big.id,
        seq,
        at: new Date(base + seq * 1000),
        actorType: seq % 3 ? 'system' : 'person',
        actorId: seq % 3 ? null : user.id,
        actorName: seq % 3 ? 'Rollback Console' : user.name,
        type: seq % 10 === 0 ? 'note' : 'k8s.event',
        summary: `Pod orchestrator-${seq.toString(36)}: Back-off restarting failed container (event ${seq})`,
        payload: seq % 10 === 0 ? { markdown: `Note ${seq}: **still** looking at [the dashboard](https://grafana.example.com)` } : { reason: 'BackOff', count: seq },
        kubectl: seq % 5 === 0 ? 'kubectl get pods -n llm-orchestrator -l app=orchestrator' : null,
        prevHash,
      };
      const hash = hashEvent(fields);
      rows.push({ ...fields, hash });
      prevHash = hash;
    }
    for (let i = 0; i < rows.length; i += 1000) await db.timelineEvent.createMany({ data: rows.slice(i, i + 1000) });
    // A running server is warm: build each format once on the 2,000-event incident first.
    for (const format of ['md', 'json', 'csv'] as const) buildExport({ data: (await loadExportData({ incidentId: shared.id }))!, format });
    const figures: Record<string, number> = {};
    for (const format of ['md', 'json', 'csv'] as const) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const data = await loadExportData({ incidentId: big.id });
      const t1 = performance.now();
      const built = buildExport({ data: data!, format });
      const t2 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      if (format === 'json') JSON.parse(built.body); // well-formed (not timed)
      figures[format] = t2 - t0;
      console.log(
        `export ${format.padEnd(4)} of ${exportEvents} events: ${(t2 - t0).toFixed(0)} ms (load ${(t1 - t0).toFixed(0)} ms + build ${(t2 - t1).toFixed(0)} ms; this process's CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms), ${(built.body.length / 1024 / 1024).toFixed(1)} MiB`,
      );
    }
    const allOk = check.ok && gapless && sharedRate >= 1000 && Object.values(figures).every((ms) => ms < 1000);
    console.log(
      `SUMMARY timeline: ${sharedRate.toFixed(0)} chained appends/s (8 writers, 1 incident, chain ${check.ok && gapless ? 'intact' : 'BROKEN'}; target >= 1000), ${sepRate.toFixed(0)}/s on 8 incidents; export ${exportEvents} events md ${figures.md!.toFixed(0)} ms, json ${figures.json!.toFixed(0)} ms, csv ${figures.csv!.toFixed(0)} ms (target < 1000) — ${allOk ? 'targets met' : 'TARGET MISSED'}`,
    );
  } finally {
    await db.$disconnect();
    const { closeAppendPool } = await import('@/lib/timeline/append-event');
    await closeAppendPool();
    if (pg) await pg.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}
