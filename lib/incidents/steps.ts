/**
 * The runbook's ten steps, described once as data. The wizard pages, the progress bar, the
 * stakeholder view and the exports all read this file; nothing else hard-codes a step.
 *
 * Plain data only (no server imports), so client components may import it too.
 * Placeholders in kubectl templates: {namespace} {deployment} {revision} {replicas} {configmap}
 * {hpa} {file} {backup} — fill them with `renderKubectl()`.
 * @see ../../../shared/runbooks/rollback-procedure.md "Step-by-Step Procedure"
 */
import { RUNBOOK_STEP_BLOCKS, RUNBOOK_STEP_TITLES } from './runbook-text';

export type StepNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

/** Permission names from lib/auth/permissions.ts that step actions need. */
export type StepPermission = 'incident.declare' | 'incident.update' | 'step.update' | 'rollback.execute';

/** A live check the step page shows with pass/fail and details. */
export type StepCheck = { id: string; label: string };

/** A button on the step page. Every action goes through run-action.ts on the server. */
export type StepActionDefinition = {
  /** Stable id; also the prefix of the Action.kind it records. */
  id: string;
  label: string;
  permission: StepPermission;
  /** kubectl (or shell) equivalent with {placeholders}; one entry per command. */
  kubectl: string[];
  /** Changes what users are served (pods replaced, data overwritten). */
  destructive: boolean;
  /** Shown in a confirmation dialog with its kubectl equivalent before it runs. */
  needsConfirmation: boolean;
  /** The lib/incidents function that performs it (for the UI's wiring and the docs). */
  handler: string;
};

/** Why a step may be skipped; the chosen reason is stored in StepState.reason. */
export type SkipReason = { id: string; label: string };

export type StepDefinition = {
  number: StepNumber;
  /** URL-safe name, e.g. "pause-rollout". */
  slug: string;
  title: string;
  /** The runbook's own heading for the step. */
  runbookTitle: string;
  purpose: string;
  /** The runbook's shell block for this step, verbatim. */
  runbookBlock: string;
  checks: StepCheck[];
  actions: StepActionDefinition[];
  /** When the step counts as done, in words the commander reads. */
  completeWhen: string;
  /** Empty: the step may not be skipped. */
  skipReasons: SkipReason[];
};

export const SKIP_REASONS = {
  noRolloutInProgress: { id: 'no-rollout-in-progress', label: 'No rollout in progress: the deployment had already finished rolling out' },
  noMigration: { id: 'no-migration', label: 'No migration in the release: the failed version ran no database migrations' },
  noConfigChange: { id: 'no-config-change', label: 'No config change: the ConfigMaps match the snapshot taken before the release' },
  hpaUntouched: { id: 'hpa-untouched', label: 'HPA untouched: the autoscaler matches the snapshot and is active' },
} as const satisfies Record<string, SkipReason>;

const step = (number: StepNumber, rest: Omit<StepDefinition, 'number' | 'runbookTitle' | 'runbookBlock'>): StepDefinition => ({
  number,
  runbookTitle: RUNBOOK_STEP_TITLES[number] ?? '',
  runbookBlock: RUNBOOK_STEP_BLOCKS[number] ?? '',
  ...rest,
});

