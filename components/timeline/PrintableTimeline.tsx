import { STEPS } from '@/lib/incidents/steps';
import type { TimelineExportData } from '@/lib/timeline/export-types';
import { formatDuration, formatUtc, UTC_NOTICE } from '@/lib/timeline/format-time';
import { POST_INCIDENT_ACTIONS } from '@/lib/timeline/post-incident-actions';
import { toEventView } from '@/lib/timeline/to-event-view';
import type { ChainVerification } from '@/lib/timeline/types';

/**
 * The whole incident on paper: summary, key times, steps, every event (not virtualized: print
 * needs them all) and the action items. Server-rendered; notes use the same safe HTML as the page.
 */
export function PrintableTimeline({ data, verification }: { data: TimelineExportData; verification: ChainVerification }) {
  const { incident, steps, events } = data;
  const byStep = new Map(steps.map((s) => [s.step, s]));
  const rows: [string, string][] = [
    ['Severity', incident.severity],
    ['Status', incident.status],
    ['Service', `${incident.deployment} in ${incident.namespace} (context ${incident.clusterContext})`],
    ['Incident commander', incident.commanderName],
    ['Failed version', [incident.failedRevision !== null ? `revision ${incident.failedRevision}` : '', incident.failedImage ?? ''].filter(Boolean).join(', ') || '—'],
    ['Rolled back to', [incident.targetRevision !== null ? `revision ${incident.targetRevision}` : '', incident.targetImage ?? ''].filter(Boolean).join(', ') || '—'],
    ['Detected', `${formatUtc(incident.detectedAt)} UTC`],
    ['Declared', `${formatUtc(incident.declaredAt)} UTC`],
    ['Mitigated', incident.mitigatedAt ? `${formatUtc(incident.mitigatedAt)} UTC` : '—'],
    ['Resolved', incident.resolvedAt ? `${formatUtc(incident.resolvedAt)} UTC` : '—'],
    ['Time to mitigate', formatDuration(incident.detectedAt, incident.mitigatedAt) ?? '—'],
    ['Time to recover', formatDuration(incident.detectedAt, incident.resolvedAt) ?? '—'],
  ];
  return (
    <article className="mx-auto max-w-5xl bg-white p-8 text-sm text-slate-900 print:max-w-none print:p-0">
      <header className="mb-4 border-b border-slate-300 pb-3">
        <p className="text-xs uppercase tracking-wide text-slate-500">Incident report · {UTC_NOTICE}</p>
        <h1 className="text-xl font-semibold">
          {incident.key} — {incident.title}
        </h1>
        <p className={verification.ok ? 'text-xs text-emerald-800' : 'text-xs font-semibold text-red-800'} data-testid="print-chain">
          {verification.ok
            ? `Timeline hash chain verified: ${verification.count} events, head ${verification.headHash}`
            : `Timeline hash chain does NOT verify: ${verification.reason}`}
        </p>
        <p className="text-xs text-slate-500">Printed from Rollback Console on {formatUtc(data.generatedAt)} UTC</p>
      </header>

      <section className="mb-4 break-inside-avoid">
        <h2 className="mb-1 text-base font-semibold">Summary</h2>
        <table className="w-full border-collapse text-sm">
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k} className="border-b border-slate-200">
                <th className="w-48 py-1 pr-3 text-left font-medium text-slate-600">{k}</th>
                <td className="py-1">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {incident.symptoms && <p className="mt-2"><strong>Symptoms:</strong> {incident.symptoms}</p>}
        {incident.impact && <p className="mt-1"><strong>Impact:</strong> {incident.impact}</p>}
      </section>

      <section className="mb-4 break-inside-avoid">
        <h2 className="mb-1 text-base font-semibold">Runbook steps</h2>
        <ol className="list-decimal pl-6">
          {STEPS.map((step) => {
            const state = byStep.get(step.number);
            return (
              <li key={step.number}>
                {step.title}: <strong>{state?.status ?? 'pending'}</strong>
                {state?.reason ? ` — ${state.reason}` : ''}
              </li>
            );
          })}
        </ol>
      </section>

      <section className="mb-4">
        <h2 className="mb-1 text-base font-semibold">Timeline ({UTC_NOTICE})</h2>
        <table className="w-full border-collapse text-xs">
          <thead>
            <tr className="border-b-2 border-slate-400 text-left">
              <th className="py-1 pr-2">#</th>
              <th className="py-1 pr-2">Time (UTC)</th>
              <th className="py-1 pr-2">Actor</th>
              <th className="py-1 pr-2">Event</th>
              <th className="py-1">What happened</th>
            </tr>
          </thead>
          <tbody>
            {events.map((record) => {
              const event = toEventView(record);
              return (
                <tr key={event.seq} className="break-inside-avoid border-b border-slate-200 align-top" data-testid="print-event">
                  <td className="py-1 pr-2 font-mono">{event.seq}</td>
                  <td className="whitespace-nowrap py-1 pr-2 font-mono">{formatUtc(event.at)}</td>
                  <td className="py-1 pr-2">
                    {event.actorName}
                    {event.actorType === 'system' ? ' (system)' : ''}
                  </td>
                  <td className="py-1 pr-2">{event.type}</td>
                  <td className="py-1">
                    {event.noteHtml !== undefined ? (
                      <div className="[&_p]:my-0.5" dangerouslySetInnerHTML={{ __html: event.noteHtml }} />
                    ) : (
                      event.summary
                    )}
                    {event.kubectl && (
                      <pre className="mt-0.5 whitespace-pre-wrap break-all rounded bg-slate-100 px-1 py-0.5 font-mono text-[11px]">{event.kubectl}</pre>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className="mb-4 break-inside-avoid">
        <h2 className="mb-1 text-base font-semibold">Root cause</h2>
        <p className="italic text-slate-500">To be completed by the postmortem author.</p>
      </section>

      <section className="break-inside-avoid">
        <h2 className="mb-1 text-base font-semibold">Action items</h2>
        {POST_INCIDENT_ACTIONS.map((group) => (
          <div key={group.when} className="mb-2">
            <h3 className="font-medium">{group.when}</h3>
            <ul className="pl-2">
              {group.items.map((item) => (
                <li key={item}>☐ {item}</li>
              ))}
            </ul>
          </div>
        ))}
      </section>
    </article>
  );
}
