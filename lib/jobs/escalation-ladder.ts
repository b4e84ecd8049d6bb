/**
 * The runbook's escalation path as data, and which reminders are due. Pure.
 * @see ../../../shared/runbooks/rollback-procedure.md "Escalation"
 */

export type EscalationRung = { afterMinutes: number; who: string; contact: string };

export const ESCALATION_LADDER: readonly EscalationRung[] = [
  { afterMinutes: 0, who: 'Senior DevOps Engineer', contact: 'Slack: @devops-lead - Phone: xxx-xxx-xxxx' },
  { afterMinutes: 5, who: 'Engineering Manager', contact: 'PagerDuty: LLM Orchestrator Critical' },
  { afterMinutes: 10, who: 'Database Administrator', contact: 'Phone: xxx-xxx-xxxx' },
  { afterMinutes: 15, who: 'VP Engineering', contact: 'Phone: xxx-xxx-xxxx' },
  { afterMinutes: 20, who: 'CTO', contact: 'Phone: xxx-xxx-xxxx' },
];

/** The rungs that become reminders (the immediate one is the commander's first call). */
export const REMINDER_RUNGS: readonly EscalationRung[] = ESCALATION_LADDER.filter((r) => r.afterMinutes > 0);

/** Real milliseconds after declaration at which a rung is due, given CLOCK_SPEED. */
export function reminderDelayMs(rung: EscalationRung, clockSpeed: number): number {
  return (rung.afterMinutes * 60_000) / clockSpeed;
}

/**
 * Reminders due now: rungs whose time has come, not yet sent, and only while the incident has
 * not recovered (no mitigation yet and still open).
 */
export function dueReminders(options: {
  declaredAt: Date;
  now: Date;
  clockSpeed: number;
  recovered: boolean;
  alreadySent: Iterable<number>;
}): EscalationRung[] {
  if (options.recovered) return [];
  const sent = new Set(options.alreadySent);
  const elapsed = options.now.getTime() - options.declaredAt.getTime();
  return REMINDER_RUNGS.filter((r) => !sent.has(r.afterMinutes) && elapsed >= reminderDelayMs(r, options.clockSpeed));
}

export function reminderSummary(rung: EscalationRung): string {
  return `${rung.afterMinutes} minutes without recovery: call the ${rung.who} (${rung.contact})`;
}
