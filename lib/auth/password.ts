import 'server-only';
import { compare, hash } from 'bcryptjs';

/**
 * bcrypt cost. 11 is about 0.15 s per hash on a 2-core machine with the pure-JS bcryptjs:
 * slow for a guesser, fast enough that signing in never feels stuck.
 */
const COST = 11;

/** Hashes a password for the User table. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, COST);
}

let dummyHash: Promise<string> | undefined;

/**
 * Compares a password with a stored hash. With no hash (unknown email, OIDC-only user) it
 * still spends the time of one comparison, so response times do not reveal which emails exist.
 */
export async function verifyPassword(password: string, passwordHash: string | null | undefined): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hash('not-a-real-password', COST);
    await compare(password, await dummyHash);
    return false;
  }
  return compare(password, passwordHash);
}
