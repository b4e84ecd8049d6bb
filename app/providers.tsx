'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { SessionProvider } from 'next-auth/react';
import { useState, type ReactNode } from 'react';

/**
 * Client-side providers for every page: TanStack Query (live state and polling) and next-auth's
 * session context (sign-in and sign-out buttons). Roles shown on screen come from the server,
 * which re-reads them from the database; the client session is never trusted for permissions.
 */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          // Live data arrives over SSE and is folded into the cache; refetching on focus would
          // only duplicate it.
          queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: 1 },
        },
      }),
  );
  return (
    <SessionProvider refetchOnWindowFocus={false}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </SessionProvider>
  );
}
