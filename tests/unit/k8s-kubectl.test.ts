import { describe, expect, it } from 'vitest';
import { kubectlCommands, shellQuote } from '@/lib/k8s/kubectl';

const t = { namespace: 'llm-orchestrator', name: 'orchestrator' };

describe('kubectl command strings', () => {
  it('matches the runbook commands word for word', () => {
    expect(kubectlCommands.rolloutPause(t)).toBe('kubectl rollout pause deployment/orchestrator -n llm-orchestrator');
    expect(kubectlCommands.rolloutStatus(t)).toBe('kubectl rollout status deployment/orchestrator -n llm-orchestrator');
    expect(kubectlCommands.rolloutHistory(t)).toBe('kubectl rollout history deployment/orchestrator -n llm-orchestrator');
    expect(kubectlCommands.rolloutHistory({ ...t, revision: 2 })).toBe('kubectl rollout history deployment/orchestrator -n llm-orchestrator --revision=2');
    expect(kubectlCommands.rolloutUndo(t)).toBe('kubectl rollout undo deployment/orchestrator -n llm-orchestrator');
    expect(kubectlCommands.rolloutUndo({ ...t, toRevision: 2 })).toBe('kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2');
    expect(kubectlCommands.scale({ ...t, replicas: 0 })).toBe('kubectl scale deployment orchestrator -n llm-orchestrator --replicas=0');
    expect(kubectlCommands.waitForPods({ namespace: t.namespace, selector: 'app=orchestrator', condition: 'delete', timeoutSeconds: 60 })).toBe(
      'kubectl wait --for=delete pod -l app=orchestrator -n llm-orchestrator --timeout=60s',
    );
    expect(kubectlCommands.waitForPods({ namespace: t.namespace, selector: 'app=orchestrator', condition: 'ready', timeoutSeconds: 300 })).toBe(
      'kubectl wait --for=condition=ready pod -l app=orchestrator -n llm-orchestrator --timeout=300s',
    );
    expect(kubectlCommands.rolloutRestart(t)).toBe('kubectl rollout restart deployment/orchestrator -n llm-orchestrator');
    expect(kubectlCommands.getHpa(t)).toBe('kubectl get hpa orchestrator -n llm-orchestrator');
    expect(kubectlCommands.logs({ namespace: t.namespace, selector: 'app=orchestrator', tail: 100, timestamps: true })).toBe(
      'kubectl logs -n llm-orchestrator -l app=orchestrator --tail=100 --timestamps',
    );
    expect(kubectlCommands.getPods({ namespace: t.namespace, selector: 'app=orchestrator' })).toBe('kubectl get pods -n llm-orchestrator -l app=orchestrator');
  });

  it('says which dry run it is', () => {
    expect(kubectlCommands.rolloutUndo({ ...t, toRevision: 2, dryRun: 'client' })).toBe(
      'kubectl rollout undo deployment/orchestrator -n llm-orchestrator --to-revision=2 --dry-run=client',
    );
    expect(kubectlCommands.apply({ file: 'deployment-orchestrator-snapshot.yaml', dryRun: true })).toBe('kubectl apply -f deployment-orchestrator-snapshot.yaml --dry-run=server');
    expect(kubectlCommands.apply({ file: 'x.yaml', serverSide: true, fieldManager: 'rollback-console' })).toBe(
      'kubectl apply --server-side --force-conflicts --field-manager=rollback-console -f x.yaml',
    );
  });

  it('quotes what a shell would split or expand, and nothing else', () => {
    expect(shellQuote('app=orchestrator')).toBe('app=orchestrator');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$(rm -rf /)')).toBe("'$(rm -rf /)'");
    expect(shellQuote('')).toBe("''");
    expect(kubectlCommands.annotate({ ...t, kind: 'deployment', annotations: { 'kubernetes.io/change-cause': 'rollback-console: Ida — 12% 5xx' } })).toBe(
      "kubectl annotate deployment/orchestrator -n llm-orchestrator --overwrite 'kubernetes.io/change-cause=rollback-console: Ida — 12% 5xx'",
    );
  });

  it('filters events like describe does', () => {
    expect(kubectlCommands.getEvents({ namespace: 'ns', kind: 'Deployment', name: 'orchestrator' })).toBe(
      'kubectl get events -n ns --field-selector=involvedObject.name=orchestrator,involvedObject.kind=Deployment --sort-by=.lastTimestamp',
    );
  });
});

describe('dry runs and preconditions in the command', () => {
  it('adds --dry-run=server and --resource-version where kubectl has them', () => {
    expect(kubectlCommands.rolloutPause({ ...t, dryRun: true })).toBe('kubectl rollout pause deployment/orchestrator -n llm-orchestrator --dry-run=server');
    expect(kubectlCommands.scale({ ...t, replicas: 0, resourceVersion: '812', dryRun: true })).toBe(
      'kubectl scale deployment orchestrator -n llm-orchestrator --replicas=0 --resource-version=812 --dry-run=server',
    );
    expect(kubectlCommands.replace({ file: 'configmap-orchestrator-config-snapshot.yaml' })).toBe('kubectl replace -f configmap-orchestrator-config-snapshot.yaml');
  });
});
