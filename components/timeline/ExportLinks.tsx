import { cn } from '@/components/ui/cn';

const FORMATS = [
  { format: 'md', label: 'Postmortem draft (Markdown)' },
  { format: 'json', label: 'JSON (verifiable)' },
  { format: 'csv', label: 'CSV' },
] as const;

/**
 * Download links for the timeline exports and the print page. Render it with
 * `canExport={can(user.role, 'timeline.export')}`; it renders nothing otherwise (the export route
 * refuses those roles anyway). `incident` is the id or the key.
 */
export function ExportLinks({ incident, canExport, className }: { incident: string; canExport: boolean; className?: string }) {
  if (!canExport) return null;
  const base = `/incidents/${encodeURIComponent(incident)}`;
  const link = 'rounded-md px-2.5 py-1 text-xs font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50';
  return (
    <nav aria-label="Export the timeline" className={cn('flex flex-wrap items-center gap-2', className)}>
      {FORMATS.map(({ format, label }) => (
        <a key={format} href={`${base}/export?format=${format}`} className={link} download>
          {label}
        </a>
      ))}
      <a href={`${base}/print`} className={link} target="_blank" rel="noopener">
        Print view
      </a>
    </nav>
  );
}
