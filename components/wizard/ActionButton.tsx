'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import { Alert } from '@/components/ui/alert';
import { Button, type ButtonVariant } from '@/components/ui/button';
import { KubectlBlock } from './KubectlBlock';
import { incidentStateKey } from './incident-state';

/** A fresh idempotency key for one click gesture (one confirmed run). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

type Phase = { kind: 'idle' } | { kind: 'confirm'; key: string } | { kind: 'running'; key: string; startedAt: number } | { kind: 'done'; result: ActionResult<unknown>; ms: number };

export type ActionButtonProps = {
  incidentId: string;
  label: string;
  /** Dialog title; defaults to the label. */
  title?: string;
  /** The kubectl equivalent, rendered with the incident's namespace, deployment and revision. */
  kubectl: string[];
  destructive?: boolean;
  /** Ask before running (cluster changes). Without it the button runs at once. */
  confirm?: boolean;
  /** What the dialog says will happen, in plain words. */
  description?: ReactNode;
  /** Extra content of the dialog: the dry-run diff, a backup choice... Rendered when the dialog opens. */
  dialogExtra?: ReactNode;
  /** Live progress shown while it runs (follow the rollout, pods scaling). */
  progress?: ReactNode;
  disabled?: boolean;
  disabledReason?: string;
  variant?: ButtonVariant;
  testId?: string;
  /** Performs the action; `key` is the idempotency key of this gesture. */
  run: (key: string) => Promise<ActionResult<unknown>>;
  /** Describes a successful result in words (defaults to a generic summary). */
  describeResult?: (data: unknown) => ReactNode;
  onOpen?: () => void;
};

/**
 * One step action: button → confirmation dialog showing the exact kubectl equivalent (and the
 * dry-run diff for undo and apply) → run with live progress → result with the commands actually
 * executed, resourceVersions and errors in plain words. The idempotency key is generated when the
 * dialog opens, so a double click on "Run" or a network retry runs the change once.
 */
export function ActionButton(props: ActionButtonProps) {
  const { incidentId, label, kubectl, destructive = false, confirm = true, run, testId } = props;
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const router = useRouter();
  const queryClient = useQueryClient();
  const running = useRef(false);
  const [elapsed, setElapsed] = useState(0);

  useEffect(() => {
    if (phase.kind !== 'running') return;
    const t = setInterval(() => setElapsed(Date.now() - phase.startedAt), 500);
    return () => clearInterval(t);
  }, [phase]);

  const execute = async (key: string) => {
    if (running.current) return;
    running.current = true;
    const startedAt = Date.now();
    setElapsed(0);
    setPhase({ kind: 'running', key, startedAt });
    let result: ActionResult<unknown>;
    try {
      result = await run(key);
    } catch (error) {
      result = { ok: false, code: 'network', message: `The console did not answer (${error instanceof Error ? error.message : String(error)}). The action may still have run: check the step state before trying again.` };
    }
    running.current = false;
    setPhase({ kind: 'done', result, ms: Date.now() - startedAt });
    await queryClient.invalidateQueries({ queryKey: incidentStateKey(incidentId) });
    router.refresh();
  };

  const open = () => {
    const key = newIdempotencyKey();
    props.onOpen?.();
    if (confirm) setPhase({ kind: 'confirm', key });
    else void execute(key);
  };

  const dialogOpen = phase.kind === 'confirm' || phase.kind === 'running';

  return (
    <div className="space-y-2" data-testid={testId}>
      <div className="flex flex-wrap items-center gap-2">
        <Button variant={props.variant ?? (destructive ? 'danger' : 'primary')} onClick={open} disabled={props.disabled || phase.kind === 'running'} data-testid={testId ? `${testId}-button` : undefined}>
          {label}
        </Button>
        {props.disabled && props.disabledReason && <span className="text-xs text-slate-600">{props.disabledReason}</span>}
        {!confirm && phase.kind === 'running' && <span className="text-xs text-slate-600">Running… {Math.round(elapsed / 1000)} s</span>}
      </div>
      {!dialogOpen && kubectl.length > 0 && phase.kind === 'idle' && <KubectlBlock commands={kubectl} label="kubectl equivalent" />}

      {dialogOpen && confirm && (
        <div className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-slate-900/60 p-3 sm:p-8">
          <div role="dialog" aria-modal="true" aria-labelledby="action-dialog-title" className="w-full max-w-5xl space-y-3 rounded-lg bg-white p-4 shadow-xl ring-1 ring-slate-300">
            <h2 id="action-dialog-title" className="text-base font-semibold text-slate-900">
              {props.title ?? label}
            </h2>
            {props.description && <div className="text-sm text-slate-700">{props.description}</div>}
            <KubectlBlock commands={kubectl} label="This runs the equivalent of" testId="dialog-kubectl" />
            {props.dialogExtra}
            {destructive && phase.kind === 'confirm' && (
              <Alert tone="warning">This changes what users are served. The intent is recorded on the timeline before it runs.</Alert>
            )}
            {phase.kind === 'running' && (
              <div className="space-y-2" data-testid="action-running">
                <p className="text-sm font-medium text-sky-900">
                  <span className="mr-2 inline-block h-2 w-2 animate-pulse rounded-full bg-sky-600" />
                  Running… {Math.round(elapsed / 1000)} s
                </p>
                {props.progress}
              </div>
            )}
            <div className="flex flex-wrap justify-end gap-2 border-t border-slate-200 pt-3">
              <Button variant="secondary" onClick={() => setPhase({ kind: 'idle' })} disabled={phase.kind === 'running'}>
                Cancel
              </Button>
              <Button variant={destructive ? 'danger' : 'primary'} onClick={() => phase.kind === 'confirm' && void execute(phase.key)} disabled={phase.kind === 'running'} data-testid="confirm-action">
                {phase.kind === 'running' ? 'Running…' : `Run: ${label}`}
              </Button>
            </div>
          </div>
        </div>
      )}

      {phase.kind === 'done' && <ActionOutcome result={phase.result} ms={phase.ms} describe={props.describeResult} onDismiss={() => setPhase({ kind: 'idle' })} />}
    </div>
  );
}

