import 'server-only';
import { withTargetDb } from './get-schema-version';

/**
 * The runbook's Validation check "Database queries executing successfully":
 * `SELECT COUNT(*) FROM workflows;`.
 */
export async function countWorkflows(options: { url?: string } = {}): Promise<number> {
  return withTargetDb(async (client) => {
    const result = await client.query<{ count: string }>('SELECT COUNT(*)::text AS count FROM workflows');
    return Number(result.rows[0]?.count ?? 0);
  }, options.url);
}
