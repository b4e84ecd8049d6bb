import { describe, expect, it } from 'vitest';
import { parseLiveParams } from '@/lib/live/create-live-stream';
import { liveKey } from '@/lib/live/subscribe-live';

describe('which live streams a viewer may ask for', () => {
  it('accepts the deployment page streams', () => {
    expect(parseLiveParams(new URLSearchParams('kind=pods&namespace=llm-orchestrator&selector=app%3Dorchestrator'))).toEqual({
      ok: true,
      kind: 'pods',
      namespace: 'llm-orchestrator',
      selector: 'app=orchestrator',
    });
    expect(parseLiveParams(new URLSearchParams('kind=deployments')).ok).toBe(true);
    expect(parseLiveParams(new URLSearchParams('kind=pods&selector=tier+in+(a,b),!canary')).ok).toBe(true);
  });

  it('refuses other kinds (secrets), bad namespaces and odd selectors', () => {
    expect(parseLiveParams(new URLSearchParams('kind=secrets')).ok).toBe(false);
    expect(parseLiveParams(new URLSearchParams('kind=pods&namespace=../../api')).ok).toBe(false);
    expect(parseLiveParams(new URLSearchParams('kind=pods&selector=a%3Db%26watch%3Dfalse')).ok).toBe(false);
  });

  it('viewers asking with differently spaced selectors share one watch', () => {
    expect(liveKey({ kind: 'pods', namespace: 'ns', selector: 'app = x , tier=y' })).toBe(
      liveKey({ kind: 'pods', namespace: 'ns', selector: 'app=x,tier=y' }),
    );
    expect(liveKey({ kind: 'pods', namespace: 'ns' })).not.toBe(liveKey({ kind: 'events', namespace: 'ns' }));
  });
});
