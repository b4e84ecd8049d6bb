'use client';

import { useState } from 'react';
import { closeIncident, resolveIncident, updateFollowUp } from '@/app/incidents/[id]/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ActionButton } from '../ActionButton';
import { useIncidentState, type IncidentLiveState } from '../incident-state';

type Step10Data = { resolution?: string; resolutionPosted?: boolean; report?: string; followUps?: { group: string; item: string; done: boolean }[] };

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      size="sm"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
        } catch {
          setCopied(false);
        }
      }}
    >
      {copied ? 'Copied' : label}
    </Button>
  );
}

/**
 * Step 10: resolution message (posted to Slack or ready to copy), the incident report draft, the
 * failed image marked known-bad, the post-incident follow-ups as a checklist, and closing.
 */
export function DocumentPanel({ initial, canAct }: { initial: IncidentLiveState; canAct: boolean }) {
  const { data } = useIncidentState(initial.overview.incident.id, initial);
  const inc = data.overview.incident;
  const step = data.overview.steps.find((s) => s.number === 10);
  const d = (step?.data ?? {}) as Step10Data;
  const [nextSteps, setNextSteps] = useState('Root cause analysis scheduled');
  const [markKnownBad, setMarkKnownBad] = useState(true);
  // Ticks show at once and are saved on the server (with a timeline event); a refused save reverts.
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const [followUpError, setFollowUpError] = useState<string | null>(null);
  const tick = async (index: number, item: string, done: boolean) => {
    setTicked((t) => ({ ...t, [item]: done }));
    const result = await updateFollowUp({ incidentId: initial.overview.incident.id, index, done });
    setFollowUpError(result.ok ? null : result.message);
    if (!result.ok) setTicked((t) => ({ ...t, [item]: !done }));
  };
  const resolved = Boolean(inc.resolvedAt);
  return (
    <div className="space-y-4">
      {canAct && !resolved && (
        <div className="space-y-2 rounded-md p-3 ring-1 ring-slate-200">
          <label className="block text-xs font-medium text-slate-700">
            Next steps (goes into the resolution message)
            <input className="mt-0.5 block w-full rounded-md px-2.5 py-1.5 text-sm ring-1 ring-inset ring-slate-300" value={nextSteps} onChange={(e) => setNextSteps(e.target.value)} />
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={markKnownBad} onChange={(e) => setMarkKnownBad(e.target.checked)} className="h-4 w-4" />
            Mark the failed image <code>{inc.failedImage ?? '(unknown)'}</code> known-bad (step 3 will never suggest it again)
          </label>
          <ActionButton
            incidentId={inc.id}
            testId="action-incident.resolve"
            label="Post resolution and mark image known-bad"
            kubectl={[]}
            description="Marks the incident resolved, posts the resolution message (or prepares it to copy), drafts the incident report and records the follow-ups."
            run={() => resolveIncident({ incidentId: inc.id, nextSteps, markKnownBad })}
            describeResult={(r) => {
              const x = r as { resolution?: { posted?: boolean }; knownBadImage?: string | null; recoveryMinutes?: number };
              return (
                <p className="text-sm">
                  Resolved; recovery time {x.recoveryMinutes ?? '?'} min. {x.resolution?.posted ? 'Posted to Slack.' : 'Resolution ready to copy below.'} {x.knownBadImage ? `${x.knownBadImage} is known-bad.` : ''}
                </p>
              );
            }}
          />
        </div>
      )}
      {d.resolution && (
        <section className="space-y-1">
          <div className="flex items-center justify-between gap-2">
            <h3 className="text-sm font-semibold">Resolution message</h3>
            <CopyButton text={d.resolution} label="Copy message" />
          </div>
          <p className="text-xs text-slate-600">{d.resolutionPosted ? 'Posted to Slack.' : 'Not posted to Slack (no webhook configured or the post failed): copy it into #incidents.'}</p>
          <pre className="whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-[13px] ring-1 ring-slate-200" data-testid="resolution-text">
            {d.resolution}
          </pre>
        </section>
      )}
      {d.report && (
        <section className="space-y-1">
          <div className="flex items-center justify-between gap-2">
            <h3 className="text-sm font-semibold">Incident report draft</h3>
            <CopyButton text={d.report} label="Copy report" />
          </div>
          <pre className="max-h-96 overflow-y-auto whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-[12px] ring-1 ring-slate-200" data-testid="report-draft">
            {d.report}
          </pre>
        </section>
      )}
      {d.followUps && d.followUps.length > 0 && (
        <section className="space-y-1">
          <h3 className="text-sm font-semibold">Post-incident follow-ups</h3>
          {followUpError && <Alert tone="danger" title="Not saved">{followUpError}</Alert>}
          <div className="grid gap-3 sm:grid-cols-2">
            {[...new Set(d.followUps.map((f) => f.group))].map((g) => (
              <div key={g}>
                <p className="text-xs font-semibold text-slate-600">{g}</p>
                <ul className="space-y-0.5">
                  {d.followUps!
                    .filter((f) => f.group === g)
                    .map((f) => (
                      <li key={f.item}>
                        <label className="flex items-start gap-2 text-sm">
                          <input type="checkbox" className="mt-0.5 h-4 w-4" disabled={!canAct} checked={ticked[f.item] ?? f.done} onChange={(e) => void tick(d.followUps!.indexOf(f), f.item, e.target.checked)} />
                          {f.item}
                        </label>
                      </li>
                    ))}
                </ul>
              </div>
            ))}
          </div>
        </section>
      )}
      {inc.status === 'closed' ? (
        <Alert tone="success" title="Incident closed" />
      ) : (
        canAct &&
        resolved && (
          <ActionButton
            incidentId={inc.id}
            testId="action-incident.close"
            label="Close incident"
            kubectl={[]}
            description="Closes the incident: no more actions are accepted; the timeline stays available for the postmortem."
            run={() => closeIncident({ incidentId: inc.id })}
            describeResult={(r) => {
              const x = r as { openSteps?: number[] };
              return <p className="text-sm">Closed.{x.openSteps?.length ? ` Steps left open: ${x.openSteps.join(', ')}.` : ''}</p>;
            }}
          />
        )
      )}
    </div>
  );
}
