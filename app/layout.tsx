import type { Metadata, Viewport } from 'next';
import { unstable_rethrow } from 'next/navigation';
import type { ReactNode } from 'react';
import './globals.css';
import { Providers } from '@/app/providers';
import { AppHeader } from '@/components/shell/app-header';
import { getSessionUser, type SessionUser } from '@/lib/auth/session';

export const metadata: Metadata = {
  title: { default: 'Rollback Console', template: '%s · Rollback Console' },
  description: 'Guided emergency rollback of a failed Kubernetes deployment, following the runbook.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0f172a' };

/** The shell around every page: header with navigation and the signed-in user. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  let user: SessionUser | null = null;
  try {
    user = await getSessionUser();
  } catch (error) {
    // Next's own signals (dynamic rendering during the build, redirects) must pass through.
    unstable_rethrow(error);
    // A missing secret or an unreachable database must not hide the page's own, clearer error;
    // the page calls getSessionUser() again and its error boundary says what happened.
    console.error('[layout] could not read the session:', error instanceof Error ? error.message : String(error));
  }
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <Providers>
          <AppHeader user={user} />
          <main className="mx-auto w-full max-w-screen-2xl px-3 py-4 sm:px-5 sm:py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
