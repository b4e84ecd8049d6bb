/**
 * The worked example: one RESOLVED incident of the `bad-release` scenario (orchestrator v0.2.0
 * crash-looping, rolled back to v0.1.1), with all ten runbook steps done and a complete,
 * hash-chained timeline, so a new user can open the stakeholder view and the exports at once.
 * Called by the demo script; idempotent (a second call returns the existing incident).
 *
 * Needs DATABASE_URL (the console DB, migrated). Run under tsx --conditions=react-server.
 */
import { db } from '@/lib/db/client';
import { appendEvent, type AppendEventInput } from '@/lib/timeline/append-event';
import { STEPS } from '@/lib/incidents/steps';

export const EXAMPLE_INCIDENT_KEY = 'INC-EXAMPLE-001';

export type SeedExampleIncidentOptions = {
  /** The commander to credit; defaults to the first commander, else an example (disabled) user. */
  commanderEmail?: string;
};

export type SeedExampleIncidentResult = { incidentId: string; key: string; created: boolean; events: number };

const NS = 'llm-orchestrator';
const DEP = 'orchestrator';
const T0 = Date.parse('2025-11-14T10:00:00.000Z'); // v0.2.0 rollout starts (runbook example times)
const at = (minutes: number, seconds = 0) => new Date(T0 + (minutes * 60 + seconds) * 1000);

type Person = { id: string; name: string };

/** Creates the example incident if it is not there yet. */
export async function seedExampleIncident(options: SeedExampleIncidentOptions = {}): Promise<SeedExampleIncidentResult> {
  const existing = await db.incident.findUnique({ where: { key: EXAMPLE_INCIDENT_KEY }, select: { id: true } });
  if (existing) {
    const events = await db.timelineEvent.count({ where: { incidentId: existing.id } });
    return { incidentId: existing.id, key: EXAMPLE_INCIDENT_KEY, created: false, events };
  }
  const commander = await findCommander(options.commanderEmail);

  return db.$transaction(
    async (tx) => {
      const incident = await tx.incident.create({
        data: {
          key: EXAMPLE_INCIDENT_KEY,
          title: 'Example: orchestrator v0.2.0 crash loop after release, rolled back to v0.1.1',
          severity: 'SEV1',
          status: 'resolved',
          symptoms: 'Error rate above 40% on the workflow API; orchestrator pods in CrashLoopBackOff; /health/ready failing.',
          impact: 'Workflow creation failed for most users for about 19 minutes (10:00–10:19 UTC); no data loss after the database restore.',
          clusterContext: 'sim',
          namespace: NS,
          deployment: DEP,
          failedRevision: 3,
          failedImage: 'registry.example.com/llm-orchestrator:v0.2.0',
          targetRevision: 2,
          targetImage: 'registry.example.com/llm-orchestrator:v0.1.1',
          detectedAt: at(4, 30),
          declaredAt: at(6),
          mitigatedAt: at(19, 40),
          resolvedAt: at(58),
          commanderId: commander.id,
        },
        select: { id: true },
      });
      const stepDone: Record<number, number> = { 1: 7, 2: 8, 3: 9, 4: 12, 5: 17, 6: 19.5, 7: 26, 8: 56, 9: 57, 10: 58 };
      await tx.stepState.createMany({
        data: STEPS.map((s) => ({
          incidentId: incident.id,
          step: s.number,
          status: 'done',
          actorId: commander.id,
          startedAt: at(Math.floor((stepDone[s.number - 1] ?? 6) as number)),
          completedAt: at(Math.floor(stepDone[s.number] ?? 0), Math.round(((stepDone[s.number] ?? 0) % 1) * 60)),
          data: {},
        })),
      });
      const events = exampleEvents(incident.id, commander);
      for (const event of events) await appendEvent(event, tx);
      return { incidentId: incident.id, key: EXAMPLE_INCIDENT_KEY, created: true, events: events.length };
    },
    { timeout: 60_000, maxWait: 20_000 },
  );
}

