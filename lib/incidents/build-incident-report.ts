/**
 * Runbook step 10.1 "Create incident report": a Markdown draft from the incident, its steps and
 * its actions (failed version, symptoms, steps taken, time to recovery, root cause to fill in,
 * follow-ups). Pure: the caller loads the rows.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 10 and "Post-Incident Actions"
 */
import { POST_INCIDENT_ACTIONS } from '@/lib/timeline/post-incident-actions';
import { imageVersion } from '@/lib/notify/templates';
import { STEPS } from './steps';

export type ReportInput = {
  incident: {
    key: string;
    title: string;
    severity: string;
    namespace: string;
    deployment: string;
    symptoms: string;
    impact: string;
    failedRevision: number | null;
    failedImage: string | null;
    targetRevision: number | null;
    targetImage: string | null;
    detectedAt: Date;
    declaredAt: Date;
    mitigatedAt: Date | null;
    resolvedAt: Date | null;
    commanderName: string;
  };
  steps: { step: number; status: string; reason: string | null; completedAt: Date | null }[];
  actions: { kind: string; status: string; actorName: string; createdAt: Date; kubectl: string; error: string | null }[];
};

/** Minutes from detection to mitigation (or to `now` when not mitigated yet). */
export function recoveryMinutes(detectedAt: Date, mitigatedAt: Date | null, now = new Date()): number {
  return Math.max(0, ((mitigatedAt ?? now).getTime() - detectedAt.getTime()) / 60_000);
}

export function buildIncidentReport(input: ReportInput, now = new Date()): string {
  const i = input.incident;
  const minutes = recoveryMinutes(i.detectedAt, i.mitigatedAt, now);
  const stepLines = STEPS.map((s) => {
    const st = input.steps.find((x) => x.step === s.number);
    const status = st?.status ?? 'pending';
    const mark = status === 'done' ? '[x]' : status === 'skipped' ? '[-]' : '[ ]';
    return `- ${mark} Step ${s.number}: ${s.title} — ${status}${st?.reason ? ` (${st.reason})` : ''}${st?.completedAt ? ` at ${st.completedAt.toISOString()}` : ''}`;
  });
  const actionLines = input.actions.map(
    (a) => `- ${a.createdAt.toISOString()} ${a.kind} by ${a.actorName}: ${a.status}${a.error ? ` (${a.error})` : ''}\n  \`${a.kubectl.split('\n')[0] ?? ''}\``,
  );
  return [
    `# Incident report: ${i.key} — ${i.title}`,
    '',
    `- Severity: ${i.severity}`,
    `- Deployment: ${i.namespace}/${i.deployment}`,
    `- Incident commander: ${i.commanderName}`,
    `- Failed version: ${imageVersion(i.failedImage)} (revision ${i.failedRevision ?? '?'}, ${i.failedImage ?? 'unknown image'})`,
    `- Rolled back to: ${imageVersion(i.targetImage)} (revision ${i.targetRevision ?? '?'}, ${i.targetImage ?? 'unknown image'})`,
    `- Detected: ${i.detectedAt.toISOString()}`,
    `- Declared: ${i.declaredAt.toISOString()}`,
    `- Mitigated: ${i.mitigatedAt?.toISOString() ?? 'not yet'}`,
    `- Time to recovery: ${Math.round(minutes)} minutes${i.mitigatedAt ? '' : ' (so far)'}`,
    '',
    '## Symptoms observed',
    i.symptoms || '_not recorded_',
    '',
    '## Impact',
    i.impact || '_not recorded_',
    '',
    '## Rollback steps taken',
    ...stepLines,
    '',
    '## Actions on the cluster and database',
    ...(actionLines.length ? actionLines : ['_none_']),
    '',
    '## Root cause',
    '_To be determined in the post-incident review._',
    '',
    '## Follow-ups',
    ...POST_INCIDENT_ACTIONS.flatMap((g) => [`### ${g.when}`, ...g.items.map((item) => `- [ ] ${item}`)]),
    '',
  ].join('\n');
}
