/**
 * Runs the Prisma CLI with the offline schema engine (scripts/prisma-schema-engine.mjs), so
 * `migrate deploy|diff|status|dev` work without Prisma's binary download.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

/** Repository root (scripts/lib/ → ../..). */
export const ROOT = path.resolve(__dirname, '..', '..');
export const SCHEMA_ENGINE = path.join(ROOT, 'scripts', 'prisma-schema-engine.mjs');
const PRISMA_CLI = path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js');

export type PrismaRun = { code: number; stdout: string; stderr: string };

/** Environment for any Prisma CLI call: the offline engine, no update check, no telemetry. */
export function prismaEnv(databaseUrl?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: SCHEMA_ENGINE,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return env;
}

/**
 * Runs `prisma ARGS` in the repository root and resolves with its exit code and output (it does
 * not throw on a non-zero exit: `migrate diff --exit-code` uses 2 for "there is a difference").
 */
export function runPrisma(args: string[], options: { databaseUrl?: string; inherit?: boolean } = {}): Promise<PrismaRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA_CLI, ...args], {
      cwd: ROOT,
      env: prismaEnv(options.databaseUrl),
      stdio: ['ignore', options.inherit ? 'inherit' : 'pipe', options.inherit ? 'inherit' : 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
