'use client';

import Link from 'next/link';

/**
 * Error boundary for every page below the root layout. The server's message is hidden in
 * production (it may contain internals); the reference lets an admin find the log line.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-lg py-16" role="alert">
      <h1 className="text-xl font-semibold text-slate-900">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-600">
        The server hit an error while preparing it. Nothing was changed by loading this page. If it keeps happening, the
        console cannot reach its database or the cluster: check the server log
        {error.digest ? (
          <>
            {' '}
            for reference <code className="rounded bg-slate-200 px-1 py-0.5 text-xs">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="mt-6 flex gap-3 text-sm">
        <button type="button" onClick={reset} className="rounded-md bg-sky-700 px-3.5 py-2 font-medium text-white hover:bg-sky-800">
          Try again
        </button>
        <Link href="/incidents" className="rounded-md px-3.5 py-2 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-white">
          Go to incidents
        </Link>
      </div>
    </div>
  );
}
