/**
 * Runbook step 3, "Check which revision was last stable. Usually: current revision - 1", made
 * safe: the newest revision older than the current one whose image is neither the failed image
 * nor marked known-bad. Pure, so the wizard and the tests share it.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 3
 */

export type RevisionSummary = {
  revision: number;
  /** Image of the first container of the revision's pod template. */
  image: string | null;
  changeCause?: string | null;
};

export type TargetSuggestion = {
  revision: number;
  image: string | null;
  /** Why this one, and which newer ones were passed over. */
  reason: string;
  skipped: { revision: number; image: string | null; why: 'failed-image' | 'known-bad' }[];
};

export function suggestTargetRevision(options: {
  revisions: RevisionSummary[];
  currentRevision: number;
  failedImage?: string | null;
  knownBadImages: Iterable<string>;
}): TargetSuggestion | null {
  const knownBad = new Set(options.knownBadImages);
  const older = options.revisions.filter((r) => r.revision < options.currentRevision).sort((a, b) => b.revision - a.revision);
  const skipped: TargetSuggestion['skipped'] = [];
  for (const candidate of older) {
    if (candidate.image && options.failedImage && candidate.image === options.failedImage) {
      skipped.push({ revision: candidate.revision, image: candidate.image, why: 'failed-image' });
      continue;
    }
    if (candidate.image && knownBad.has(candidate.image)) {
      skipped.push({ revision: candidate.revision, image: candidate.image, why: 'known-bad' });
      continue;
    }
    const passedOver = skipped.length
      ? `; passed over ${skipped.map((s) => `revision ${s.revision} (${s.why === 'known-bad' ? 'known-bad image' : 'the failed image'})`).join(', ')}`
      : '';
    return {
      revision: candidate.revision,
      image: candidate.image,
      reason: `Newest revision older than the current revision ${options.currentRevision} whose image is not known-bad${passedOver}`,
      skipped,
    };
  }
  return null;
}
