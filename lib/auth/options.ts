import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { verifyCredentials } from '@/lib/auth/verify-credentials';
import { auditLog } from '@/lib/actions/audit-log';

/**
 * Error codes the sign-in page turns into sentences (next-auth passes them as `?error=`).
 * @see components/shell/sign-in-form.tsx
 */
export const SIGN_IN_ERRORS = {
  rateLimited: 'RateLimited',
  disabled: 'AccountDisabled',
} as const;

/** Sessions are JWTs; role and disabled state are re-read from the database on every check. */
const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

type OidcProfile = { sub: string; email?: string; name?: string; preferred_username?: string };

/**
 * Reads NEXTAUTH_SECRET, failing with a sentence that says what to do instead of next-auth's
 * `NO_SECRET` error code.
 */
export function authSecret(): string {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) {
    throw new Error(
      'NEXTAUTH_SECRET is not set. Sessions are signed with it: set it to a random value of 16+ characters ' +
        '(e.g. `openssl rand -base64 32`). `npm run demo` and the e2e server set one for you.',
    );
  }
  return secret;
}

function oidcProvider(): OAuthConfig<OidcProfile> | undefined {
  const e = env();
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) return undefined;
  return {
    id: 'oidc',
    name: 'Single sign-on',
    type: 'oauth',
    wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: 'openid email profile' } },
    idToken: true,
    checks: ['pkce', 'state'],
    profile(profile) {
      return {
        id: profile.sub,
        email: profile.email?.toLowerCase() ?? null,
        name: profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub,
      };
    },
  };
}

/** Whether the sign-in page should offer single sign-on. */
export function oidcEnabled(): boolean {
  return oidcProvider() !== undefined;
}

/** The client's IP as seen by `next start` (or the proxy in front of it). */
function clientIp(headers: Record<string, unknown> | undefined): string | undefined {
  const forwarded = headers?.['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  return first || undefined;
}

/**
 * next-auth options. A function, not a constant, so that `next build` (which imports the route)
 * needs no secret and no database.
 */
export function getAuthOptions(): NextAuthOptions {
  const oidc = oidcProvider();
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/signin', error: '/signin' },
    logger: {
      // Without NEXTAUTH_URL the console works from the request's host on purpose (127.0.0.1 and
      // localhost both work); next-auth's warning about it would repeat on every request.
      warn: (code) => {
        if (code !== 'NEXTAUTH_URL') console.warn(`[next-auth] warning ${code}`);
      },
      error: (code, metadata) => console.error(`[next-auth] ${code}`, metadata instanceof Error ? metadata.message : ''),
      debug: () => {},
    },
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const result = await verifyCredentials({
            email: String(credentials?.email ?? ''),
            password: String(credentials?.password ?? ''),
            ip: clientIp(req?.headers as Record<string, unknown> | undefined),
          });
          if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name };
          // A thrown message reaches the sign-in page as ?error=; `null` becomes CredentialsSignin.
          if (result.reason === 'rate_limited') throw new Error(SIGN_IN_ERRORS.rateLimited);
          if (result.reason === 'disabled') throw new Error(SIGN_IN_ERRORS.disabled);
          return null;
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== 'oidc') return true;
        const email = user.email?.toLowerCase();
        if (!email) return false;
        const existing = await db.user.findUnique({ where: { email } });
        if (existing) return !existing.disabled;
        // First sign-in through the identity provider creates the person with the default role;
        // an admin raises it in Settings.
        const created = await db.user.create({
          data: { email, name: user.name ?? email, role: env().OIDC_DEFAULT_ROLE, passwordHash: null },
        });
        auditLog({ action: 'user.created-by-oidc', actor: { id: created.id, name: created.name }, target: email, after: { role: created.role } });
        return true;
      },
      async jwt({ token, user, account }) {
        // The token carries only our own user id; everything else is read from the User row.
        if (account?.provider === 'oidc' && user?.email) {
          const row = await db.user.findUnique({ where: { email: user.email.toLowerCase() }, select: { id: true } });
          if (row) token.sub = row.id;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub } } as typeof session;
      },
    },
  };
}
