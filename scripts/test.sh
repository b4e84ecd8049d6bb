#!/usr/bin/env bash
# The whole test suite: `npm test`. Gets what a fresh machine lacks where it can (as root on
# Debian/Ubuntu: Chromium and Prometheus with apt-get), then runs type checks, lint, unit,
# integration (embedded Postgres + simulated cluster), real-kubectl, and browser tests.
# Nothing is skipped: a missing tool fails the run with the command that installs it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

need_packages=()
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
command -v prometheus >/dev/null 2>&1 || need_packages+=(prometheus)
# The runbook's own commands in tests/kubectl pipe backups through gunzip into psql and curl the app.
command -v psql >/dev/null 2>&1 || need_packages+=(postgresql-client)
command -v curl >/dev/null 2>&1 || need_packages+=(curl)
command -v gunzip >/dev/null 2>&1 || need_packages+=(gzip)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "Installing ${need_packages[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
  else
    echo "Missing: ${need_packages[*]}. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need_packages[*]}" >&2
    exit 1
  fi
fi
command -v kubectl >/dev/null 2>&1 || { echo "kubectl is required for tests/kubectl (install kubectl 1.27+)" >&2; exit 1; }

step "Generating the Prisma client"
npm run --silent db:generate

step "Type check"
npx tsc --noEmit

step "Lint"
npx eslint --max-warnings=0 .

step "Unit, integration and kubectl tests (vitest)"
npx vitest run

step "Browser tests (Playwright, Debian Chromium)"
npx playwright test

echo
echo "All test suites passed in $(( $(date +%s) - started )) s."
