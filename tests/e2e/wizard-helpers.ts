/**
 * Helpers shared by the wizard and stakeholder specs: the simulated cluster's state, the console
 * database setting for a short stability window, and the step-page moves a commander makes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { expect, type Page } from '@playwright/test';
import type { Stack } from './fixtures';

export const NS = 'llm-orchestrator';
export const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');

/** Real kubectl against the e2e simulation. */
export function kubectl(stack: Stack, ...args: string[]): string {
  return execFileSync('/usr/bin/kubectl', ['--kubeconfig', stack.kubeconfigPath, '--context', 'sim', ...args], { encoding: 'utf8', timeout: 30_000 });
}

/** The scenario as it starts (v0.2.0 current, not paused); resets the simulation only if it is not. */
export async function ensureBadRelease(stack: Stack): Promise<void> {
  const res = await fetch(`${stack.simApiUrl}/apis/apps/v1/namespaces/${NS}/deployments/orchestrator`);
  const d = (await res.json()) as { spec?: { paused?: boolean; template?: { spec?: { containers?: { image?: string }[] } } }; metadata?: { annotations?: Record<string, string> } };
  const image = d.spec?.template?.spec?.containers?.[0]?.image ?? '';
  const revision = d.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  if (!image.endsWith(':v0.2.0') || revision !== '3' || d.spec?.paused) {
    await fetch(`${stack.simApiUrl}/_sim/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: 'bad-release' }) });
  }
}

/** The application's own database (the e2e server creates it as `targetapp` beside the console's). */
export function appDatabaseUrl(stack: Stack): string {
  const u = new URL(stack.databaseUrl);
  u.pathname = '/targetapp';
  return u.toString();
}

/** A short stability window for the run: `minutes` of runbook time (÷ CLOCK_SPEED on the server). */
export async function setStabilityWindow(stack: Stack, minutes: number): Promise<void> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO rollback_console."Setting" (key, value, "updatedAt") VALUES ('stability', $1::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = rollback_console."Setting".value || EXCLUDED.value, "updatedAt" = now()`,
      [JSON.stringify({ windowMinutes: minutes })],
    );
  } finally {
    await client.end();
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Declares an incident on llm-orchestrator/orchestrator through the form; returns its id. */
export async function declareThroughUi(page: Page, title: string): Promise<string> {
  await page.goto('/incidents/new');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Failing deployment').selectOption(`${NS}/orchestrator`);
  await page.getByLabel('Symptoms').fill('Error rate ~12%, P99 3.5 s, OOMKilled restarts after v0.2.0');
  await page.getByLabel('Impact').fill('User-facing: workflow API failing');
  await page.getByTestId('declare-submit').click();
  await expect(page.getByTestId('declared')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('announcement-text')).toContainText('INCIDENT:');
  const href = await page.getByTestId('go-to-step-1').getAttribute('href');
  const id = /\/incidents\/([^/]+)\/steps\/1/.exec(href ?? '')?.[1];
  if (!id) throw new Error(`no incident link in ${href}`);
  return id;
}

export const stepStatus = (page: Page) => page.getByTestId('step-status');

/** Marks the open step done unless it already is (some actions complete their step themselves). */
export async function completeIfOpen(page: Page): Promise<void> {
  const status = (await stepStatus(page).textContent())?.trim();
  if (status !== 'done' && status !== 'skipped') await page.getByTestId('complete-step').click();
  await expect(stepStatus(page)).toHaveText(/done|skipped/, { timeout: 20_000 });
}

/** Clicks an action's button, checks the dialog shows its kubectl equivalent, confirms, waits for the result. */
export async function runConfirmedAction(page: Page, testId: string, options: { expectKubectl?: RegExp; timeout?: number; dryRun?: boolean }): Promise<void> {
  const box = page.getByTestId(testId);
  await box.getByTestId(`${testId}-button`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  if (options.expectKubectl) await expect(dialog.getByTestId('dialog-kubectl')).toContainText(options.expectKubectl);
  if (options.dryRun) await expect(dialog.getByTestId('dry-run')).toBeVisible({ timeout: 30_000 });
  await dialog.getByTestId('confirm-action').click();
  await expect(box.getByTestId('action-result')).toBeVisible({ timeout: options.timeout ?? 120_000 });
  await expect(box.getByTestId('action-result')).toHaveAttribute('data-ok', 'true');
}
