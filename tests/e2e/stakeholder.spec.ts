import { expect, test } from './fixtures';
import { addSessionTo } from './fixtures';
import { completeIfOpen, declareThroughUi, screenshot, stepStatus } from './wizard-helpers';

/** Names of every control a commander has; a stakeholder must see none of them. */
const ACTION_NAMES = /roll back|pause rollout|restore|mark step done|skip step|declare incident|choose revision|run verification|start stability|close incident|post resolution|add note/i;

/**
 * The stakeholder view: a viewer watching an incident sees the commander's progress appear
 * without reloading, and the page renders no action control at all (decided on the server).
 */
test('a viewer watching the incident sees progress live and no controls', async ({ page, signInAs, browser, baseURL }) => {
  test.setTimeout(3 * 60_000);
  await signInAs('commander');
  const id = await declareThroughUi(page, `E2E stakeholder ${new Date().toISOString()}`);

  const viewerContext = await browser.newContext({ baseURL });
  await addSessionTo(viewerContext, browser, 'viewer', baseURL!);
  const viewer = await viewerContext.newPage();
  try {
    await viewer.goto(`/incidents/${id}`);
    await expect(viewer.getByTestId('step-segment')).toHaveCount(10);
    const segment = (n: number) => viewer.locator(`[data-testid="step-segment"][data-step="${n}"]`);
    await expect(segment(2)).toHaveAttribute('data-status', 'pending');
    await expect(viewer.getByTestId('recovery-clock')).toBeVisible();

    // No controls: not one action button, step control, note form or declare link.
    await expect(viewer.getByRole('button', { name: ACTION_NAMES })).toHaveCount(0);
    await expect(viewer.locator('[data-testid^="action-"], [data-testid="step-controls"], [data-testid="continue-step"], [data-testid="confirm-action"]')).toHaveCount(0);
    await expect(viewer.getByRole('form', { name: /note/i })).toHaveCount(0);

    // The commander works through steps 1 and 2 in their own browser…
    await page.goto(`/incidents/${id}/steps/1`);
    await completeIfOpen(page);
    await page.goto(`/incidents/${id}/steps/2`);
    await page.getByTestId('skip-reason').selectOption('no-rollout-in-progress');
    await page.getByTestId('skip-step').click();
    await expect(stepStatus(page)).toHaveText('skipped', { timeout: 20_000 });

    // …and the viewer's page shows it without a reload.
    await expect(segment(1)).toHaveAttribute('data-status', 'done', { timeout: 15_000 });
    await expect(segment(2)).toHaveAttribute('data-status', 'skipped', { timeout: 15_000 });
    await expect(viewer.getByTestId('step-progress-summary')).toContainText('2 of 10');
    await expect(viewer.getByText(/skipped/i).first()).toBeVisible();
    await screenshot(viewer, 'stakeholder-incident');

    // A step page is read-only for the viewer too.
    await viewer.goto(`/incidents/${id}/steps/4`);
    await expect(viewer.getByTestId('step')).toHaveAttribute('data-step', '4');
    await expect(viewer.getByRole('button', { name: ACTION_NAMES })).toHaveCount(0);
    await expect(viewer.locator('[data-testid^="action-"], [data-testid="step-controls"]')).toHaveCount(0);
    await screenshot(viewer, 'stakeholder-step-4');
  } finally {
    await viewerContext.close();
  }
});
