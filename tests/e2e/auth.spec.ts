import { emailFor, expect, ROLES, signInWithForm, test } from './fixtures';

test.describe('sign-in', () => {
  for (const role of ROLES) {
    test(`${role} signs in with the form and sees their role`, async ({ page, stack }) => {
      await signInWithForm(page, emailFor(role), stack.password);
      await expect(page).not.toHaveURL(/\/signin/);
      const user = page.getByTestId('current-user');
      await expect(user.getByTestId('role-badge')).toHaveText(role);
      await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' })).toBeVisible();
      const settings = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' });
      if (role === 'admin') await expect(settings).toBeVisible();
      else await expect(settings).toHaveCount(0);
    });
  }

  test('signing in works on localhost as well as 127.0.0.1', async ({ browser, baseURL, stack }) => {
    // The e2e server sets NEXTAUTH_URL to localhost while the other tests browse 127.0.0.1.
    const other = (baseURL ?? stack.baseURL).replace('127.0.0.1', 'localhost');
    const context = await browser.newContext({ baseURL: other });
    const page = await context.newPage();
    await signInWithForm(page, emailFor('viewer'), stack.password);
    expect(new URL(page.url()).hostname).toBe('localhost');
    await expect(page.getByTestId('role-badge')).toHaveText('viewer');
    await context.close();
  });

  test('a wrong password says so and does not sign in', async ({ page }) => {
    await page.goto('/signin');
    await page.getByLabel('Email').fill(emailFor('commander'));
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByTestId('signin-error')).toHaveText('Wrong email or password.');
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByTestId('current-user')).toHaveCount(0);
  });

  test('repeated failures for one email are rate-limited with a clear message', async ({ page }) => {
    const email = `nobody-${Date.now()}@demo.local`;
    await page.goto('/signin');
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(`wrong-${i}`);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByTestId('signin-error')).toHaveText('Wrong email or password.');
    }
    await page.getByLabel('Password').fill('wrong-again');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByTestId('signin-error')).toContainText('Too many failed sign-in attempts');
  });

  test('signing out returns to the sign-in page and forgets the session', async ({ page, signInAs }) => {
    await signInAs('author');
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('an anonymous visitor is sent to sign in and comes back afterwards', async ({ page, stack }) => {
    await page.goto('/settings');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsettings/);
    await page.getByLabel('Email').fill(emailFor('admin'));
    await page.getByLabel('Password').fill(stack.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
  });
});

test.describe('settings and roles', () => {
  test('a viewer sees no Settings link and is refused at /settings', async ({ page, signInAs }) => {
    await signInAs('viewer');
    await page.goto('/settings');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' })).toHaveCount(0);
    await expect(page.getByTestId('settings-refused')).toContainText('viewer');
    await expect(page.getByTestId('user-row')).toHaveCount(0);
  });

  test('an admin adds a user, changes their role and disables them; each takes effect at once', async ({ page, browser, baseURL, signInAs }) => {
    const email = `e2e-${Date.now()}@example.test`;
    const password = 'a-long-enough-password';
    await signInAs('admin');
    await page.goto('/settings');
    await page.getByLabel('Name').fill('Erin Example');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByTestId('settings-notice')).toHaveText(`Added ${email}.`);
    const row = page.locator(`[data-testid="user-row"][data-email="${email}"]`);
    await expect(row).toBeVisible();

    // The new person signs in, in their own browser.
    const theirs = await browser.newContext({ baseURL });
    const them = await theirs.newPage();
    await signInWithForm(them, email, password);
    await expect(them.getByTestId('role-badge')).toHaveText('viewer');

    // The admin makes them an author: their next page load shows it, without signing in again.
    await row.getByLabel(`Role of ${email}`).selectOption('author');
    await expect(page.getByTestId('settings-notice')).toHaveText(`${email} is now author (was viewer).`);
    await them.reload();
    await expect(them.getByTestId('role-badge')).toHaveText('author');

    // Disabled: their next request has no session, and signing in again is refused.
    await row.getByRole('button', { name: 'Disable' }).click();
    await expect(page.getByTestId('settings-notice')).toHaveText(`${email} is disabled.`);
    await them.goto('/');
    await expect(them).toHaveURL(/\/signin/);
    await expect(them.getByTestId('current-user')).toHaveCount(0);
    await them.getByLabel('Email').fill(email);
    await them.getByLabel('Password').fill(password);
    await them.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(them.getByTestId('signin-error')).toContainText('disabled');
    await theirs.close();
  });

  test('an admin cannot demote or disable themselves', async ({ page, signInAs }) => {
    await signInAs('admin');
    await page.goto('/settings');
    const row = page.locator(`[data-testid="user-row"][data-email="${emailFor('admin')}"]`);
    await expect(row.getByLabel(`Role of ${emailFor('admin')}`)).toBeDisabled();
    await expect(row.getByRole('button', { name: 'Disable' })).toBeDisabled();
  });

  test('an admin changes the runbook settings; bad values are explained and nothing is saved', async ({ page, signInAs }) => {
    await signInAs('admin');
    await page.goto('/settings');
    // The stack is shared with the wizard spec, whose step 7 sends the smoke request: put it back after.
    const original = {
      window: await page.getByLabel('Stability window (minutes, step 8)').inputValue(),
      path: await page.getByLabel('Path').inputValue(),
      method: await page.getByLabel('Method').inputValue(),
    };
    await page.getByLabel('Stability window (minutes, step 8)').fill('0');
    await page.getByLabel('Path').fill('no-slash');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Whole minutes between 1 and 1440')).toBeVisible();
    await expect(page.getByText('A path on the application, starting with /')).toBeVisible();

    await page.getByLabel('Stability window (minutes, step 8)').fill('15');
    await page.getByLabel('Path').fill('/healthz');
    await page.getByLabel('Method').selectOption('GET');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('settings-saved')).toContainText('Settings saved');
    await page.reload();
    await expect(page.getByLabel('Stability window (minutes, step 8)')).toHaveValue('15');
    await expect(page.getByLabel('Path')).toHaveValue('/healthz');
    await expect(page.getByLabel('Method')).toHaveValue('GET');

    await page.getByLabel('Stability window (minutes, step 8)').fill(original.window);
    await page.getByLabel('Path').fill(original.path);
    await page.getByLabel('Method').selectOption(original.method);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('settings-saved')).toContainText('Settings saved');
  });
});