type RunData = { kubectl?: unknown; resourceVersionBefore?: unknown; resourceVersionAfter?: unknown; reused?: unknown; result?: unknown; rollout?: { state?: string; message?: string } };

/** The result of one run: what was executed and what changed, or what went wrong in plain words. */
export function ActionOutcome({ result, ms, describe, onDismiss }: { result: ActionResult<unknown>; ms: number; describe?: (data: unknown) => ReactNode; onDismiss?: () => void }) {
  if (!result.ok) {
    return (
      <Alert tone="danger" title={`Did not run: ${result.message}`} className="space-y-1">
        <p className="text-xs">
          Code <code>{result.code}</code>
          {result.code === 'in_progress' && ' — another action on this deployment is still running; wait for it, then try again.'}
          {result.code === 'precondition_failed' && ' — the live state does not allow this now; nothing was changed.'}
          {result.code === 'forbidden' && ' — your role may not do this.'}
        </p>
        {result.fieldErrors && (
          <ul className="text-xs">
            {Object.entries(result.fieldErrors).map(([k, v]) => (
              <li key={k}>
                {k}: {v.join(', ')}
              </li>
            ))}
          </ul>
        )}
        {onDismiss && (
          <button type="button" className="text-xs underline" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </Alert>
    );
  }
  const data = (result.data ?? {}) as RunData;
  const executed = Array.isArray(data.kubectl) ? (data.kubectl as string[]) : [];
  const failedRollout = data.rollout?.state === 'failed';
  return (
    <div data-testid="action-result" data-ok={failedRollout ? 'false' : 'true'} className={`space-y-2 rounded-md border px-3 py-2 text-sm ${failedRollout ? 'border-red-300 bg-red-50' : 'border-emerald-300 bg-emerald-50'}`}>
      <p className={`font-semibold ${failedRollout ? 'text-red-900' : 'text-emerald-900'}`}>
        {failedRollout ? 'Ran, but the rollout did not complete' : 'Done'} <span className="font-normal text-slate-600">in {(ms / 1000).toFixed(1)} s</span>
        {data.reused === true && <span className="ml-2 text-xs font-normal text-slate-700">(already done by an earlier click: same result, nothing run twice)</span>}
      </p>
      {describe ? <div>{describe(result.data) as ReactNode}</div> : null}
      {data.rollout?.message && <p className="text-xs text-slate-800">Rollout: {data.rollout.message}</p>}
      {executed.length > 0 && <KubectlBlock commands={executed} label="Executed" testId="executed-kubectl" />}
      {Boolean(data.resourceVersionBefore || data.resourceVersionAfter) && (
        <p className="text-xs text-slate-700">
          resourceVersion <code>{String(data.resourceVersionBefore ?? '—')}</code> → <code>{String(data.resourceVersionAfter ?? '—')}</code>
        </p>
      )}
      {onDismiss && (
        <button type="button" className="text-xs text-slate-700 underline" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
