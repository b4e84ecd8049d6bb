'use client';

import { useState } from 'react';
import { restoreDatabase } from '@/app/incidents/[id]/actions';
import { getStep, renderKubectl, type KubectlVars } from '@/lib/incidents/steps';
import type { BackupFile } from '@/lib/targetdb/list-backups';
import { Select } from '@/components/ui/field';
import { ActionButton } from '../ActionButton';
import { LiveRecent } from '../LiveRecent';
import { PodsProgress } from '../PodsProgress';
import type { IncidentLiveState } from '../incident-state';

const SEQUENCE = ['Scale to 0', 'Wait until every pod is gone (refuse if any runs)', 'Restore the backup (one transaction)', 'Verify the schema version', 'Scale back', 'Wait until ready'];

/** Step 5: choose a backup, then scale to 0 → wait → restore → verify → scale back → wait ready. */
export function RestoreDatabaseAction({ initial, vars, backups }: { initial: IncidentLiveState; vars: KubectlVars; backups: BackupFile[] }) {
  const incidentId = initial.overview.incident.id;
  const [backup, setBackup] = useState(backups[0]?.name ?? '');
  const def = getStep(5).actions[0]!;
  return (
    <div className="space-y-3">
      <label className="block text-xs font-medium text-slate-700">
        Backup to restore
        <Select className="mt-0.5 w-auto" value={backup} onChange={(e) => setBackup(e.target.value)} data-testid="backup-select">
          {backups.map((b) => (
            <option key={b.name} value={b.name}>
              {b.name} — {(b.sizeBytes / 1024).toFixed(1)} KiB, taken {b.takenAt.slice(0, 19).replace('T', ' ')} UTC
            </option>
          ))}
        </Select>
      </label>
      <ol className="grid gap-1 text-xs text-slate-700 sm:grid-cols-3">
        {SEQUENCE.map((s, i) => (
          <li key={s} className="rounded bg-slate-50 px-2 py-1 ring-1 ring-slate-200">
            <span className="font-semibold">{i + 1}.</span> {s}
          </li>
        ))}
      </ol>
      <ActionButton
        incidentId={incidentId}
        testId="action-database.restore"
        label={def.label}
        kubectl={def.kubectl.map((k) => renderKubectl(k, { ...vars, backup: backup || '{backup}' }))}
        destructive
        disabled={!backup}
        disabledReason={backup ? undefined : 'No backup-*.sql.gz in the backup folder.'}
        description={
          <>
            Takes the application offline while the database is restored from <code>{backup}</code>. The restore is refused while any pod still runs. If the restore fails the
            database is left unchanged and the deployment is scaled back up.
          </>
        }
        progress={
          <div className="space-y-2">
            {vars.selector && <PodsProgress namespace={String(vars.namespace)} selector={String(vars.selector)} />}
            <LiveRecent initial={initial} limit={5} />
          </div>
        }
        run={(idempotencyKey) => restoreDatabase({ incidentId, backup, idempotencyKey })}
        describeResult={(d) => {
          const r = (d as { result?: { schemaVersion?: string | null; method?: string; previousReplicas?: number; restoredReplicas?: number } }).result;
          return r ? (
            <p className="text-sm">
              Schema version now <code data-testid="restored-schema-version">{r.schemaVersion ?? 'unknown'}</code> (restored with {r.method}); replicas {r.previousReplicas} → 0 → {r.restoredReplicas}.
            </p>
          ) : null;
        }}
      />
    </div>
  );
}
