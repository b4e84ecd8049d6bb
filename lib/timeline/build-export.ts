import { buildCsvExport } from './build-csv-export';
import { buildJsonExport } from './build-json-export';
import { buildMarkdownExport } from './build-markdown-export';
import type { ExportFormat, TimelineExportData } from './export-types';

export type BuiltExport = { body: string; contentType: string; filename: string };

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** A filename that is safe in Content-Disposition and on every file system. */
export function exportFilename(key: string, format: ExportFormat): string {
  const safe = key.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'incident';
  return format === 'md' ? `${safe}-postmortem.md` : `${safe}-timeline.${format}`;
}

/** One export of one incident, ready to send as a download. */
export function buildExport({ data, format }: { data: TimelineExportData; format: ExportFormat }): BuiltExport {
  const body = format === 'md' ? buildMarkdownExport(data) : format === 'json' ? buildJsonExport(data) : buildCsvExport(data);
  return { body, contentType: CONTENT_TYPES[format], filename: exportFilename(data.incident.key, format) };
}
