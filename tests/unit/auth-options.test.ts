import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '@/lib/env';
import { getAuthOptions, oidcEnabled } from '@/lib/auth/options';

const saved = { ...process.env };
function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
}
afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe('sign-in configuration', () => {
  it('fails with a sentence naming NEXTAUTH_SECRET when it is missing', () => {
    setEnv({ NEXTAUTH_SECRET: undefined });
    expect(() => getAuthOptions()).toThrow(/NEXTAUTH_SECRET is not set/);
  });

  it('offers only email and password without OIDC settings, with JWT sessions and the custom sign-in page', () => {
    setEnv({ NEXTAUTH_SECRET: 'a-test-secret-of-enough-length', OIDC_ISSUER: undefined, OIDC_CLIENT_ID: undefined, OIDC_CLIENT_SECRET: undefined });
    const options = getAuthOptions();
    expect(options.providers.map((p) => p.id)).toEqual(['credentials']);
    expect(options.session?.strategy).toBe('jwt');
    expect(options.pages?.signIn).toBe('/signin');
    expect(oidcEnabled()).toBe(false);
  });

  it('adds the OIDC provider, discovered from the issuer, when all three OIDC variables are set', () => {
    setEnv({
      NEXTAUTH_SECRET: 'a-test-secret-of-enough-length',
      OIDC_ISSUER: 'https://id.example.test/realms/ops/',
      OIDC_CLIENT_ID: 'rollback-console',
      OIDC_CLIENT_SECRET: 'shh',
    });
    const oidc = getAuthOptions().providers.find((p) => p.id === 'oidc') as unknown as { wellKnown: string; checks: string[] };
    expect(oidc.wellKnown).toBe('https://id.example.test/realms/ops/.well-known/openid-configuration');
    expect(oidc.checks).toEqual(['pkce', 'state']);
    expect(oidcEnabled()).toBe(true);
  });
});
