'use client';

import { Alert } from '@/components/ui/alert';

/**
 * The banner shown while live data may be stale: API server down or slow, stream reconnecting,
 * session expired. It disappears by itself when the stream recovers.
 */
export function LiveBanner({ problems }: { problems: (string | undefined)[] }) {
  const unique = [...new Set(problems.filter((p): p is string => Boolean(p)))];
  if (unique.length === 0) return null;
  const expired = unique.some((p) => p.includes('session has expired'));
  return (
    <Alert tone={expired ? 'warning' : 'danger'} title={expired ? 'Live updates stopped' : 'Live data may be out of date'} className="mb-3">
      <ul className="list-disc pl-5" data-testid="live-banner">
        {unique.map((p) => (
          <li key={p}>
            {p}
            {p.includes('session has expired') && (
              <>
                {' '}
                <a className="font-medium underline" href={`/signin?callbackUrl=${encodeURIComponent(typeof window === 'undefined' ? '/' : window.location.pathname)}`}>
                  Sign in
                </a>
              </>
            )}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
