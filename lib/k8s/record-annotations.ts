import type { K8sActor } from './client';
import { CHANGE_CAUSE_ANNOTATION } from './revision-rules';

/** Who asked for a change through the console, on the object itself (the timeline holds the rest). */
export const ACTOR_ANNOTATION = 'rollback-console/actor';
export const REASON_ANNOTATION = 'rollback-console/reason';

/** Annotations the console adds and the parity tests ignore (kubectl itself sets none of them unless --record). */
export const CONSOLE_ANNOTATIONS: readonly string[] = [CHANGE_CAUSE_ANNOTATION, ACTOR_ANNOTATION, REASON_ANNOTATION];

export type WhoAndWhy = { actor?: K8sActor | undefined; reason?: string | undefined };

export function changeCauseText({ actor, reason }: WhoAndWhy): string {
  const who = actor ? actor.name || actor.email : 'unknown';
  return `rollback-console: ${who}${reason ? ` — ${reason}` : ''}`;
}

/**
 * The annotations a console write adds. `changeCause` only for writes that make a new revision
 * (undo, restart, apply): `kubernetes.io/change-cause` describes a revision and the controller
 * copies it onto the ReplicaSet, so setting it on a pause or scale would overwrite the current
 * revision's cause ("Update to v0.2.0") in `rollout history`, which step 3 relies on.
 */
export function recordAnnotations(opts: WhoAndWhy & { changeCause: boolean }): Record<string, string> {
  if (!opts.actor && !opts.reason) return {};
  const out: Record<string, string> = {};
  if (opts.changeCause) out[CHANGE_CAUSE_ANNOTATION] = changeCauseText(opts);
  if (opts.actor) out[ACTOR_ANNOTATION] = opts.actor.email;
  if (opts.reason) out[REASON_ANNOTATION] = opts.reason;
  return out;
}
