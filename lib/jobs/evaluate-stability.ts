/**
 * Runbook step 8 thresholds and the verdict on one sample of the stability watch. Pure.
 * @see ../../../shared/runbooks/rollback-procedure.md Step 8 and "Validation"
 */

export const STABILITY_THRESHOLDS = { maxErrorRatePct: 1, maxP99Seconds: 2 } as const;

export type StabilitySample = {
  at: string;
  /** 5xx share of requests in %, null when unknown (no traffic or no metrics source). */
  errorRatePct: number | null;
  p99Seconds: number | null;
  /** Restart count per pod name. */
  restarts: Record<string, number>;
};

export type StabilityBreach = { check: 'error-rate' | 'p99-latency' | 'pod-restarts'; message: string };

/**
 * Breaches of one sample against the thresholds and the restart counts seen when the watch began.
 * A pod that did not exist at the start counts from zero restarts.
 */
export function evaluateStability(options: {
  sample: StabilitySample;
  baselineRestarts: Record<string, number>;
  thresholds?: { maxErrorRatePct: number; maxP99Seconds: number };
}): StabilityBreach[] {
  const t = options.thresholds ?? STABILITY_THRESHOLDS;
  const breaches: StabilityBreach[] = [];
  const { errorRatePct, p99Seconds, restarts } = options.sample;
  if (errorRatePct !== null && errorRatePct >= t.maxErrorRatePct) {
    breaches.push({ check: 'error-rate', message: `Error rate ${errorRatePct.toFixed(2)}% is not below ${t.maxErrorRatePct}%` });
  }
  if (p99Seconds !== null && p99Seconds >= t.maxP99Seconds) {
    breaches.push({ check: 'p99-latency', message: `P99 latency ${p99Seconds.toFixed(2)} s is not below ${t.maxP99Seconds} s` });
  }
  const restarted = Object.entries(restarts)
    .filter(([pod, count]) => count > (options.baselineRestarts[pod] ?? 0))
    .map(([pod, count]) => `${pod} (${options.baselineRestarts[pod] ?? 0} → ${count})`);
  if (restarted.length) breaches.push({ check: 'pod-restarts', message: `New pod restarts: ${restarted.join(', ')}` });
  return breaches;
}

/** Real milliseconds of the stability window: STABILITY_WINDOW_MINUTES divided by CLOCK_SPEED. */
export function stabilityWindowMs(windowMinutes: number, clockSpeed: number): number {
  return (windowMinutes * 60_000) / clockSpeed;
}
