/**
 * Next.js start-up hook: starts the background jobs (lib/jobs: stability watch, escalation
 * reminders, reconciliation of actions left in `intent`) once per server process, in the Node
 * runtime only (never in the Edge runtime or the browser).
 * @see https://nextjs.org/docs/app/guides/instrumentation
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself, not configuration: the one way to tell Node from Edge here.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startJobsOnBoot } = await import('./lib/jobs/start-on-boot');
  await startJobsOnBoot();
}
