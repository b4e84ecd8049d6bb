import { notFound } from 'next/navigation';
import { requirePageUser } from '@/lib/auth/session';
import { findIncidentRef } from '@/lib/timeline/find-incident-ref';
import { loadExportData } from '@/lib/timeline/load-export-data';
import { verifyChain } from '@/lib/timeline/verify-chain';
import { PrintableTimeline } from '@/components/timeline/PrintableTimeline';
import { PrintButton } from '@/components/timeline/PrintButton';

export const dynamic = 'force-dynamic';

/** /incidents/[id]/print — the incident and its full timeline laid out for paper (timeline.export). */
export default async function PrintIncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageUser({ path: `/incidents/${id}/print`, permission: 'timeline.export' });
  const ref = await findIncidentRef({ idOrKey: id });
  const data = ref ? await loadExportData({ incidentId: ref.id }) : null;
  if (!data) notFound();
  const verification = verifyChain({ events: data.events, incidentId: data.incident.id });
  return (
    <main className="min-h-screen bg-slate-100 py-6 print:bg-white print:py-0">
      <div className="mx-auto mb-3 flex max-w-5xl justify-end gap-2 print:hidden">
        <a
          href={`/incidents/${encodeURIComponent(id)}/export?format=md`}
          className="rounded-md px-3 py-1.5 text-sm text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-white"
        >
          Markdown
        </a>
        <PrintButton />
      </div>
      <PrintableTimeline data={data} verification={verification} />
    </main>
  );
}
