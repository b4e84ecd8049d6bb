import 'server-only';
import { z } from 'zod';

/**
 * The whole environment contract of the console, in one place. Nothing else reads process.env.
 * Validation is lazy (first call) so `next build` works without a database, and strict: a bad
 * value fails with a message naming the variable.
 */
const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const optionalUrl = z
  .string()
  .url()
  .optional()
  .or(z.literal('').transform(() => undefined));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** The console's own Postgres. Its tables live in the `rollback_console` schema. */
  DATABASE_URL: z.string().url().optional(),
  /** Kubeconfig file and context; unset means in-cluster service account. */
  KUBECONFIG: z.string().optional(),
  KUBE_CONTEXT: z.string().optional(),
  /** Act on the cluster as the signed-in user (Impersonate-User) instead of the console's own identity. */
  KUBE_IMPERSONATE: bool,
  /** Prometheus HTTP API base URL; unset means charts say "no Prometheus configured". */
  PROMETHEUS_URL: optionalUrl,
  /** The application's public base URL, for /health, /health/ready and the smoke request. */
  TARGET_APP_URL: optionalUrl,
  /** The application's own database (runbook step 5). Never shown, logged or exported. */
  TARGET_DATABASE_URL: z.string().optional(),
  /** Folder holding backup-YYYYMMDD-HHMMSS.sql.gz files. */
  BACKUP_DIR: z.string().optional(),
  /** next-auth */
  NEXTAUTH_SECRET: z.string().min(16, 'NEXTAUTH_SECRET must be at least 16 characters').optional(),
  NEXTAUTH_URL: optionalUrl,
  /** Optional OIDC provider (all three or none). */
  OIDC_ISSUER: optionalUrl,
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** Role given to users who first sign in through OIDC. */
  OIDC_DEFAULT_ROLE: z.enum(['commander', 'viewer', 'author', 'admin']).default('viewer'),
  /** Slack incoming webhook for announcements; unset means messages are shown ready to copy. */
  SLACK_WEBHOOK_URL: optionalUrl,
  /** Runbook step 8 defaults, editable in settings. */
  STABILITY_WINDOW_MINUTES: z.coerce.number().positive().default(30),
  /** Set by `npm run demo`: seeded users, simulated cluster. */
  DEMO_MODE: bool,
  /** Scale factor of escalation reminders and the stability watch; tests shorten them. */
  CLOCK_SPEED: z.coerce.number().positive().default(1),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const value = parsed.data;
  const oidc = [value.OIDC_ISSUER, value.OIDC_CLIENT_ID, value.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3) {
    throw new Error('Invalid environment:\n  OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together');
  }
  cached = value;
  return value;
}

/** Tests change the environment between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
