/**
 * Message templates from the runbook, filled from an incident. Pure functions (no server imports)
 * so the wizard can preview a message in the browser before it is posted.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 1 ("Declare incident in Slack") and
 *      Step 10 ("Update incident in Slack")
 */

export type AnnouncementInput = {
  /** The service as people call it; defaults to the deployment name. */
  service: string;
  symptoms: string;
  impact: string;
  initiatedBy: string;
  /** When the incident was declared. */
  at: Date;
  severity?: string;
  incidentKey?: string;
};

/** Runbook step 1: "INCIDENT: … deployment rollback required". */
export function renderAnnouncement(input: AnnouncementInput): string {
  const lines = [
    `INCIDENT: ${input.service} deployment rollback required`,
    `Symptoms: ${input.symptoms.trim() || 'High error rate / Crashes / etc'}`,
    `Impact: ${input.impact.trim() || 'User-facing / Internal only'}`,
    `Initiated by: ${input.initiatedBy}`,
    `Time: ${input.at.toISOString()}`,
  ];
  if (input.severity || input.incidentKey) {
    lines.push(`Incident: ${[input.incidentKey, input.severity].filter(Boolean).join(' · ')}`);
  }
  return lines.join('\n');
}

export type ResolutionInput = {
  service: string;
  /** Image tag or revision we rolled back from, e.g. v0.2.0. */
  fromVersion: string;
  toVersion: string;
  /** Minutes from detection to mitigation (or to now when not yet mitigated). */
  recoveryMinutes: number;
  status?: string;
  nextSteps?: string;
};

/** Runbook step 10: "RESOLVED: … rollback completed". */
export function renderResolution(input: ResolutionInput): string {
  return [
    `RESOLVED: ${input.service} rollback completed`,
    `Rolled back from: ${input.fromVersion} to ${input.toVersion}`,
    `Recovery time: ${Math.round(input.recoveryMinutes)} minutes`,
    `Status: ${input.status ?? 'Monitoring stability'}`,
    `Next steps: ${input.nextSteps ?? 'Root cause analysis scheduled'}`,
  ].join('\n');
}

/** The tag of an image reference (`registry/app:v0.1.1` → `v0.1.1`), or the reference itself. */
export function imageVersion(image: string | null | undefined): string {
  if (!image) return 'unknown';
  const afterSlash = image.slice(image.lastIndexOf('/') + 1);
  const at = afterSlash.indexOf('@');
  if (at >= 0) return afterSlash.slice(at + 1, at + 20);
  const colon = afterSlash.lastIndexOf(':');
  return colon >= 0 ? afterSlash.slice(colon + 1) : image;
}
