import { describe, expect, it } from 'vitest';
import { applyPatchFor, cleanManifest, diffObjects, goJson, lastAppliedFor, parseManifest, snapshotFileName, type Manifest } from '@/lib/k8s/manifest';
import { changeCauseText, recordAnnotations } from '@/lib/k8s/record-annotations';

const backupYaml = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: orchestrator-config
  namespace: llm-orchestrator
  resourceVersion: "812"
  uid: 1234
  creationTimestamp: "2025-11-14T09:59:59Z"
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: "{}"
data:
  LOG_LEVEL: info
  API_SECRET: s3cret
`;

describe('saved manifests', () => {
  it('parses YAML and removes what would make kubectl apply fail (stale resourceVersion, uid, status)', () => {
    const p = parseManifest(backupYaml);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const m = cleanManifest(p.manifest);
    expect(m.metadata).toEqual({ name: 'orchestrator-config', namespace: 'llm-orchestrator' });
    expect(m.data).toEqual({ LOG_LEVEL: 'info', API_SECRET: 's3cret' });
    expect(snapshotFileName(m)).toBe('configmap-orchestrator-config-snapshot.yaml');
    expect(snapshotFileName({ kind: 'HorizontalPodAutoscaler', metadata: { name: 'orchestrator' } })).toBe('hpa-orchestrator-snapshot.yaml');
  });

  it('refuses what is not one object', () => {
    expect(parseManifest('- a\n- b').ok).toBe(false);
    expect(parseManifest('kind: X').ok).toBe(false);
    expect(parseManifest(': : :').ok).toBe(false);
  });

  it("writes kubectl's last-applied annotation: Go JSON, sorted keys, HTML escaped, newline", () => {
    const m: Manifest = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', namespace: 'n' }, data: { b: '<&>', a: '1' } };
    expect(lastAppliedFor(m)).toBe('{"apiVersion":"v1","data":{"a":"1","b":"\\u003c\\u0026\\u003e"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"c","namespace":"n"}}\n');
    expect(goJson({ z: 1, a: [{ y: 2, b: 3 }] })).toBe('{"a":[{"b":3,"y":2}],"z":1}');
  });

  it('deletes map keys that the previous applied configuration had and the new one drops', () => {
    const modified: Manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { A: '1' } };
    const original = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { A: '0', NEW_FLAG: 'on' } };
    expect(applyPatchFor({ modified, original })).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { A: '1', NEW_FLAG: null } });
    expect(applyPatchFor({ modified, original: undefined })).toEqual(modified);
  });

  it('diffs objects field by field, masking sensitive keys', () => {
    const changes = diffObjects({ data: { LOG_LEVEL: 'debug', API_SECRET: 'a', GONE: 'x' } }, { data: { LOG_LEVEL: 'info', API_SECRET: 'b' } });
    expect(changes).toEqual([
      { path: 'data.API_SECRET', change: 'changed', before: '••••••', after: '••••••', masked: true },
      { path: 'data.GONE', change: 'removed', before: 'x', after: null },
      { path: 'data.LOG_LEVEL', change: 'changed', before: 'debug', after: 'info' },
    ]);
    expect(diffObjects({ a: 1, status: { x: 1 } }, { a: 1, status: { x: 2 } }, { ignore: ['status'] })).toEqual([]);
  });
});

describe('who and why', () => {
  it('records the actor and the reason; change-cause only for new revisions', () => {
    const actor = { email: 'ic@example.com', name: 'Ida Commander' };
    expect(changeCauseText({ actor, reason: 'v0.2.0 serves 12% 5xx' })).toBe('rollback-console: Ida Commander — v0.2.0 serves 12% 5xx');
    expect(recordAnnotations({ actor, reason: 'r', changeCause: true })).toEqual({
      'kubernetes.io/change-cause': 'rollback-console: Ida Commander — r',
      'rollback-console/actor': 'ic@example.com',
      'rollback-console/reason': 'r',
    });
    expect(recordAnnotations({ actor, changeCause: false })).toEqual({ 'rollback-console/actor': 'ic@example.com' });
    expect(recordAnnotations({ changeCause: true })).toEqual({});
  });
});
