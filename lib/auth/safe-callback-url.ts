/**
 * Where to go after signing in: only a path on this site, so a crafted link cannot send people
 * to another host (open redirect). Anything else becomes `/incidents`.
 */
export function safeCallbackUrl(value: unknown, fallback = '/incidents'): string {
  if (typeof value !== 'string' || !value) return fallback;
  let path = value;
  // next-auth sometimes hands back an absolute URL on the site's own origin; keep its path.
  if (/^https?:\/\//i.test(path)) {
    try {
      const url = new URL(path);
      path = `${url.pathname}${url.search}${url.hash}`;
    } catch {
      return fallback;
    }
  }
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return fallback;
  if (path.startsWith('/signin') || path.startsWith('/api/auth')) return fallback;
  return path;
}