export const STEPS: readonly StepDefinition[] = [
  step(1, {
    slug: 'declare',
    title: 'Declare incident and assess scope',
    purpose: 'Record the incident, capture a snapshot of the deployment, its ConfigMaps and HPA, and tell people.',
    checks: [
      { id: 'deployment-status', label: 'Deployment status (ready / updated / available replicas)' },
      { id: 'pod-status', label: 'Pod status (phase, ready, restarts)' },
      { id: 'health', label: 'Application /health answers 200' },
      { id: 'error-rate', label: 'Error rate (5xx %) over the last 5 minutes' },
    ],
    actions: [
      {
        id: 'incident.declare',
        label: 'Declare incident',
        permission: 'incident.declare',
        kubectl: ['kubectl get deployment {deployment} -n {namespace} -o yaml', 'kubectl get configmap,hpa -n {namespace} -o yaml'],
        destructive: false,
        needsConfirmation: false,
        handler: 'declareIncident',
      },
      {
        id: 'announcement.post',
        label: 'Post announcement',
        permission: 'incident.update',
        kubectl: [],
        destructive: false,
        needsConfirmation: false,
        handler: 'postAnnouncement',
      },
    ],
    completeWhen: 'The incident is declared, the snapshot taken and the announcement posted or copied.',
    skipReasons: [],
  }),
  step(2, {
    slug: 'pause-rollout',
    title: 'Pause the rollout',
    purpose: 'Stop a rollout that is still replacing pods, so no more pods move to the failing version.',
    checks: [
      { id: 'rollout-in-progress', label: 'A rollout is in progress (updated replicas < desired)' },
      { id: 'rollout-paused', label: 'Deployment is paused' },
    ],
    actions: [
      {
        id: 'rollout.pause',
        label: 'Pause rollout',
        permission: 'rollback.execute',
        kubectl: ['kubectl rollout pause deployment/{deployment} -n {namespace}'],
        destructive: false,
        needsConfirmation: true,
        handler: 'pauseRollout',
      },
    ],
    completeWhen: 'The deployment is paused (spec.paused: true): no more pods move to the failing version.',
    skipReasons: [SKIP_REASONS.noRolloutInProgress],
  }),
  step(3, {
    slug: 'target-revision',
    title: 'Identify the target revision',
    purpose: 'Choose the revision to return to: the last stable one, never a known-bad image.',
    checks: [
      { id: 'revision-history', label: 'Rollout history with change causes and images' },
      { id: 'suggested-revision', label: 'Last stable revision (newest older revision not known-bad)' },
    ],
    actions: [
      {
        id: 'revision.choose',
        label: 'Choose this revision',
        permission: 'step.update',
        kubectl: ['kubectl rollout history deployment/{deployment} -n {namespace} --revision={revision}'],
        destructive: false,
        needsConfirmation: false,
        handler: 'chooseTargetRevision',
      },
    ],
    completeWhen: 'A target revision is chosen and recorded on the incident.',
    skipReasons: [],
  }),
  step(4, {
    slug: 'rollback',
    title: 'Roll back the application',
    purpose: 'Return the deployment to the target revision and follow the rollout until every pod is ready.',
    checks: [
      { id: 'deployment-paused', label: 'Deployment paused (resumed automatically before undo)' },
      { id: 'rollout-progress', label: 'Rollout progress (updated / ready / available)' },
      { id: 'pods-on-target', label: 'Pods on the target image' },
    ],
    actions: [
      {
        id: 'rollout.undo',
        label: 'Roll back to previous revision',
        permission: 'rollback.execute',
        kubectl: ['kubectl rollout undo deployment/{deployment} -n {namespace}'],
        destructive: true,
        needsConfirmation: true,
        handler: 'executeRollback',
      },
      {
        id: 'rollout.undo-to-revision',
        label: 'Roll back to the chosen revision',
        permission: 'rollback.execute',
        kubectl: ['kubectl rollout undo deployment/{deployment} -n {namespace} --to-revision={revision}'],
        destructive: true,
        needsConfirmation: true,
        handler: 'executeRollback',
      },
      {
        id: 'deployment.apply',
        label: 'Apply the saved manifest',
        permission: 'rollback.execute',
        kubectl: ['kubectl apply -f {file}'],
        destructive: true,
        needsConfirmation: true,
        handler: 'executeRollback',
      },
    ],
    completeWhen: 'The rollout to the target revision completed: all replicas updated, ready and available.',
    skipReasons: [],
  }),
  step(5, {
    slug: 'database',
    title: 'Roll back the database schema',
    purpose: 'Only when the failed release ran migrations: restore the backup taken before it, with no pod writing.',
    checks: [
      { id: 'backups', label: 'Backups available (backup-*.sql.gz)' },
      { id: 'schema-version', label: 'Current schema version' },
      { id: 'pods-gone', label: 'No application pod running' },
    ],
    actions: [
      {
        id: 'database.restore',
        label: 'Scale to 0, restore backup, scale back',
        permission: 'rollback.execute',
        kubectl: [
          'kubectl scale deployment {deployment} -n {namespace} --replicas=0',
          'kubectl wait --for=delete pod -l {selector} -n {namespace} --timeout=60s',
          'gunzip < {backup} | psql "$TARGET_DATABASE_URL"',
          'psql "$TARGET_DATABASE_URL" -c "SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1;"',
          'kubectl scale deployment {deployment} -n {namespace} --replicas={replicas}',
          'kubectl wait --for=condition=ready pod -l {selector} -n {namespace} --timeout=300s',
        ],
        destructive: true,
        needsConfirmation: true,
        handler: 'restoreDatabase',
      },
    ],
    completeWhen: 'The schema version is the backup\'s and the deployment is back at its replica count, all pods ready.',
    skipReasons: [SKIP_REASONS.noMigration],
  }),
  step(6, {
    slug: 'config',
    title: 'Roll back configuration',
    purpose: 'Restore ConfigMaps changed by the release, then restart the pods so they read it.',
    checks: [{ id: 'configmap-diff', label: 'Live ConfigMap compared with the snapshot' }],
    actions: [
      {
        id: 'configmap.restore',
        label: 'Restore ConfigMap and restart',
        permission: 'rollback.execute',
        kubectl: [
          'kubectl apply -f {file}',
          'kubectl rollout restart deployment/{deployment} -n {namespace}',
          'kubectl rollout status deployment/{deployment} -n {namespace}',
        ],
        destructive: true,
        needsConfirmation: true,
        handler: 'restoreConfig',
      },
    ],
    completeWhen: 'The live ConfigMaps match the restored version and the restart finished.',
    skipReasons: [SKIP_REASONS.noConfigChange],
  }),
  step(7, {
    slug: 'verify',
    title: 'Verify the rollback',
    purpose: 'Prove the service is back: right image everywhere, health and readiness, clean logs, a real request.',
    checks: [
      { id: 'pods-image', label: 'Every pod runs the target image' },
      { id: 'health-version', label: '/health answers 200 with the expected version' },
      { id: 'health-ready', label: '/health/ready answers 200' },
      { id: 'log-errors', label: 'No error lines in the last 100 log lines per pod' },
      { id: 'smoke-request', label: 'Smoke request POST /api/v1/workflows succeeds' },
    ],
    actions: [
      {
        id: 'verify.run',
        label: 'Run verification',
        permission: 'step.update',
        kubectl: [
          "kubectl get pods -n {namespace} -l {selector} -o jsonpath='{.items[*].spec.containers[0].image}'",
          'kubectl logs -n {namespace} -l {selector} --tail=100 --timestamps',
        ],
        destructive: false,
        needsConfirmation: false,
        handler: 'verifyRollback',
      },
    ],
    completeWhen: 'Every verification check passes.',
    skipReasons: [],
  }),
  step(8, {
    slug: 'stability',
    title: 'Monitor stability',
    purpose: 'Watch error rate, P99 latency and pod restarts for the stability window, on the server.',
    checks: [
      { id: 'error-rate', label: 'Error rate below 1%' },
      { id: 'p99-latency', label: 'P99 latency below 2 s' },
      { id: 'pod-restarts', label: 'No new pod restarts' },
      { id: 'window', label: 'Stability window elapsed' },
    ],
    actions: [
      {
        id: 'stability.start',
        label: 'Start stability watch',
        permission: 'step.update',
        kubectl: ['kubectl get pods -n {namespace} -l {selector} --watch'],
        destructive: false,
        needsConfirmation: false,
        handler: 'startStabilityWatch',
      },
    ],
    completeWhen: 'The whole window passed with error rate < 1%, P99 < 2 s and no new restarts.',
    skipReasons: [],
  }),
  step(9, {
    slug: 'autoscaling',
    title: 'Resume autoscaling',
    purpose: 'Put the HorizontalPodAutoscaler back as it was before the incident and check it is active.',
    checks: [
      { id: 'hpa-present', label: 'HPA exists' },
      { id: 'hpa-matches', label: 'HPA matches the snapshot (min, max, target)' },
      { id: 'hpa-active', label: 'HPA is active (ScalingActive)' },
    ],
    actions: [
      {
        id: 'hpa.restore',
        label: 'Restore HPA',
        permission: 'rollback.execute',
        kubectl: ['kubectl apply -f {file}', 'kubectl get hpa {hpa} -n {namespace}'],
        destructive: false,
        needsConfirmation: true,
        handler: 'restoreAutoscaling',
      },
    ],
    completeWhen: 'The HPA matches the snapshot and is active.',
    skipReasons: [SKIP_REASONS.hpaUntouched],
  }),
  step(10, {
    slug: 'document',
    title: 'Document and communicate',
    purpose: 'Announce the resolution, draft the incident report, mark the image known-bad and close.',
    checks: [
      { id: 'report-draft', label: 'Incident report draft' },
      { id: 'image-known-bad', label: 'Failed image marked known-bad' },
      { id: 'follow-ups', label: 'Post-incident follow-ups' },
    ],
    actions: [
      {
        id: 'incident.resolve',
        label: 'Post resolution and mark image known-bad',
        permission: 'incident.update',
        kubectl: [],
        destructive: false,
        needsConfirmation: true,
        handler: 'resolveIncident',
      },
      {
        id: 'incident.close',
        label: 'Close incident',
        permission: 'incident.update',
        kubectl: [],
        destructive: false,
        needsConfirmation: true,
        handler: 'closeIncident',
      },
    ],
    completeWhen: 'The resolution is posted, the image marked known-bad and the incident closed.',
    skipReasons: [],
  }),
];

