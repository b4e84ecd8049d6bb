import { Badge, type BadgeTone } from '@/components/ui/badge';
import { ROLE_LABELS, isRole } from '@/lib/auth/permissions';

const ROLE_TONES: Record<string, BadgeTone> = { commander: 'warning', viewer: 'neutral', author: 'violet', admin: 'info' };

/** The role as a badge; the full role name is the tooltip. */
export function RoleBadge({ role, className }: { role: string; className?: string }) {
  return (
    <span title={isRole(role) ? ROLE_LABELS[role] : role} data-testid="role-badge" data-role={role}>
      <Badge tone={ROLE_TONES[role] ?? 'neutral'} className={className}>
        {role}
      </Badge>
    </span>
  );
}
