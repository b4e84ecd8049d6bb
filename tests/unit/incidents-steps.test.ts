import { describe, expect, it } from 'vitest';
import { STEPS, getStep, renderKubectl, runbookCommands, stepProgress, SKIP_REASONS } from '@/lib/incidents/steps';

describe('the ten runbook steps as data', () => {
  it('has steps 1 to 10 in order, each with checks, actions and a completion rule', () => {
    expect(STEPS.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const s of STEPS) {
      expect(s.title).not.toBe('');
      expect(s.runbookTitle).not.toBe('');
      expect(s.checks.length).toBeGreaterThan(0);
      expect(s.actions.length).toBeGreaterThan(0);
      expect(s.completeWhen).not.toBe('');
    }
    expect(new Set(STEPS.map((s) => s.slug)).size).toBe(10);
  });

  it('lets only the conditional steps be skipped, each with its runbook reason', () => {
    const skippable = Object.fromEntries(STEPS.filter((s) => s.skipReasons.length).map((s) => [s.number, s.skipReasons[0]?.id]));
    expect(skippable).toEqual({
      2: SKIP_REASONS.noRolloutInProgress.id,
      5: SKIP_REASONS.noMigration.id,
      6: SKIP_REASONS.noConfigChange.id,
      9: SKIP_REASONS.hpaUntouched.id,
    });
  });

  it('shows the runbook commands each step replaces, verbatim', () => {
    expect(runbookCommands(getStep(2).runbookBlock)).toEqual([
      'kubectl rollout pause deployment/orchestrator -n llm-orchestrator',
      'kubectl rollout status deployment/orchestrator -n llm-orchestrator',
    ]);
    const step4 = runbookCommands(getStep(4).runbookBlock);
    expect(step4).toContain('kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2');
    expect(step4).toContain('kubectl apply -f deployment-backup-20251114-100000.yaml');
    // Multi-line commands (pipes with backslashes, a quoted JSON body, a heredoc) stay whole.
    const step5 = runbookCommands(getStep(5).runbookBlock);
    expect(step5).toContain('gunzip < backup-20251114-095959.sql.gz | \\\n  kubectl exec -i -n llm-orchestrator postgres-0 -- \\\n  psql -U orchestrator orchestrator');
    const curl = runbookCommands(getStep(7).runbookBlock).find((c) => c.startsWith('curl -X POST'));
    expect(curl).toMatch(/"name": "rollback-test"[\s\S]*}'$/);
    const heredoc = runbookCommands(getStep(9).runbookBlock).find((c) => c.startsWith('cat <<EOF'));
    expect(heredoc).toMatch(/averageUtilization: 70\nEOF$/);
  });

  it('every destructive action needs confirmation and carries a kubectl equivalent', () => {
    for (const s of STEPS) {
      for (const a of s.actions) {
        if (a.destructive) {
          expect(a.needsConfirmation).toBe(true);
          expect(a.kubectl.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('fills kubectl templates for the incident', () => {
    const [undo] = getStep(4).actions.find((a) => a.id === 'rollout.undo-to-revision')!.kubectl;
    expect(renderKubectl(undo!, { namespace: 'llm-orchestrator', deployment: 'orchestrator', revision: 2 })).toBe(
      'kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2',
    );
    expect(renderKubectl('kubectl apply -f {file}', {})).toBe('kubectl apply -f {file}');
  });

  it('counts done and skipped steps for the progress bar and names the current one', () => {
    expect(stepProgress([])).toEqual({ finished: 0, total: 10, current: 1 });
    const states = [
      { step: 1, status: 'done' },
      { step: 2, status: 'skipped' },
      { step: 3, status: 'in_progress' },
    ];
    expect(stepProgress(states)).toEqual({ finished: 2, total: 10, current: 3 });
    const all = STEPS.map((s) => ({ step: s.number, status: 'done' }));
    expect(stepProgress(all)).toEqual({ finished: 10, total: 10, current: null });
  });
});
