import fs from 'node:fs';
import path from 'node:path';
import { request as playwrightRequest } from '@playwright/test';
import { expect, test, type Stack } from './fixtures';

const NS = 'llm-orchestrator';
const PAGE = `/deployments/${NS}/orchestrator`;
const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');

/**
 * The stack's simulation is shared by every spec. Other specs may have rolled the deployment
 * back; this spec needs the bad release as the scenario starts, so it restores it when it is not.
 */
async function ensureBadRelease(stack: Stack): Promise<void> {
  const res = await fetch(`${stack.simApiUrl}/apis/apps/v1/namespaces/${NS}/deployments/orchestrator`);
  const d = (await res.json()) as { spec?: { paused?: boolean; template?: { spec?: { containers?: { image?: string }[] } } }; metadata?: { annotations?: Record<string, string> } };
  const image = d.spec?.template?.spec?.containers?.[0]?.image ?? '';
  const revision = d.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  if (!image.endsWith(':v0.2.0') || revision !== '3' || d.spec?.paused) {
    await fetch(`${stack.simApiUrl}/_sim/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'bad-release' }),
    });
  }
}

async function podNames(stack: Stack): Promise<string[]> {
  const res = await fetch(`${stack.simApiUrl}/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dorchestrator`);
  const list = (await res.json()) as { items: { metadata: { name: string; deletionTimestamp?: string } }[] };
  return list.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
}

test.describe('deployments', () => {
  // Page loads and pod lifecycles take a while on a loaded 2-core machine.
  test.describe.configure({ timeout: 90_000 });

  test.beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  test('the list shows the orchestrator with its health and links to its page', async ({ page, signInAs, stack }) => {
    await ensureBadRelease(stack);
    await signInAs('viewer');
    await page.goto('/deployments');
    const row = page.getByTestId('deployments-table').getByRole('row').filter({ hasText: 'orchestrator' }).filter({ hasText: NS }).first();
    await expect(row).toContainText(':v0.2.0');
    await expect(row).toContainText(/healthy|degraded|progressing|paused|failed/);
    await row.getByRole('link', { name: 'orchestrator' }).click();
    await expect(page).toHaveURL(new RegExp(`${PAGE}$`));
  });

  test('a viewer sees 3 pods, revisions 1-3 with v0.2.0 current, and the metrics', async ({ page, signInAs, stack }) => {
    await ensureBadRelease(stack);
    await signInAs('viewer');
    await page.goto(PAGE);
    await expect(page.getByRole('heading', { name: /deployment\/orchestrator/ })).toBeVisible();
    await expect(page.getByTestId('pod-row')).toHaveCount(3, { timeout: 20_000 });
    const revisions = page.getByTestId('revision-row');
    await expect(revisions).toHaveCount(3);
    await expect(page.locator('[data-testid="revision-row"][data-revision="1"]')).toContainText('v0.1.0');
    await expect(page.locator('[data-testid="revision-row"][data-revision="2"]')).toContainText('v0.1.1');
    const current = page.locator('[data-testid="revision-row"][data-current="true"]');
    await expect(current).toHaveCount(1);
    await expect(current).toHaveAttribute('data-revision', '3');
    await expect(current).toContainText('v0.2.0');
    await expect(page.getByTestId('current-image')).toContainText(':v0.2.0');
    await expect(page.getByTestId('current-revision')).toHaveText('3');
    await expect(page.getByTestId('metric-errorRate')).toBeVisible();
    // A viewer has no action controls on this page.
    await expect(page.getByRole('button', { name: /undo|pause|rollback/i })).toHaveCount(0);
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deployment-page-viewer.png'), fullPage: true });
  });

  test('a pod deleted in the cluster disappears from the page without a reload', async ({ page, signInAs, stack }) => {
    await ensureBadRelease(stack);
    await signInAs('commander');
    await page.goto(PAGE);
    await expect(page.getByTestId('pods-connection')).toHaveText('● live', { timeout: 20_000 });
    await expect(page.getByTestId('pod-row')).toHaveCount(3, { timeout: 20_000 });
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const victim = (await podNames(stack))[0]!;
    await expect(page.locator(`[data-pod="${victim}"]`)).toHaveCount(1);
    await fetch(`${stack.simApiUrl}/api/v1/namespaces/${NS}/pods/${victim}`, { method: 'DELETE' });
    // First Terminating (graceful deletion), then gone; a replacement pod appears.
    await expect(page.locator(`[data-pod="${victim}"]`)).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByTestId('pod-row')).toHaveCount(3, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deployment-page-commander.png'), fullPage: true });
  });

  test('the diff of revision 2 against 3 shows the image change', async ({ page, signInAs, stack }) => {
    await ensureBadRelease(stack);
    await signInAs('commander');
    await page.goto(PAGE);
    await page.getByLabel('Diff from').selectOption('2');
    await page.getByLabel('Diff to').selectOption('3');
    await expect(page).toHaveURL(/from=2&to=3/);
    const image = page.locator('[data-testid="diff-row"][data-category="image"]');
    await expect(image).toContainText('v0.1.1');
    await expect(image).toContainText('v0.2.0');
    await page.locator('#diff').screenshot({ path: path.join(SCREENSHOTS, 'deployment-diff-2-3.png') });
  });

  test('an unknown deployment is a 404 page, and the live stream refuses anonymous viewers once', async ({ page, signInAs, baseURL }) => {
    await signInAs('viewer');
    const res = await page.goto(`/deployments/${NS}/does-not-exist`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

    const anonymous = await playwrightRequest.newContext({ baseURL });
    const live = await anonymous.get(`/api/live?kind=pods&namespace=${NS}`);
    expect(live.status()).toBe(401);
    const metrics = await anonymous.get(`/api/metrics?namespace=${NS}`);
    expect(metrics.status()).toBe(401);
    await anonymous.dispose();
  });

  test('when the session ends, each live stream gets one 401 and the page stops retrying and says so', async ({ page, signInAs, stack }) => {
    // Streams end every 10 min / CLOCK_SPEED (30 s in the e2e stack) to re-check the session.
    test.setTimeout(150_000);
    await ensureBadRelease(stack);
    await signInAs('viewer');
    await page.goto(PAGE);
    await expect(page.getByTestId('pods-connection')).toHaveText('● live', { timeout: 20_000 });
    const liveRequests: { url: string; status: number }[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/live?')) liveRequests.push({ url: r.url(), status: r.status() });
    });
    // The session goes away (signed out elsewhere, or expired); the open streams carry on until
    // the server ends them for a session re-check, then every reconnect is refused.
    await page.context().clearCookies();
    await expect(page.getByTestId('live-banner').first()).toContainText('session has expired', { timeout: 60_000 });
    // Give any retry loop time to show itself: there must be none.
    await page.waitForTimeout(6_000);
    const unauthorized = liveRequests.filter((r) => r.status === 401);
    expect(unauthorized.length).toBeGreaterThan(0);
    const perStream = new Map<string, number>();
    for (const r of unauthorized) perStream.set(r.url, (perStream.get(r.url) ?? 0) + 1);
    expect([...perStream.values()].every((n) => n === 1)).toBe(true);
    expect(liveRequests.filter((r) => r.status !== 401)).toHaveLength(0);
  });
});
