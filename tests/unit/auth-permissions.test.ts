import { describe, expect, it } from 'vitest';
import { AuthorizationError, can, PERMISSIONS, requirePermission, ROLE_PERMISSIONS, ROLES } from '@/lib/auth/permissions';

describe('the permission table', () => {
  it('gives each role exactly the permissions agreed in the design', () => {
    expect([...ROLE_PERMISSIONS.viewer].sort()).toEqual(['cluster.read', 'incident.read']);
    expect([...ROLE_PERMISSIONS.author].sort()).toEqual(['cluster.read', 'incident.read', 'timeline.export', 'timeline.note']);
    expect([...ROLE_PERMISSIONS.commander].sort()).toEqual(
      ['cluster.read', 'incident.declare', 'incident.read', 'incident.update', 'rollback.execute', 'sharelink.manage', 'step.update', 'timeline.export', 'timeline.note'].sort(),
    );
    expect([...ROLE_PERMISSIONS.admin].sort()).toEqual(['cluster.read', 'incident.read', 'settings.manage', 'timeline.export', 'users.manage']);
  });

  it('never lets a viewer act, and never lets an admin touch the cluster', () => {
    for (const p of PERMISSIONS) {
      if (p !== 'incident.read' && p !== 'cluster.read') expect(can('viewer', p)).toBe(false);
    }
    expect(can('admin', 'rollback.execute')).toBe(false);
    expect(can('admin', 'step.update')).toBe(false);
    expect(can('commander', 'rollback.execute')).toBe(true);
  });

  it('grants nothing to unknown or missing roles', () => {
    for (const p of PERMISSIONS) {
      expect(can('root', p)).toBe(false);
      expect(can(undefined, p)).toBe(false);
      expect(can(null, p)).toBe(false);
    }
    expect(ROLES).toHaveLength(4);
  });
});

describe('requirePermission', () => {
  it('refuses anonymous callers as unauthenticated', () => {
    try {
      requirePermission(null, 'incident.read');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AuthorizationError);
      expect((error as AuthorizationError).code).toBe('unauthenticated');
    }
  });

  it('refuses a role without the permission as forbidden, naming role and permission', () => {
    try {
      requirePermission({ id: 'u1', role: 'viewer' }, 'rollback.execute');
      expect.unreachable();
    } catch (error) {
      expect((error as AuthorizationError).code).toBe('forbidden');
      expect((error as Error).message).toContain('viewer');
      expect((error as Error).message).toContain('rollback.execute');
    }
  });

  it('lets a role with the permission through', () => {
    expect(() => requirePermission({ id: 'u1', role: 'commander' }, 'rollback.execute')).not.toThrow();
  });
});
