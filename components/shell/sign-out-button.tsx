'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';

/**
 * Signs out and goes to the sign-in page on the host the browser is on (not NEXTAUTH_URL's),
 * so it works the same on 127.0.0.1 and localhost.
 */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await signOut({ redirect: false });
        // A full page load, not router.push: it drops every cached query and client state that
        // belonged to the signed-out person.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign('/signin');
      }}
      className="rounded-md px-2 py-1 text-sm text-slate-300 ring-1 ring-inset ring-slate-600 hover:bg-slate-800 hover:text-white disabled:opacity-60"
    >
      {pending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
