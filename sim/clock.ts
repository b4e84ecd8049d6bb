/**
 * The simulated clock. Wall-clock time stays real (`now()`), so timestamps kubectl prints (AGE,
 * lastTimestamp) make sense, while every duration the simulation waits for runs `speed` times
 * faster: a pod that takes 4 simulated seconds to start is ready after 200 ms at speed 20, a
 * progress deadline of 600 s expires after 30 s.
 */
export type Timer = { cancel(): void };

export type Clock = {
  /** How many simulated seconds pass per real second. */
  readonly speed: number;
  /** Wall-clock time in epoch milliseconds (real time: object timestamps use it). */
  now(): number;
  /** Simulated milliseconds elapsed since a wall-clock instant (real elapsed × speed). */
  simSince(wallMs: number): number;
  /** Runs fn after `simMs` simulated milliseconds. */
  setTimeout(fn: () => void, simMs: number): Timer;
  /** Runs fn every `simMs` simulated milliseconds (never more often than every `minRealMs`, default 20 ms). */
  every(simMs: number, fn: () => void, minRealMs?: number): Timer;
  /** Cancels every timer this clock still holds. */
  stop(): void;
};

/** Creates a clock whose timers run `speed` times faster than real time. */
export function createClock(options: { speed?: number } = {}): Clock {
  const speed = options.speed && options.speed > 0 ? options.speed : 1;
  const timers = new Set<NodeJS.Timeout>();
  const intervals = new Set<NodeJS.Timeout>();
  return {
    speed,
    now: () => Date.now(),
    simSince: (wallMs) => (Date.now() - wallMs) * speed,
    setTimeout(fn, simMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, Math.max(0, simMs / speed));
      t.unref?.();
      timers.add(t);
      return {
        cancel() {
          clearTimeout(t);
          timers.delete(t);
        },
      };
    },
    every(simMs, fn, minRealMs = 20) {
      const t = setInterval(fn, Math.max(minRealMs, simMs / speed));
      t.unref?.();
      intervals.add(t);
      return {
        cancel() {
          clearInterval(t);
          intervals.delete(t);
        },
      };
    },
    stop() {
      for (const t of timers) clearTimeout(t);
      for (const t of intervals) clearInterval(t);
      timers.clear();
      intervals.clear();
    },
  };
}
