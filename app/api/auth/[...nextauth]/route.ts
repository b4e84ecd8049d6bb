import NextAuth from 'next-auth';
import { getAuthOptions } from '@/lib/auth/options';

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth's endpoints (csrf, session, sign-in callbacks, sign-out). Public by nature: the
 * credentials callback applies the sign-in rate limits itself.
 */
async function handler(request: Request, context: Context): Promise<Response> {
  return NextAuth(request as never, context as never, getAuthOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
