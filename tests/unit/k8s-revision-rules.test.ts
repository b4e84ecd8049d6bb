import { describe, expect, it } from 'vitest';
import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { buildUndoPatch, findRollbackTarget, isOwnedBy, ownedReplicaSets, revisionOf, undoAnnotations } from '@/lib/k8s/revision-rules';

const deployment: V1Deployment = {
  metadata: {
    name: 'orchestrator',
    uid: 'dep-uid',
    annotations: {
      'deployment.kubernetes.io/revision': '3',
      'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}\n',
      'kubernetes.io/change-cause': 'Update to v0.2.0',
      'team': 'llm',
    },
  },
  spec: { selector: { matchLabels: { app: 'orchestrator' } }, template: { metadata: { labels: { app: 'orchestrator' } }, spec: { containers: [{ name: 'o', image: 'o:v0.2.0' }] } } },
};

function rs(name: string, revision: string | undefined, image: string, owner = 'dep-uid', controller = true): V1ReplicaSet {
  return {
    metadata: {
      name,
      annotations: {
        ...(revision !== undefined ? { 'deployment.kubernetes.io/revision': revision } : {}),
        'kubernetes.io/change-cause': `deploy ${image}`,
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orchestrator', uid: owner, controller }],
    },
    spec: { selector: {}, template: { metadata: { labels: { app: 'orchestrator', 'pod-template-hash': name.split('-')[1]! } }, spec: { containers: [{ name: 'o', image }] } } },
  };
}

const rs1 = rs('orchestrator-aaa', '1', 'o:v0.1.0');
const rs2 = rs('orchestrator-bbb', '2', 'o:v0.1.1');
const rs3 = rs('orchestrator-ccc', '3', 'o:v0.2.0');

describe('revision rules (kubectl history/undo)', () => {
  it('reads revision numbers and ignores malformed ones', () => {
    expect(revisionOf(rs2)).toBe(2);
    expect(revisionOf(rs('x-y', 'abc', 'i'))).toBeUndefined();
    expect(revisionOf(rs('x-y', undefined, 'i'))).toBeUndefined();
  });

  it('keeps only ReplicaSets controlled by this deployment uid, highest revision first', () => {
    const foreign = rs('orchestrator-zzz', '9', 'o:evil', 'other-uid');
    const notController = rs('orchestrator-yyy', '8', 'o:x', 'dep-uid', false);
    expect(isOwnedBy(foreign, deployment)).toBe(false);
    expect(isOwnedBy(notController, deployment)).toBe(false);
    expect(ownedReplicaSets(deployment, [rs1, foreign, rs3, notController, rs2]).map((r) => r.metadata?.name)).toEqual(['orchestrator-ccc', 'orchestrator-bbb', 'orchestrator-aaa']);
  });

  it('picks the previous revision as the second highest, whatever the order', () => {
    const t = findRollbackTarget({ deploymentName: 'orchestrator', owned: [rs1, rs3, rs2] });
    expect(t.ok && t.revision).toBe(2);
  });

  it('after an undo to 2 (now revision 4), the previous revision is 3', () => {
    const rs2now4 = rs('orchestrator-bbb', '4', 'o:v0.1.1');
    const t = findRollbackTarget({ deploymentName: 'orchestrator', owned: [rs1, rs3, rs2now4] });
    expect(t.ok && t.revision).toBe(3);
  });

  it('finds --to-revision=N, or says it is not in history like kubectl', () => {
    const t = findRollbackTarget({ deploymentName: 'orchestrator', owned: [rs1, rs2, rs3], toRevision: 1 });
    expect(t.ok && t.replicaSet.metadata?.name).toBe('orchestrator-aaa');
    expect(findRollbackTarget({ deploymentName: 'orchestrator', owned: [rs1, rs2, rs3], toRevision: 7 })).toEqual({
      ok: false,
      code: 'NotFound',
      message: 'unable to find specified revision 7 in history',
    });
    expect(findRollbackTarget({ deploymentName: 'orchestrator', owned: [rs3] })).toEqual({
      ok: false,
      code: 'PreconditionFailed',
      message: 'no rollout history found for deployment "orchestrator"',
    });
  });

  it('computes the deployment annotations as kubectl does on undo', () => {
    expect(undoAnnotations(deployment.metadata?.annotations, rs2.metadata?.annotations)).toEqual({
      // kept from the deployment
      'deployment.kubernetes.io/revision': '3',
      'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}\n',
      // copied from the ReplicaSet (skip-listed ones excepted); the deployment's own "team" is dropped, as kubectl drops it
      'kubernetes.io/change-cause': 'deploy o:v0.1.1',
    });
  });

  it('builds the JSON patch: template without the hash label, annotations, and nothing else unless asked', () => {
    const { patch } = buildUndoPatch({ deployment, target: rs2 });
    expect(patch).toEqual([
      { op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'orchestrator' } }, spec: { containers: [{ name: 'o', image: 'o:v0.1.1' }] } } },
      { op: 'replace', path: '/metadata/annotations', value: undoAnnotations(deployment.metadata?.annotations, rs2.metadata?.annotations) },
    ]);
    expect(rs2.spec?.template?.metadata?.labels).toHaveProperty('pod-template-hash');
  });

  it('adds the precondition, the console annotations and the resume of a paused deployment in the same patch', () => {
    const paused: V1Deployment = { ...deployment, spec: { ...deployment.spec!, paused: true } };
    const { patch } = buildUndoPatch({ deployment: paused, target: rs2, resourceVersion: '42', resume: true, extraAnnotations: { 'rollback-console/actor': 'ic@example.com' } });
    expect(patch[0]).toEqual({ op: 'replace', path: '/metadata/resourceVersion', value: '42' });
    expect(patch.map((p) => p.path)).toEqual(['/metadata/resourceVersion', '/spec/template', '/metadata/annotations', '/spec/paused']);
    expect(patch[3]).toEqual({ op: 'remove', path: '/spec/paused' });
    expect((patch[2] as { value: Record<string, string> }).value['rollback-console/actor']).toBe('ic@example.com');
    // not paused: no resume op even if asked
    expect(buildUndoPatch({ deployment, target: rs2, resume: true }).patch.map((p) => p.path)).not.toContain('/spec/paused');
  });
});
