import { describe, expect, it } from 'vitest';
import { cleanManifest, configReferences, diffConfigData } from '@/lib/incidents/config-references';
import { buildIncidentReport, recoveryMinutes } from '@/lib/incidents/build-incident-report';

describe('what a pod template references', () => {
  it('lists ConfigMaps from env, envFrom and volumes, and Secrets by name and key only', () => {
    const refs = configReferences({
      containers: [
        {
          envFrom: [{ configMapRef: { name: 'orchestrator-config' } }, { secretRef: { name: 'all-of-it' } }],
          env: [
            { valueFrom: { secretKeyRef: { name: 'orchestrator-secrets', key: 'openai-api-key' } } },
            { valueFrom: { secretKeyRef: { name: 'orchestrator-secrets', key: 'database-url' } } },
            { valueFrom: { configMapKeyRef: { name: 'feature-flags', key: 'STREAMING' } } },
          ],
        },
      ],
      volumes: [
        { configMap: { name: 'nginx-conf' } },
        { secret: { secretName: 'tls', items: [{ key: 'tls.crt' }] } },
        { projected: { sources: [{ configMap: { name: 'ca-bundle' } }] } },
      ],
    });
    expect(refs.configMaps).toEqual(['ca-bundle', 'feature-flags', 'nginx-conf', 'orchestrator-config']);
    expect(refs.secrets).toEqual([
      { name: 'all-of-it', keys: [] },
      { name: 'orchestrator-secrets', keys: ['database-url', 'openai-api-key'] },
      { name: 'tls', keys: ['tls.crt'] },
    ]);
  });

  it('cleans manifests for storage: no managedFields, no last-applied copy, never Secret data', () => {
    const cleaned = cleanManifest({
      kind: 'Secret',
      data: { password: 'c2VjcmV0' },
      stringData: { token: 'x' },
      metadata: { name: 's', managedFields: [{}], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{}}', keep: 'me' } },
    });
    expect(cleaned).toEqual({ kind: 'Secret', metadata: { name: 's', annotations: { keep: 'me' } } });
  });

  it('diffs ConfigMap data key by key', () => {
    expect(diffConfigData({ A: '1', B: '2', C: '3' }, { A: '1', B: '20', D: '4' })).toEqual([
      { key: 'B', live: '2', saved: '20' },
      { key: 'C', live: '3', saved: null },
      { key: 'D', live: null, saved: '4' },
    ]);
  });
});

describe('the incident report draft (step 10)', () => {
  it('names the failed version, the steps taken and the time to recovery', () => {
    const detectedAt = new Date('2026-11-28T10:00:00Z');
    const report = buildIncidentReport({
      incident: {
        key: 'INC-20261128-001',
        title: 'Orchestrator 5xx',
        severity: 'SEV1',
        namespace: 'llm-orchestrator',
        deployment: 'orchestrator',
        symptoms: 'High error rate',
        impact: 'User-facing',
        failedRevision: 3,
        failedImage: 'registry.example.com/llm/orchestrator:v0.2.0',
        targetRevision: 4,
        targetImage: 'registry.example.com/llm/orchestrator:v0.1.1',
        detectedAt,
        declaredAt: new Date('2026-11-28T10:03:00Z'),
        mitigatedAt: new Date('2026-11-28T10:14:00Z'),
        resolvedAt: null,
        commanderName: 'Ada',
      },
      steps: [
        { step: 1, status: 'done', reason: null, completedAt: null },
        { step: 2, status: 'skipped', reason: 'No rollout in progress', completedAt: null },
      ],
      actions: [{ kind: 'rollout.undo', status: 'succeeded', actorName: 'Ada', createdAt: new Date('2026-11-28T10:10:00Z'), kubectl: 'kubectl rollout undo deployment/orchestrator -n llm-orchestrator', error: null }],
    });
    expect(report).toContain('- Failed version: v0.2.0 (revision 3, registry.example.com/llm/orchestrator:v0.2.0)');
    expect(report).toContain('- Time to recovery: 14 minutes');
    expect(report).toContain('- [-] Step 2: Pause the rollout — skipped (No rollout in progress)');
    expect(report).toContain('`kubectl rollout undo deployment/orchestrator -n llm-orchestrator`');
    expect(report).toContain('- [ ] Schedule post-incident review (within 24-48 hours)');
    expect(recoveryMinutes(detectedAt, null, new Date('2026-11-28T10:30:00Z'))).toBe(30);
  });
});
