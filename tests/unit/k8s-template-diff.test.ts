import { describe, expect, it } from 'vitest';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { diffTemplates, isSensitiveName, MASK, maskUrlCredentials, summarizeTemplate } from '@/lib/k8s/template-diff';

function template(image: string, env: { name: string; value?: string; secret?: string }[] = [], extra: Partial<NonNullable<V1PodTemplateSpec['spec']>['containers'][number]> = {}): V1PodTemplateSpec {
  return {
    metadata: { labels: { app: 'orchestrator' } },
    spec: {
      containers: [
        {
          name: 'orchestrator',
          image,
          env: env.map((e) => (e.secret ? { name: e.name, valueFrom: { secretKeyRef: { name: e.secret, key: e.name.toLowerCase() } } } : { name: e.name, value: e.value })),
          envFrom: [{ configMapRef: { name: 'orchestrator-config' } }],
          resources: { requests: { cpu: '500m' }, limits: { memory: '1Gi' } },
          readinessProbe: { httpGet: { path: '/health/ready', port: 8080 as never }, periodSeconds: 10 },
          ...extra,
        },
      ],
    },
  };
}

describe('revision diff shaping', () => {
  it('shows the image change between two revisions', () => {
    const d = diffTemplates({ from: template('o:v0.1.1'), to: template('o:v0.2.0') });
    expect(d.changes).toEqual([{ category: 'image', path: 'containers[orchestrator].image', change: 'changed', before: 'o:v0.1.1', after: 'o:v0.2.0' }]);
  });

  it('identical templates have no changes', () => {
    expect(diffTemplates({ from: template('o:1', [{ name: 'A', value: '1' }]), to: template('o:1', [{ name: 'A', value: '1' }]) }).changes).toEqual([]);
  });

  it('never shows the value of a sensitive env var, only that it changed', () => {
    const d = diffTemplates({ from: template('o:1', [{ name: 'API_TOKEN', value: 'old-s3cret' }]), to: template('o:1', [{ name: 'API_TOKEN', value: 'new-s3cret' }]) });
    expect(d.changes).toEqual([{ category: 'env', path: 'containers[orchestrator].env.API_TOKEN', change: 'changed', before: MASK, after: MASK, masked: true }]);
    expect(JSON.stringify(d)).not.toContain('s3cret');
  });

  it('masks passwords inside URLs and shows the rest', () => {
    const from = template('o:1', [{ name: 'UPSTREAM_URL', value: 'postgres://app:hunter2@db:5432/x' }]);
    const to = template('o:1', [{ name: 'UPSTREAM_URL', value: 'postgres://app:hunter3@db2:5432/x' }]);
    const d = diffTemplates({ from, to });
    expect(d.changes[0]).toMatchObject({ before: `postgres://app:${MASK}@db:5432/x`, after: `postgres://app:${MASK}@db2:5432/x`, masked: true });
    expect(JSON.stringify(d)).not.toMatch(/hunter/);
  });

  it('shows Secret and ConfigMap references by name, never values', () => {
    const d = diffTemplates({ from: template('o:1', [{ name: 'DATABASE_URL', secret: 'db-v1' }]), to: template('o:1', [{ name: 'DATABASE_URL', secret: 'db-v2' }, { name: 'LOG_LEVEL', value: 'debug' }]) });
    expect(d.changes).toEqual([
      { category: 'secret', path: 'containers[orchestrator].env.DATABASE_URL', change: 'changed', before: 'secret db-v1/database_url', after: 'secret db-v2/database_url' },
      { category: 'env', path: 'containers[orchestrator].env.LOG_LEVEL', change: 'added', before: null, after: 'debug' },
      { category: 'secret', path: 'secrets', change: 'removed', before: 'db-v1', after: null },
      { category: 'secret', path: 'secrets', change: 'added', before: null, after: 'db-v2' },
    ]);
    expect(summarizeTemplate(template('o:1')).configMaps).toEqual(['orchestrator-config']);
  });

  it('covers resources, probes and replicas', () => {
    const to = template('o:1', [], { resources: { requests: { cpu: '1' }, limits: { memory: '1Gi' } }, readinessProbe: { httpGet: { path: '/ready', port: 8080 as never }, periodSeconds: 5 } });
    const d = diffTemplates({ from: template('o:1'), to, fromReplicas: 3, toReplicas: 0 });
    expect(d.changes.map((c) => [c.category, c.path, c.before, c.after])).toEqual([
      ['replicas', 'replicas', '3', '0'],
      ['resources', 'containers[orchestrator].resources.requests.cpu', '500m', '1'],
      ['probe', 'containers[orchestrator].readinessProbe', 'httpGet :8080/health/ready period=10s', 'httpGet :8080/ready period=5s'],
    ]);
  });

  it('reports added and removed containers', () => {
    const to = template('o:1');
    to.spec!.containers.push({ name: 'sidecar', image: 'envoy:1' });
    expect(diffTemplates({ from: template('o:1'), to }).changes).toEqual([{ category: 'container', path: 'containers[sidecar]', change: 'added', before: null, after: 'envoy:1' }]);
  });

  it('recognises sensitive names', () => {
    for (const n of ['DB_PASSWORD', 'OPENAI_API_KEY', 'GITHUB_TOKEN', 'CLIENT_SECRET', 'AWS_CREDENTIALS', 'private_key']) expect(isSensitiveName(n)).toBe(true);
    for (const n of ['LOG_LEVEL', 'PORT', 'REGION']) expect(isSensitiveName(n)).toBe(false);
    expect(maskUrlCredentials('https://host/path')).toBe('https://host/path');
  });
});
