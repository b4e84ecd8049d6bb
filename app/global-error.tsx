'use client';

/** Last resort when the root layout itself fails: a plain page with no app styles. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 560, margin: '4rem auto', padding: '0 1rem', color: '#0f172a' }}>
        <h1 style={{ fontSize: 20 }}>Rollback Console could not start this page</h1>
        <p style={{ fontSize: 14, color: '#475569' }}>
          The server failed before the page could be drawn, most often because the database is unreachable or the
          configuration is incomplete. Check the server log{error.digest ? ` for reference ${error.digest}` : ''}.
        </p>
        <button type="button" onClick={reset} style={{ marginTop: 16, padding: '8px 14px' }}>
          Try again
        </button>
      </body>
    </html>
  );
}
