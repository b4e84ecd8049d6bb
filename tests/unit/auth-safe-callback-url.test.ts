import { describe, expect, it } from 'vitest';
import { safeCallbackUrl } from '@/lib/auth/safe-callback-url';

describe('where sign-in sends people afterwards', () => {
  it('keeps paths on this site', () => {
    expect(safeCallbackUrl('/incidents/abc?step=3')).toBe('/incidents/abc?step=3');
    expect(safeCallbackUrl('http://localhost:3000/settings')).toBe('/settings');
  });

  it('never sends people to another host', () => {
    expect(safeCallbackUrl('//evil.example/x')).toBe('/incidents');
    expect(safeCallbackUrl('/\\evil.example')).toBe('/incidents');
    expect(safeCallbackUrl('https://evil.example/incidents')).toBe('/incidents');
    expect(safeCallbackUrl('javascript:alert(1)')).toBe('/incidents');
  });

  it('does not loop back to the sign-in page', () => {
    expect(safeCallbackUrl('/signin?error=x')).toBe('/incidents');
    expect(safeCallbackUrl(undefined)).toBe('/incidents');
  });
});
