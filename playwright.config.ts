import { defineConfig, devices } from '@playwright/test';
import { execFileSync } from 'node:child_process';

/**
 * Browser tests against the built app, in Debian's Chromium (never a downloaded browser).
 * `scripts/e2e-server.ts` starts the whole stack (embedded Postgres, simulated cluster,
 * `next start`) on a free port; set E2E_PORT to use a server you started yourself.
 */

// The config is evaluated in the runner and again in every worker; the port chosen by the
// runner reaches the workers through the environment.
if (!process.env.E2E_PORT) {
  process.env.E2E_PORT = execFileSync(process.execPath, [
    '-e',
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
  ])
    .toString()
    .trim();
}
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // One folder per run (per port): Playwright empties its output folder when it starts, which
  // would delete the traces of another run going on in the same tree.
  outputDir: `test-results/e2e-${port}`,
  // The specs share one stack and one simulated cluster, and some of them change it (the wizard
  // rolls back, the deployment spec resets the scenario): run them one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: `playwright-report` }]] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    command: `npx tsx --conditions=react-server scripts/e2e-server.ts --port ${port}`,
    url: `${baseURL}/signin`,
    // Postgres + simulation + a possible `next build` (1.5-3 min on a busy 2-core machine).
    timeout: 480_000,
    // CI always starts its own stack; locally a server already on E2E_PORT is reused.
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