async function findCommander(email?: string): Promise<Person> {
  if (email) {
    const user = await db.user.findUnique({ where: { email }, select: { id: true, name: true } });
    if (user) return user;
  }
  const any = await db.user.findFirst({ where: { role: 'commander', disabled: false }, orderBy: { createdAt: 'asc' }, select: { id: true, name: true } });
  if (any) return any;
  // No commander yet: credit an example person who cannot sign in.
  return db.user.upsert({
    where: { email: 'example.commander@rollback-console.invalid' },
    update: {},
    create: { email: 'example.commander@rollback-console.invalid', name: 'Alex Example (commander)', role: 'commander', disabled: true },
    select: { id: true, name: true },
  });
}

function exampleEvents(incidentId: string, commander: Person): AppendEventInput[] {
  const person = { type: 'person' as const, id: commander.id, name: commander.name };
  const system = { type: 'system' as const, name: 'Rollback Console' };
  const author = { type: 'person' as const, id: 'example-author', name: 'Sam Example (postmortem author)' };
  const ev = (m: number, s: number, actor: AppendEventInput['actor'], type: string, summary: string, extra: Partial<AppendEventInput> = {}): AppendEventInput => ({
    incidentId,
    actor,
    type,
    summary,
    at: at(m, s),
    ...extra,
  });
  const rv = (before: number, after: number) => ({ resourceVersionBefore: String(before), resourceVersionAfter: String(after) });
  return [
    ev(6, 0, person, 'incident.declared', 'Incident declared (SEV1): orchestrator v0.2.0 crash-looping after release', {
      payload: { severity: 'SEV1', releasedAt: at(0).toISOString(), detectedAt: at(4, 30).toISOString(), failedRevision: 3, failedImage: 'registry.example.com/llm-orchestrator:v0.2.0' },
      kubectl: [`kubectl get deployment ${DEP} -n ${NS}`, `kubectl get pods -n ${NS} -l app=${DEP}`],
    }),
    ev(6, 2, system, 'snapshot.captured', 'Snapshot taken: Deployment orchestrator, ConfigMap orchestrator-config, HPA orchestrator', {
      payload: { kinds: ['Deployment', 'ConfigMap', 'HorizontalPodAutoscaler'], deploymentResourceVersion: '4812' },
      kubectl: [`kubectl get deployment ${DEP} -n ${NS} -o yaml`, `kubectl get configmap orchestrator-config -n ${NS} -o yaml`, `kubectl get hpa ${DEP} -n ${NS} -o yaml`],
    }),
    ev(6, 5, system, 'k8s.event', 'Pod orchestrator-7d9f8-x2kqp: Back-off restarting failed container (CrashLoopBackOff, 6 restarts)', {
      payload: { reason: 'BackOff', object: 'Pod/orchestrator-7d9f8-x2kqp', count: 6 },
    }),
    ev(6, 10, system, 'metric.threshold', 'Error rate 43.2% is above the 5% threshold', { payload: { metric: 'error_rate_percent', value: 43.2, threshold: 5 } }),
    ev(6, 30, person, 'notify.posted', 'Incident announced in #incidents', { payload: { channel: '#incidents', template: 'incident-declared' } }),
    ev(7, 0, person, 'step.done', 'Step 1 done: incident declared and scope assessed', { payload: { step: 1 } }),
    ev(7, 20, person, 'action.intent', 'Pause the rollout of deployment/orchestrator', { payload: { step: 2, kind: 'rollout.pause' }, kubectl: `kubectl rollout pause deployment/${DEP} -n ${NS}` }),
    ev(7, 21, person, 'action.succeeded', 'Rollout paused', { payload: { step: 2, kind: 'rollout.pause', ...rv(4812, 4815) }, kubectl: `kubectl rollout pause deployment/${DEP} -n ${NS}` }),
    ev(8, 0, person, 'step.done', 'Step 2 done: rollout paused', { payload: { step: 2 }, kubectl: `kubectl rollout status deployment/${DEP} -n ${NS}` }),
    ev(8, 40, person, 'step.done', 'Step 3 done: target revision 2 (v0.1.1), last stable before v0.2.0', {
      payload: { step: 3, targetRevision: 2, targetImage: 'registry.example.com/llm-orchestrator:v0.1.1' },
      kubectl: [`kubectl rollout history deployment/${DEP} -n ${NS}`, `kubectl rollout history deployment/${DEP} -n ${NS} --revision=2`],
    }),
    ev(9, 0, system, 'escalation.reminder', '5 minutes since declaration: escalate to the Engineering Manager if the rollback has not started', { payload: { minute: 5, contact: 'Engineering Manager' } }),
    ev(9, 30, person, 'action.intent', 'Roll back deployment/orchestrator to revision 2', { payload: { step: 4, kind: 'rollout.undo', toRevision: 2 }, kubectl: `kubectl rollout undo deployment/${DEP} -n ${NS} --to-revision=2` }),
    ev(9, 31, person, 'action.succeeded', 'Rollback to revision 2 started (new revision 4, image v0.1.1)', {
      payload: { step: 4, kind: 'rollout.undo', toRevision: 2, newRevision: 4, ...rv(4815, 4821) },
      kubectl: `kubectl rollout undo deployment/${DEP} -n ${NS} --to-revision=2`,
    }),
    ev(10, 10, system, 'k8s.event', 'Scaled up replica set orchestrator-6c5b7 to 3', { payload: { reason: 'ScalingReplicaSet', object: 'Deployment/orchestrator' } }),
    ev(11, 50, system, 'k8s.event', 'Deployment "orchestrator" successfully rolled out (3/3 ready on v0.1.1)', { payload: { reason: 'RolloutComplete', readyReplicas: 3 }, kubectl: `kubectl rollout status deployment/${DEP} -n ${NS} --watch` }),
    ev(12, 0, person, 'step.done', 'Step 4 done: application rolled back to v0.1.1', { payload: { step: 4 } }),
    ev(12, 30, person, 'action.intent', 'Scale orchestrator to 0 before restoring the database', { payload: { step: 5, kind: 'deployment.scale', replicas: 0 }, kubectl: `kubectl scale deployment ${DEP} -n ${NS} --replicas=0` }),
    ev(12, 31, person, 'action.succeeded', 'Scaled to 0 replicas', { payload: { step: 5, kind: 'deployment.scale', replicas: 0, ...rv(4821, 4830) }, kubectl: `kubectl scale deployment ${DEP} -n ${NS} --replicas=0` }),
    ev(13, 10, system, 'k8s.event', 'All orchestrator pods terminated', { payload: { reason: 'Killing' }, kubectl: `kubectl wait --for=delete pod -l app=${DEP} -n ${NS} --timeout=60s` }),
    ev(13, 30, person, 'action.intent', 'Restore the orchestrator database from backup-20251114-095959.sql.gz', {
      payload: { step: 5, kind: 'database.restore', backup: 'backup-20251114-095959.sql.gz', schemaVersionBefore: '20251114_002_workflow_tags' },
      kubectl: `gunzip < backup-20251114-095959.sql.gz | kubectl exec -i -n ${NS} postgres-0 -- psql -U orchestrator orchestrator`,
    }),
    ev(15, 40, person, 'action.succeeded', 'Database restored: schema version back to 20251101_001_initial', {
      payload: { step: 5, kind: 'database.restore', backup: 'backup-20251114-095959.sql.gz', schemaVersionAfter: '20251101_001_initial' },
      kubectl: `kubectl exec -n ${NS} postgres-0 -- psql -U orchestrator -d orchestrator -c "SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1;"`,
    }),
    ev(16, 0, person, 'action.succeeded', 'Scaled orchestrator back to 3 replicas', { payload: { step: 5, kind: 'deployment.scale', replicas: 3, ...rv(4840, 4846) }, kubectl: `kubectl scale deployment ${DEP} -n ${NS} --replicas=3` }),
    ev(17, 0, person, 'step.done', 'Step 5 done: database schema rolled back', { payload: { step: 5 }, kubectl: `kubectl wait --for=condition=ready pod -l app=${DEP} -n ${NS} --timeout=300s` }),
    ev(17, 30, person, 'action.intent', 'Restore ConfigMap orchestrator-config from the snapshot taken at declaration', { payload: { step: 6, kind: 'configmap.restore', changedKeys: ['LLM_TIMEOUT_MS', 'WORKFLOW_ENGINE'] }, kubectl: `kubectl apply -f configmap-backup-20251114-095959.yaml` }),
    ev(17, 31, person, 'action.succeeded', 'ConfigMap orchestrator-config restored (2 keys)', { payload: { step: 6, kind: 'configmap.restore', ...rv(4850, 4852) }, kubectl: `kubectl apply -f configmap-backup-20251114-095959.yaml` }),
    ev(17, 40, person, 'action.succeeded', 'Restarted orchestrator to pick up the configuration', { payload: { step: 6, kind: 'rollout.restart', ...rv(4852, 4860) }, kubectl: `kubectl rollout restart deployment/${DEP} -n ${NS}` }),
    ev(19, 30, system, 'k8s.event', 'Restart complete: 3/3 pods ready', { payload: { reason: 'RolloutComplete', readyReplicas: 3 }, kubectl: `kubectl rollout status deployment/${DEP} -n ${NS}` }),
    ev(19, 30, person, 'step.done', 'Step 6 done: configuration rolled back', { payload: { step: 6 } }),
    ev(19, 40, system, 'incident.mitigated', 'Mitigated: error rate 0.4%, all pods ready on v0.1.1', { payload: { errorRatePercent: 0.4, readyReplicas: 3 } }),
    ev(20, 0, system, 'metric.threshold', 'Error rate 0.4% is back under the 1% target', { payload: { metric: 'error_rate_percent', value: 0.4, threshold: 1 } }),
    ev(22, 0, person, 'note', 'Workflow creation works again', {
      payload: { markdown: 'Workflow creation works again: the smoke request returned **201**.\n\nSupport says the last user reports were at 10:18 UTC.' },
    }),
    ev(26, 0, person, 'step.done', 'Step 7 done: rollback verified (image v0.1.1 on all pods, /health and /health/ready 200, smoke request 201)', {
      payload: { step: 7, images: ['registry.example.com/llm-orchestrator:v0.1.1'], health: 200, ready: 200, smoke: 201 },
      kubectl: [`kubectl get pods -n ${NS} -l app=${DEP} -o jsonpath='{.items[*].spec.containers[0].image}'`, `kubectl logs -n ${NS} -l app=${DEP} --tail=100 --timestamps`],
    }),
    ev(26, 5, system, 'step.started', 'Step 8: 30-minute stability watch started', { payload: { step: 8, windowMinutes: 30 } }),
    ev(41, 5, system, 'metric.sample', 'Stability watch at 15 min: error rate 0.3%, P99 latency 1.2 s, 0 restarts', { payload: { errorRatePercent: 0.3, p99Seconds: 1.2, restarts: 0 } }),
    ev(56, 5, system, 'step.done', 'Step 8 done: stable for 30 minutes (error rate < 1%, P99 < 2 s, no restarts)', { payload: { step: 8, errorRatePercent: 0.3, p99Seconds: 1.1 } }),
    ev(56, 30, person, 'action.succeeded', 'HPA orchestrator checked: matches the snapshot, min 3 / max 10, active', { payload: { step: 9, kind: 'hpa.check' }, kubectl: `kubectl get hpa ${DEP} -n ${NS}` }),
    ev(57, 0, person, 'step.done', 'Step 9 done: autoscaling active', { payload: { step: 9 } }),
    ev(57, 20, person, 'action.succeeded', 'Image registry.example.com/llm-orchestrator:v0.2.0 marked known-bad', { payload: { step: 10, kind: 'image.mark-bad', image: 'registry.example.com/llm-orchestrator:v0.2.0' } }),
    ev(57, 40, person, 'notify.posted', 'Resolution posted in #incidents: rolled back from v0.2.0 to v0.1.1, recovery time 15 minutes', { payload: { channel: '#incidents', template: 'incident-resolved' } }),
    ev(58, 0, person, 'step.done', 'Step 10 done: documented and communicated', { payload: { step: 10 } }),
    ev(58, 0, person, 'incident.resolved', 'Incident resolved', { payload: { status: 'resolved' } }),
    ev(70, 0, author, 'note', 'Root-cause candidates for the review', {
      payload: { markdown: 'Root-cause candidates for the review:\n\n- migration `20251114_002_workflow_tags` ran before the new pods were ready\n- `WORKFLOW_ENGINE=v2` in the ConfigMap was not behind a flag\n\nSee the postmortem draft.' },
    }),
  ];
}
