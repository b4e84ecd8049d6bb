import { redactSecrets, redactText } from './redact-secrets';
import type { TimelineEventRecord } from './types';

/**
 * An event with secrets masked in its summary, payload and kubectl, and whether anything changed.
 * A changed event no longer matches its hash: the JSON export marks it `redacted` so the verifier
 * says its content could not be rechecked instead of calling it tampered.
 */
export function redactEvent<T extends TimelineEventRecord>(event: T): { event: T; redacted: boolean } {
  const summary = redactText(event.summary);
  const kubectl = event.kubectl === null ? null : redactText(event.kubectl);
  const payload = redactSecrets(event.payload);
  const redacted = summary !== event.summary || kubectl !== event.kubectl || payload !== event.payload;
  return redacted ? { event: { ...event, summary, kubectl, payload }, redacted } : { event, redacted };
}
