/**
 * Shared Playwright fixtures. Import `test` and `expect` from here instead of @playwright/test.
 *
 *   test('viewer sees no controls', async ({ page, signInAs }) => {
 *     await signInAs('viewer');          // this test's page is now signed in as the viewer
 *     await page.goto('/incidents');
 *   });
 *
 * `signInAs(role)` fills the real sign-in form once per role per stack and caches the session
 * (storageState) under .test-data/e2e-<port>/auth/, then adds its cookies to the test's context.
 * `stack` describes the running stack (database, simulated cluster URLs, demo password).
 */
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

export type Role = 'commander' | 'viewer' | 'author' | 'admin';
export const ROLES: Role[] = ['commander', 'viewer', 'author', 'admin'];

export type Stack = {
  baseURL: string;
  /** The build the server runs (relative to the repo root), e.g. `.next-e2e-40123`. */
  distDir: string;
  databaseUrl: string;
  simApiUrl: string;
  appUrl: string;
  kubeconfigPath: string;
  /** Password of the seeded demo users. */
  password: string;
  prometheusUrl?: string;
};

/** The demo user's email for a role (seeded by scripts/lib/seed.ts). */
export const emailFor = (role: Role) => `${role}@demo.local`;

const stackDir = () => path.resolve(__dirname, '../../.test-data', `e2e-${process.env.E2E_PORT}`);

/** The running stack, as written by scripts/e2e-server.ts. */
export function readStack(): Stack {
  const file = path.join(stackDir(), 'stack.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: is the e2e server (scripts/e2e-server.ts) running on E2E_PORT?`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Stack;
}

/** Fills the sign-in form in `page` and waits until the shell shows the signed-in role. */
export async function signInWithForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('current-user')).toBeVisible({ timeout: 20_000 });
}

/**
 * Path of a storageState file holding a signed-in session for `role`, signing in through the
 * real form the first time. Safe across workers: the file is written atomically.
 */
export async function storageStateFor(browser: Browser, role: Role, baseURL: string): Promise<string> {
  const dir = path.join(stackDir(), 'auth');
  const file = path.join(dir, `${role}.json`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await signInWithForm(page, emailFor(role), readStack().password);
    const tmp = `${file}.${process.pid}.tmp`;
    await context.storageState({ path: tmp });
    fs.renameSync(tmp, file);
  } finally {
    await context.close();
  }
  return file;
}

/** Adds a cached session for `role` to an existing browser context. */
export async function addSessionTo(context: BrowserContext, browser: Browser, role: Role, baseURL: string): Promise<void> {
  const state = JSON.parse(fs.readFileSync(await storageStateFor(browser, role, baseURL), 'utf8')) as {
    cookies: Parameters<BrowserContext['addCookies']>[0];
  };
  await context.clearCookies();
  await context.addCookies(state.cookies);
}

type Fixtures = {
  /** Signs this test's `page` (its context) in as the demo user of `role`. Returns the page. */
  signInAs: (role: Role) => Promise<Page>;
  stack: Stack;
};

export const test = base.extend<Fixtures>({
  // Playwright requires an object pattern as the first parameter, even when empty.
  stack: async ({}, use) => {
    await use(readStack());
  },
  signInAs: async ({ page, browser, baseURL }, use) => {
    await use(async (role) => {
      await addSessionTo(page.context(), browser, role, baseURL ?? readStack().baseURL);
      return page;
    });
  },
});

export { expect };
