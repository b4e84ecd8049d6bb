'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';

/** next-auth error codes (from ?error= or signIn's result) as sentences. */
const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'Wrong email or password.',
  RateLimited: 'Too many failed sign-in attempts. Wait a minute, then try again.',
  AccountDisabled: 'This account is disabled. Ask an administrator to enable it.',
  AccessDenied: 'Your account is disabled or not allowed to use the console.',
  OAuthSignin: 'Could not reach the single sign-on provider. Try again or use your password.',
  OAuthCallback: 'The single sign-on provider returned an error. Try again.',
  OAuthAccountNotLinked: 'This email is already used by another sign-in method.',
  SessionRequired: 'Sign in to continue.',
  Configuration: 'Sign-in is not configured correctly on the server. Check the server log.',
};

export function signInMessage(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return MESSAGES[code] ?? 'Sign-in failed. Try again.';
}

/**
 * Email and password form. It signs in without next-auth's redirect and then navigates to a
 * path on the current host, so the console works on 127.0.0.1 and localhost whatever
 * NEXTAUTH_URL says.
 */
export function SignInForm({ callbackUrl, initialError, oidc }: { callbackUrl: string; initialError?: string; oidc: boolean }) {
  const [error, setError] = useState<string | undefined>(signInMessage(initialError));
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const result = await signIn('credentials', {
        redirect: false,
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      if (!result || result.error || !result.ok) {
        setError(signInMessage(result?.error ?? 'CredentialsSignin'));
        setPending(false);
        return;
      }
      window.location.assign(callbackUrl);
    } catch {
      setError('Could not reach the server. Check your connection and try again.');
      setPending(false);
    }
  }

  return (
    <div className="mt-5 space-y-4">
      {error && (
        <Alert tone="danger" className="text-sm">
          <span data-testid="signin-error">{error}</span>
        </Alert>
      )}
      <form onSubmit={onSubmit} className="space-y-3" noValidate={false}>
        <Field label="Email" htmlFor="email">
          <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
        </Field>
        <Field label="Password" htmlFor="password">
          <Input id="password" name="password" type="password" autoComplete="current-password" required />
        </Field>
        <Button type="submit" variant="primary" className="w-full" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      {oidc && (
        <>
          <div className="flex items-center gap-2 text-xs text-slate-400">
            <span className="h-px flex-1 bg-slate-200" /> or <span className="h-px flex-1 bg-slate-200" />
          </div>
          <Button className="w-full" onClick={() => signIn('oidc', { callbackUrl })}>
            Sign in with single sign-on
          </Button>
        </>
      )}
    </div>
  );
}