/** The step with this number; throws for a number outside 1..10 (a programming error). */
export function getStep(number: number): StepDefinition {
  const found = STEPS.find((s) => s.number === number);
  if (!found) throw new Error(`No runbook step ${number}`);
  return found;
}

export function isStepNumber(n: unknown): n is StepNumber {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 10;
}

/** The commands of a runbook block: comment and blank lines dropped, `\` continuations joined. */
export function runbookCommands(block: string): string[] {
  const commands: string[] = [];
  let current = '';
  for (const raw of block.split('\n')) {
    const line = raw.trimEnd();
    if (!current && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    current = current ? `${current}\n${line}` : line;
    if (!line.endsWith('\\') && !isOpenHeredocOrQuote(current)) {
      commands.push(current);
      current = '';
    }
  }
  if (current) commands.push(current);
  return commands;
}

// A curl -d '{ ... }' or a heredoc spans lines without backslashes; keep it as one command.
function isOpenHeredocOrQuote(text: string): boolean {
  const heredoc = /<<\s*'?(\w+)'?/.exec(text);
  if (heredoc) return !new RegExp(`\\n${heredoc[1]}$`).test(text);
  return (text.match(/'/g)?.length ?? 0) % 2 === 1;
}

export type KubectlVars = Partial<Record<'namespace' | 'deployment' | 'revision' | 'replicas' | 'configmap' | 'hpa' | 'file' | 'backup' | 'selector', string | number>>;

/** Fills a kubectl template's {placeholders}; unknown placeholders are left as they are. */
export function renderKubectl(template: string, vars: KubectlVars): string {
  return template.replace(/\{(namespace|deployment|revision|replicas|configmap|hpa|file|backup|selector)\}/g, (whole, key: keyof KubectlVars) => {
    const value = vars[key];
    return value === undefined ? whole : String(value);
  });
}

export type StepStatus = 'pending' | 'in_progress' | 'done' | 'skipped' | 'failed';

/** For the progress bar: steps finished (done or skipped) out of ten, and the current one. */
export function stepProgress(states: { step: number; status: string }[]): { finished: number; total: number; current: StepNumber | null } {
  const byStep = new Map(states.map((s) => [s.step, s.status]));
  const finished = STEPS.filter((s) => ['done', 'skipped'].includes(byStep.get(s.number) ?? '')).length;
  const current = STEPS.find((s) => !['done', 'skipped'].includes(byStep.get(s.number) ?? 'pending'))?.number ?? null;
  return { finished, total: STEPS.length, current };
}
