import { defineConfig } from 'prisma/config';

// Prisma 7 reads no .env file; scripts pass DATABASE_URL explicitly. `generate` needs no database.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://unset@127.0.0.1:1/unset' },
});
