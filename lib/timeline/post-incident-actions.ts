/**
 * The runbook's "Post-Incident Actions" list as data: the action items of the postmortem draft.
 * Plain data, safe in client components.
 * @see ../../../shared/runbooks/rollback-procedure.md "Post-Incident Actions"
 */
export type PostIncidentActionGroup = { when: string; items: string[] };

export const POST_INCIDENT_ACTIONS: readonly PostIncidentActionGroup[] = [
  {
    when: 'Immediate (within 1 hour)',
    items: ['Update status page', 'Notify stakeholders of resolution', 'Document timeline of events', 'Preserve logs and metrics'],
  },
  {
    when: 'Same day',
    items: [
      'Schedule post-incident review (within 24-48 hours)',
      'Create root cause analysis ticket',
      'Review monitoring gaps',
      'Update rollback runbook if needed',
    ],
  },
  {
    when: 'Within a week',
    items: [
      'Conduct blameless post-mortem',
      'Identify preventive measures',
      'Update deployment procedures',
      'Enhance testing coverage',
      'Improve monitoring/alerting',
    ],
  },
  {
    when: 'Ongoing',
    items: ['Track fix implementation', 'Verify fix in staging', 'Plan re-deployment with fixes', 'Update documentation'],
  },
];
