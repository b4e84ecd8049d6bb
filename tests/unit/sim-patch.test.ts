/* eslint-disable @typescript-eslint/no-explicit-any -- patch fixtures are arbitrary Kubernetes JSON */
import { describe, expect, it } from 'vitest';
import { applyApplyPatch, applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from '@/sim/api/patch';
import { unknownFields } from '@/sim/api/schema';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', annotations: { a: '1' } },
  spec: {
    replicas: 3,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'app', image: 'app:v1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 8080, protocol: 'TCP' }] },
          { name: 'sidecar', image: 'proxy:v1' },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
      },
    },
  },
});

const containers = (d: any) => d.spec.template.spec.containers;

describe('strategic merge patch', () => {
  it('merges containers by name instead of replacing the list (kubectl set image)', () => {
    const out = applyStrategicMergePatch(deployment(), { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:v2' }] } } } }, 'V1Deployment');
    expect(containers(out).map((c: any) => `${c.name}=${c.image}`)).toEqual(['app=app:v2', 'sidecar=proxy:v1']);
    expect(containers(out)[0].env).toHaveLength(2);
  });

  it('merges env by name, deletes with $patch: delete and orders with $setElementOrder', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
                env: [{ name: 'C', value: '3' }, { name: 'B', $patch: 'delete' }],
              },
            ],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(deployment(), patch, 'V1Deployment');
    expect(containers(out)[0].env).toEqual([{ name: 'C', value: '3' }, { name: 'A', value: '1' }]);
  });

  it('removes a field set to null and pauses/resumes like kubectl rollout', () => {
    const paused = applyStrategicMergePatch(deployment(), { spec: { paused: true } }, 'V1Deployment');
    expect(paused.spec.paused).toBe(true);
    const resumed = applyStrategicMergePatch(paused, { spec: { paused: null } }, 'V1Deployment');
    expect('paused' in resumed.spec).toBe(false);
  });

  it('replaces a list with a $patch: replace element, and ports merge by containerPort', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      { spec: { template: { spec: { volumes: [{ $patch: 'replace' }, { name: 'data', emptyDir: {} }], containers: [{ name: 'app', ports: [{ containerPort: 9090 }] }] } } } },
      'V1Deployment',
    );
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: {} }]);
    expect(containers(out)[0].ports.map((p: any) => p.containerPort)).toEqual([8080, 9090]);
  });

  it('honours $retainKeys on the deployment strategy (switching to Recreate drops rollingUpdate)', () => {
    const out = applyStrategicMergePatch(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } }, 'V1Deployment');
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('merges status conditions by type', () => {
    const d = { ...deployment(), status: { conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True' }] } };
    const out = applyStrategicMergePatch(d, { status: { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] } }, 'V1Deployment');
    expect(out.status.conditions).toEqual([
      { type: 'Available', status: 'True' },
      { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
    ]);
  });

  it('replaces lists without a patch strategy (args) and merges annotation maps', () => {
    const d = deployment();
    (containers(d)[0] as any).args = ['--a', '--b'];
    const out = applyStrategicMergePatch(d, { metadata: { annotations: { b: '2' } }, spec: { template: { spec: { containers: [{ name: 'app', args: ['--c'] }] } } } }, 'V1Deployment');
    expect(containers(out)[0].args).toEqual(['--c']);
    expect(out.metadata.annotations).toEqual({ a: '1', b: '2' });
  });

  it('removes values with $deleteFromPrimitiveList on finalizers', () => {
    const out = applyStrategicMergePatch({ metadata: { name: 'x', finalizers: ['a', 'b'] } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'V1ConfigMap');
    expect(out.metadata.finalizers).toEqual(['b']);
  });

  it('rejects a list element without its merge key', () => {
    expect(() => applyStrategicMergePatch(deployment(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, 'V1Deployment')).toThrow(PatchError);
  });
});

describe('JSON patch and merge patch', () => {
  it('applies the JSON patch of kubectl rollout undo (replace template and annotations)', () => {
    const ops = [
      { op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'app:v0' }] } } },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
    ];
    const out = applyJsonPatch(deployment(), ops);
    expect(containers(out)).toEqual([{ name: 'app', image: 'app:v0' }]);
    expect(out.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
  });

  it('supports add/remove/test with escaped paths and fails a test op with 422', () => {
    const doc = { metadata: { labels: { 'a/b': 'x' } }, list: [1, 2] };
    const out = applyJsonPatch(doc, [
      { op: 'test', path: '/metadata/labels/a~1b', value: 'x' },
      { op: 'add', path: '/list/-', value: 3 },
      { op: 'remove', path: '/list/0' },
    ]);
    expect(out.list).toEqual([2, 3]);
    expect(doc.list).toEqual([1, 2]);
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/list/0', value: 9 }])).toThrow(expect.objectContaining({ code: 422 }));
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/nope/x', value: 1 }])).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, { op: 'add' })).toThrow(expect.objectContaining({ code: 400 }));
  });

  it('merge patch replaces lists and deletes nulls', () => {
    const out = applyMergePatch(deployment(), { spec: { replicas: 0, template: { spec: { volumes: null } } } });
    expect(out.spec.replicas).toBe(0);
    expect(out.spec.template.spec.volumes).toBeUndefined();
    expect(containers(out)).toHaveLength(2);
  });
});

describe('server-side apply patch', () => {
  it('merges the applied configuration by key and removes what the manager no longer applies', () => {
    const first = { metadata: { name: 'web', labels: { app: 'web', old: 'x' } }, data: { a: '1', b: '2' } };
    const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', labels: { app: 'web', old: 'x', other: 'kept' } }, data: { a: '1', b: '2', c: 'by-someone-else' } };
    const second = { metadata: { name: 'web', labels: { app: 'web' } }, data: { a: '10' } };
    const out = applyApplyPatch(live, second, 'V1ConfigMap', first);
    expect(out.data).toEqual({ a: '10', c: 'by-someone-else' });
    expect(out.metadata.labels).toEqual({ app: 'web', other: 'kept' });
  });
});

describe('strict field validation', () => {
  it('finds unknown fields with their paths, including inside lists', () => {
    const d: any = deployment();
    d.spec.replicaz = 3;
    d.spec.template.spec.containers[1].imagee = 'x';
    expect(unknownFields('V1Deployment', d).sort()).toEqual(['.spec.replicaz', '.spec.template.spec.containers[1].imagee']);
    expect(unknownFields('V1Deployment', deployment())).toEqual([]);
  });
});
