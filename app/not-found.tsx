import Link from 'next/link';

export const metadata = { title: 'Not found' };

/** Shown for unknown addresses and for records that do not exist (notFound()). */
export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-1 text-2xl font-semibold text-slate-900">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        Nothing lives at this address. The link may be mistyped, or the incident or deployment it pointed to no longer
        exists.
      </p>
      <div className="mt-6 flex justify-center gap-3 text-sm">
        <Link href="/incidents" className="rounded-md bg-sky-700 px-3.5 py-2 font-medium text-white hover:bg-sky-800">
          Go to incidents
        </Link>
        <Link href="/deployments" className="rounded-md px-3.5 py-2 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-white">
          Deployments
        </Link>
      </div>
    </div>
  );
}
