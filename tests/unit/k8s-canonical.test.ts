import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalize, templatesEqualIgnoringHash, withoutHashLabel } from '@/lib/k8s/canonical';

const template = (extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app: 'orchestrator' } },
  spec: { containers: [{ name: 'orchestrator', image: 'orchestrator:v0.1.1', ...extra }] },
});

describe('template canonicalisation', () => {
  it('ignores key order, nulls and empty maps or lists, as the controller does', () => {
    const kubectlSent = {
      spec: { containers: [{ resources: {}, image: 'orchestrator:v0.1.1', name: 'orchestrator', args: [] }] },
      metadata: { creationTimestamp: null, labels: { app: 'orchestrator' } },
    };
    expect(canonicalJson(kubectlSent)).toBe(canonicalJson(template()));
    expect(templatesEqualIgnoringHash(kubectlSent, template())).toBe(true);
  });

  it('keeps list order and real differences', () => {
    expect(canonicalize([2, 1])).toEqual([2, 1]);
    expect(templatesEqualIgnoringHash(template(), template({ image: 'orchestrator:v0.2.0' }))).toBe(false);
    expect(templatesEqualIgnoringHash(template(), template({ env: [{ name: 'A', value: '1' }] }))).toBe(false);
  });

  it('compares templates without the pod-template-hash label and does not mutate the input', () => {
    const rs = template();
    (rs.metadata.labels as Record<string, string>)['pod-template-hash'] = '776n7d6mv';
    expect(templatesEqualIgnoringHash(rs, template())).toBe(true);
    const stripped = withoutHashLabel(rs);
    expect(stripped.metadata.labels).toEqual({ app: 'orchestrator' });
    expect(rs.metadata.labels).toHaveProperty('pod-template-hash', '776n7d6mv');
  });

  it('turns dates into RFC 3339 strings', () => {
    expect(canonicalize({ t: new Date('2026-01-01T00:00:00Z') })).toEqual({ t: '2026-01-01T00:00:00.000Z' });
  });
});
