import Link from 'next/link';
import { can } from '@/lib/auth/permissions';
import { requirePageUser } from '@/lib/auth/session';
import { listIncidents } from '@/lib/incidents/list-incidents';
import { searchEvents } from '@/lib/timeline/search-events';
import { Badge } from '@/components/ui/badge';
import { Input, Select } from '@/components/ui/field';
import { ACTIVE_STATUSES, INCIDENT_STATUS_TONE, SEVERITY_TONE, formatUtc } from '@/components/wizard/format';
import { RecoveryClock } from '@/components/wizard/RecoveryClock';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Incidents' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const STATUSES = ['active', 'declared', 'mitigating', 'monitoring', 'resolved', 'closed'] as const;

const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');

/**
 * Incidents, active first: status, severity, deployment, recovery clock and step progress.
 * Filters (status, declared from/to) and a search over timeline text are plain GET parameters,
 * so a filtered list can be linked in chat.
 */
export default async function IncidentsPage({ searchParams }: Props) {
  const user = await requirePageUser({ path: '/incidents', permission: 'incident.read' });
  const sp = await searchParams;
  const status = one(sp.status);
  const from = one(sp.from);
  const to = one(sp.to);
  const q = one(sp.q).trim();

  let items = await listIncidents();
  if (status === 'active') items = items.filter((i) => ACTIVE_STATUSES.includes(i.status));
  else if (status) items = items.filter((i) => i.status === status);
  if (/^\d{4}-\d{2}-\d{2}$/.test(from)) items = items.filter((i) => i.declaredAt >= `${from}T00:00:00`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(to)) items = items.filter((i) => i.declaredAt <= `${to}T23:59:59.999Z`);
  let hitsByIncident = new Map<string, { summary: string; seq: number }>();
  if (q) {
    const hits = await searchEvents({ query: q, limit: 300 });
    hitsByIncident = new Map();
    for (const h of hits) if (!hitsByIncident.has(h.incidentId)) hitsByIncident.set(h.incidentId, { summary: h.summary, seq: h.seq });
    items = items.filter((i) => hitsByIncident.has(i.id) || i.title.toLowerCase().includes(q.toLowerCase()) || i.key.toLowerCase().includes(q.toLowerCase()));
  }
  const filtered = Boolean(status || from || to || q);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-xl font-semibold">Incidents</h1>
        {can(user.role, 'incident.declare') && (
          <Link href="/incidents/new" className="rounded-md bg-red-700 px-3.5 py-2 text-sm font-semibold text-white hover:bg-red-800" data-testid="declare-incident-link">
            Declare incident
          </Link>
        )}
      </div>

      <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200" role="search">
        <label className="text-xs font-medium text-slate-700">
          Status
          <Select name="status" defaultValue={status} className="mt-0.5 w-40">
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-xs font-medium text-slate-700">
          Declared from
          <Input type="date" name="from" defaultValue={from} className="mt-0.5 w-40" />
        </label>
        <label className="text-xs font-medium text-slate-700">
          to
          <Input type="date" name="to" defaultValue={to} className="mt-0.5 w-40" />
        </label>
        <label className="min-w-[14rem] flex-1 text-xs font-medium text-slate-700">
          Search the timelines
          <Input type="search" name="q" defaultValue={q} placeholder="e.g. rollout undo, OOMKilled, v0.2.0" className="mt-0.5" />
        </label>
        <button type="submit" className="rounded-md bg-slate-800 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-900">
          Filter
        </button>
        {filtered && (
          <Link href="/incidents" className="py-2 text-sm text-slate-700 underline">
            Clear
          </Link>
        )}
      </form>

      {items.length === 0 ? (
        <p className="rounded-lg bg-white p-6 text-sm text-slate-600 ring-1 ring-slate-200">{filtered ? 'No incident matches these filters.' : 'No incidents yet.'}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="w-full text-sm" data-testid="incidents-table">
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs text-slate-600">
              <tr>
                <th className="px-3 py-2 font-medium">Incident</th>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 font-medium">Sev</th>
                <th className="px-3 py-2 font-medium">Deployment</th>
                <th className="px-3 py-2 font-medium">Steps</th>
                <th className="px-3 py-2 font-medium">Recovery clock</th>
                <th className="px-3 py-2 font-medium">Declared</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((i) => {
                const active = ACTIVE_STATUSES.includes(i.status);
                const hit = hitsByIncident.get(i.id);
                return (
                  <tr key={i.id} data-testid="incident-row" data-status={i.status} className={active ? 'bg-red-50/40' : undefined}>
                    <td className="px-3 py-2">
                      <Link href={`/incidents/${i.id}`} className="font-medium text-sky-800 hover:underline">
                        {i.title}
                      </Link>
                      <p className="font-mono text-[11px] text-slate-500">
                        {i.key} · {i.commanderName}
                      </p>
                      {hit && <p className="mt-0.5 text-[11px] text-slate-700">match #{hit.seq}: {hit.summary}</p>}
                    </td>
                    <td className="px-3 py-2">
                      <Badge tone={INCIDENT_STATUS_TONE[i.status] ?? 'neutral'} className="uppercase">
                        {i.status}
                      </Badge>
                    </td>
                    <td className="px-3 py-2">
                      <Badge tone={SEVERITY_TONE[i.severity] ?? 'neutral'}>{i.severity}</Badge>
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">
                      {i.namespace}/{i.deployment}
                    </td>
                    <td className="px-3 py-2">
                      <div className="flex items-center gap-2">
                        <div className="h-2 w-20 overflow-hidden rounded bg-slate-200">
                          <div className="h-full bg-emerald-600" style={{ width: `${(i.progress.finished / i.progress.total) * 100}%` }} />
                        </div>
                        <span className="text-xs tabular-nums text-slate-700">
                          {i.progress.finished}/{i.progress.total}
                        </span>
                      </div>
                    </td>
                    <td className={`whitespace-nowrap px-3 py-2 text-xs ${i.mitigatedAt ? 'text-emerald-800' : 'font-semibold text-red-700'}`}>
                      <RecoveryClock detectedAt={i.detectedAt} declaredAt={i.declaredAt} mitigatedAt={i.mitigatedAt} compact />
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 text-xs text-slate-600">{formatUtc(i.declaredAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
