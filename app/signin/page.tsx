import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/shell/sign-in-form';
import { getSessionUser } from '@/lib/auth/session';
import { oidcEnabled } from '@/lib/auth/options';
import { safeCallbackUrl } from '@/lib/auth/safe-callback-url';
import { env } from '@/lib/env';

export const metadata = { title: 'Sign in' };

/** The sign-in page (next-auth's `pages.signIn` and `pages.error`). */
export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const user = await getSessionUser();
  if (user) redirect(callbackUrl);
  const error = typeof params.error === 'string' ? params.error : undefined;
  return (
    <div className="mx-auto mt-6 max-w-sm sm:mt-16">
      <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-lg font-semibold text-slate-900">Sign in to Rollback Console</h1>
        <p className="mt-1 text-sm text-slate-600">Guided emergency rollback of a failed deployment.</p>
        <SignInForm callbackUrl={callbackUrl} initialError={error} oidc={oidcEnabled()} />
      </div>
      {env().DEMO_MODE && (
        <div className="mt-4 rounded-lg bg-white/60 p-4 text-xs text-slate-600 ring-1 ring-slate-200">
          <p className="font-medium text-slate-700">Demo accounts</p>
          <p className="mt-1">
            <code>commander@demo.local</code>, <code>viewer@demo.local</code>, <code>author@demo.local</code>,{' '}
            <code>admin@demo.local</code>. The password was printed by <code>npm run demo</code> when it started.
          </p>
        </div>
      )}
    </div>
  );
}
