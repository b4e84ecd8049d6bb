/**
 * npm run timeline:verify -- <incident key or id>     verify the stored chain (needs DATABASE_URL)
 * npm run timeline:verify -- --file export.json       verify a JSON export offline
 *
 * Prints the verdict and, when the chain is broken, the first event that does not match.
 * Exit codes: 0 intact, 1 broken (or tampered export), 2 usage error / incident not found.
 */
import fs from 'node:fs';
import { verifyExport } from '@/lib/timeline/verify-export';

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    console.log('usage: npm run timeline:verify -- <incident key>\n       npm run timeline:verify -- --file <export.json>');
    return args.length === 0 ? 2 : 0;
  }
  const fileIndex = args.indexOf('--file');
  if (fileIndex >= 0) {
    const file = args[fileIndex + 1];
    if (!file) {
      console.error('--file needs a path to a JSON export');
      return 2;
    }
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      console.error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
    const result = verifyExport({ data });
    const events = (data as { events?: { seq: number; at: string; type: string; summary: string }[] }).events ?? [];
    return report(`${result.incidentKey ?? file} (export ${file})`, result, events);
  }

  const ref = args[0]!;
  const { db } = await import('@/lib/db/client');
  const { listEvents } = await import('@/lib/timeline/list-events');
  const { verifyChain } = await import('@/lib/timeline/verify-chain');
  try {
    const incident = await db.incident.findFirst({ where: { OR: [{ key: ref }, { id: ref }] }, select: { id: true, key: true } });
    if (!incident) {
      console.error(`No incident with key or id "${ref}".`);
      return 2;
    }
    const events = await listEvents({ incidentId: incident.id });
    const result = verifyChain({ events, incidentId: incident.id });
    return report(incident.key, result, events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })));
  } finally {
    await db.$disconnect();
  }
}

function report(
  label: string,
  result: { ok: boolean; count: number; headHash: string; firstBadSeq?: number; reason?: string; unverifiedSeqs?: number[] },
  events: { seq: number; at: string; type: string; summary: string }[],
): number {
  if (result.ok) {
    console.log(`OK  ${label}: timeline intact — ${result.count} events, hash chain verified.`);
    console.log(`    head hash ${result.headHash}`);
    if (result.unverifiedSeqs?.length) {
      console.log(`    note: event(s) ${result.unverifiedSeqs.map((s) => `#${s}`).join(', ')} had secrets masked on export; their links were checked, their content could not be.`);
    }
    return 0;
  }
  console.log(`BROKEN  ${label}: the timeline does not verify.`);
  console.log(`    ${result.reason ?? 'unknown reason'}`);
  const bad = events.find((e) => e.seq === result.firstBadSeq);
  if (bad) console.log(`    first bad event: #${bad.seq} at ${bad.at} (${bad.type}) "${bad.summary}"`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
