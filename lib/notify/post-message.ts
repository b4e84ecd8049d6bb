import 'server-only';
import { env } from '@/lib/env';

export type PostMessageResult =
  | { posted: true; text: string }
  /** Not posted: no webhook configured (copy the text by hand) or the webhook failed. */
  | { posted: false; text: string; reason: 'not-configured' | 'failed'; error?: string };

/**
 * Posts a message to the Slack incoming webhook in SLACK_WEBHOOK_URL. Without one, returns the
 * text for the commander to copy. Never throws: a failed post must not block the rollback.
 * @see https://api.slack.com/messaging/webhooks
 */
export async function postMessage(options: { text: string; timeoutMs?: number }): Promise<PostMessageResult> {
  const url = env().SLACK_WEBHOOK_URL;
  if (!url) return { posted: false, text: options.text, reason: 'not-configured' };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: options.text }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    if (!response.ok) {
      return { posted: false, text: options.text, reason: 'failed', error: `webhook answered ${response.status}` };
    }
    return { posted: true, text: options.text };
  } catch (error) {
    return { posted: false, text: options.text, reason: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}
