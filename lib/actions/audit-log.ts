import 'server-only';

export type AuditEntry = {
  /** What happened, e.g. `user.role-changed`. */
  action: string;
  actor: { id: string; name: string };
  /** What it happened to, e.g. the user's email. */
  target: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
};

/**
 * Writes one audit line (JSON, to stdout) for a change outside any incident, with old and new
 * values. Changes inside an incident go to its timeline instead. Never pass secrets or password
 * hashes here.
 */
export function auditLog(entry: AuditEntry): void {
  console.info(JSON.stringify({ audit: true, at: new Date().toISOString(), ...entry }));
}
