import type { JsonValue } from './types';

/**
 * Exports and the page are defensive about secrets: appenders must never put one in a payload,
 * but if one slips through it is masked on the way out, not published in a postmortem.
 */
export const REDACTED = '[redacted]';

const SECRET_KEY = /pass(word|wd|phrase)?$|^pass|secret|token|api[-_]?key|authorization|credential|private[-_]?key|database[-_]?url|connection[-_]?string|^dsn$|cookie|session[-_]?id/i;
// scheme://user:password@host → scheme://user:[redacted]@host
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):([^\s@/]+)@/gi;
// A literal bearer token (not a shell variable such as $TOKEN).
const BEARER = /\b(Bearer\s+)(?!\$)[A-Za-z0-9\-._~+/]{8,}=*/g;

/** True when a key name says its value is a secret (password, token, secret, databaseUrl...). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Masks credentials embedded in free text: passwords in URLs, bearer tokens. */
export function redactText(text: string): string {
  // Fast path: both patterns need one of these; most text has neither.
  if (!text.includes('@') && !text.includes('Bearer')) return text;
  return text.replace(URL_CREDENTIALS, `$1:${REDACTED}@`).replace(BEARER, `$1${REDACTED}`);
}

/**
 * A JSON value with secret-named keys and embedded credentials masked. Returns the very same
 * object when nothing needed masking (callers compare references to know whether it changed).
 */
export function redactSecrets(value: JsonValue): JsonValue {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = redactSecrets(item);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  let changed = false;
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value)) {
    const next = isSecretKey(key) && item !== null && item !== '' && item !== REDACTED ? REDACTED : redactSecrets(item);
    if (next !== item) changed = true;
    out[key] = next;
  }
  return changed ? out : value;
}
