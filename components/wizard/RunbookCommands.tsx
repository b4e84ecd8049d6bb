import { runbookCommands } from '@/lib/incidents/steps';

/** The runbook's own shell block for the step, collapsed: what this page replaces. */
export function RunbookCommands({ block, title }: { block: string; title: string }) {
  const commands = runbookCommands(block);
  return (
    <details className="rounded-md bg-slate-50 ring-1 ring-slate-200">
      <summary className="cursor-pointer px-3 py-2 text-xs font-medium text-slate-700">
        Runbook commands this step replaces ({commands.length}) — “{title}”
      </summary>
      <pre className="overflow-x-auto whitespace-pre-wrap px-3 pb-3 font-mono text-[12px] leading-relaxed text-slate-800">{block.trim()}</pre>
    </details>
  );
}
