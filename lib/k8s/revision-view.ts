import 'server-only';
import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { ACTOR_ANNOTATION } from './record-annotations';
import { CHANGE_CAUSE_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, revisionOf } from './revision-rules';
import { isoTime, toPlain } from './internal';
import { templatesEqualIgnoringHash } from './canonical';

/** One entry of `kubectl rollout history`, with what the console adds (images, age, current marker, template). */
export type RevisionSummary = {
  revision: number;
  replicaSetName: string;
  podTemplateHash: string | null;
  images: { container: string; image: string }[];
  changeCause: string | null;
  /** Who made this revision through the console, when it did. */
  actor: string | null;
  createdAt: string | null;
  /** The revision whose template the deployment has now. */
  current: boolean;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  /** The deployment's desired replicas when this revision was last scaled (controller annotation). */
  desiredReplicas: number | null;
  resourceVersion: string;
  /** The pod template as plain JSON (no Secret values: templates only reference Secrets). */
  template: V1PodTemplateSpec;
};

export function toRevisionSummary(rs: V1ReplicaSet, deployment: V1Deployment): RevisionSummary {
  const a = rs.metadata?.annotations ?? {};
  const desired = a[DESIRED_REPLICAS_ANNOTATION];
  return {
    revision: revisionOf(rs) ?? 0,
    replicaSetName: rs.metadata?.name ?? '',
    podTemplateHash: rs.metadata?.labels?.['pod-template-hash'] ?? null,
    images: (rs.spec?.template?.spec?.containers ?? []).map((c) => ({ container: c.name, image: c.image ?? '' })),
    changeCause: a[CHANGE_CAUSE_ANNOTATION] ?? null,
    actor: a[ACTOR_ANNOTATION] ?? null,
    createdAt: isoTime(rs.metadata?.creationTimestamp),
    current: templatesEqualIgnoringHash(rs.spec?.template, deployment.spec?.template),
    replicas: rs.status?.replicas ?? 0,
    readyReplicas: rs.status?.readyReplicas ?? 0,
    availableReplicas: rs.status?.availableReplicas ?? 0,
    desiredReplicas: desired !== undefined && /^\d+$/.test(desired) ? Number(desired) : null,
    resourceVersion: rs.metadata?.resourceVersion ?? '',
    template: toPlain(rs.spec?.template ?? {}) as V1PodTemplateSpec,
  };
}
