import 'server-only';
import { db } from '@/lib/db/client';
import { stepProgress } from './steps';

export type IncidentListItem = {
  id: string;
  key: string;
  title: string;
  severity: string;
  status: string;
  namespace: string;
  deployment: string;
  detectedAt: string;
  declaredAt: string;
  mitigatedAt: string | null;
  closedAt: string | null;
  commanderName: string;
  progress: ReturnType<typeof stepProgress>;
};

const ACTIVE = ['declared', 'mitigating', 'monitoring'];

/** The /incidents list: active incidents first (newest declared first), then the rest. */
export async function listIncidents(options: { take?: number } = {}): Promise<IncidentListItem[]> {
  const rows = await db.incident.findMany({
    orderBy: { declaredAt: 'desc' },
    take: options.take ?? 200,
    include: { commander: { select: { name: true } }, steps: { select: { step: true, status: true } } },
  });
  const items = rows.map((r) => ({
    id: r.id,
    key: r.key,
    title: r.title,
    severity: r.severity,
    status: r.status,
    namespace: r.namespace,
    deployment: r.deployment,
    detectedAt: r.detectedAt.toISOString(),
    declaredAt: r.declaredAt.toISOString(),
    mitigatedAt: r.mitigatedAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    commanderName: r.commander.name,
    progress: stepProgress(r.steps),
  }));
  return [...items.filter((i) => ACTIVE.includes(i.status)), ...items.filter((i) => !ACTIVE.includes(i.status))];
}
