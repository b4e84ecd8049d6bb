import { cn } from '@/components/ui/cn';

/** Commands as the commander would type them, one per line, selectable. */
export function KubectlBlock({ commands, label, className, testId }: { commands: string[]; label?: string; className?: string; testId?: string }) {
  if (commands.length === 0) return null;
  return (
    <div className={cn('space-y-1', className)}>
      {label && <p className="text-[11px] font-semibold uppercase tracking-wide text-slate-500">{label}</p>}
      <pre data-testid={testId} className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-950 px-3 py-2 font-mono text-[12px] leading-relaxed text-slate-100">
        {commands.map((c) => `$ ${c}`).join('\n')}
      </pre>
    </div>
  );
}
