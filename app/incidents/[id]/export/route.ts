import { guardRoute } from '@/lib/auth/guard-route';
import { AppError } from '@/lib/errors';
import { buildExport } from '@/lib/timeline/build-export';
import { EXPORT_FORMATS, type ExportFormat } from '@/lib/timeline/export-types';
import { findIncidentRef } from '@/lib/timeline/find-incident-ref';
import { loadExportData } from '@/lib/timeline/load-export-data';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /incidents/[id]/export?format=md|json|csv — the postmortem draft (Markdown), the complete
 * verifiable record (JSON) or a spreadsheet (CSV), as a download named after the incident key.
 * `[id]` is the incident's id or key. Authors, commanders and admins (timeline.export) only.
 */
export const GET = guardRoute<{ params: Promise<{ id: string }> }>('timeline.export', async (request, { params }) => {
  const { id } = await params;
  const format = new URL(request.url).searchParams.get('format') ?? 'md';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new AppError('invalid', `Unknown export format "${format}": use md, json or csv.`);
  }
  const ref = await findIncidentRef({ idOrKey: id });
  const data = ref ? await loadExportData({ incidentId: ref.id }) : null;
  if (!data) throw new AppError('not_found', 'There is no such incident.');
  const built = buildExport({ data, format: format as ExportFormat });
  return new Response(built.body, {
    headers: {
      'Content-Type': built.contentType,
      'Content-Disposition': `attachment; filename="${built.filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
});
