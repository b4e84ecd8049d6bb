import 'server-only';
import { db } from '@/lib/db/client';
import { isRole, type Role } from '@/lib/auth/permissions';
import { verifyPassword } from '@/lib/auth/password';
import { signInLimiters } from '@/lib/auth/sign-in-rate-limit';

export type VerifyCredentialsOptions = {
  email: string;
  password: string;
  /** The client's IP, for the per-IP limit; undefined when unknown. */
  ip?: string;
  now?: number;
};

export type VerifyCredentialsResult =
  | { ok: true; user: { id: string; email: string; name: string; role: Role } }
  | { ok: false; reason: 'invalid' | 'disabled' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Checks an email and password against the User table, under the sign-in rate limits.
 * Only failures count towards the limits; a success clears the email's count.
 */
export async function verifyCredentials(options: VerifyCredentialsOptions): Promise<VerifyCredentialsResult> {
  const email = options.email.trim().toLowerCase();
  const limiters = signInLimiters();
  const emailKey = `email:${email}`;
  const ipKey = options.ip ? `ip:${options.ip}` : undefined;

  for (const [limiter, key] of [
    [limiters.email, emailKey],
    [limiters.ip, ipKey],
  ] as const) {
    if (!key) continue;
    const decision = limiter.check(key, options.now);
    if (!decision.allowed) return { ok: false, reason: 'rate_limited', retryAfterSeconds: decision.retryAfterSeconds };
  }

  const user = email ? await db.user.findUnique({ where: { email } }) : null;
  const matches = await verifyPassword(options.password, user?.passwordHash);
  if (!user || !matches) {
    limiters.email.recordFailure(emailKey, options.now);
    if (ipKey) limiters.ip.recordFailure(ipKey, options.now);
    return { ok: false, reason: 'invalid' };
  }
  // Only after the right password, so a guesser cannot learn which accounts are disabled.
  if (user.disabled) return { ok: false, reason: 'disabled' };
  if (!isRole(user.role)) return { ok: false, reason: 'disabled' };
  limiters.email.reset(emailKey);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
