'use client';

import Link from 'next/link';
import { useState, useTransition } from 'react';
import { declareIncident } from '@/app/incidents/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { KubectlBlock } from '@/components/wizard/KubectlBlock';

export type DeploymentChoice = { value: string; namespace: string; name: string; health: string; ready: string; image: string; revision: number | null };

type Declared = { incidentId: string; key: string; failedImage: string | null; failedRevision: number | null; announcement: { text: string; posted: boolean; error?: string }; snapshots: { kind: string; name: string; resourceVersion: string }[] };

/** Local time for <input type="datetime-local">, to the second. */
function localNow(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const textarea = 'block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-sky-600';

/** The declare form, then the announcement to copy (or the note that it was posted to Slack). */
export function DeclareForm({ deployments, kubectl }: { deployments: DeploymentChoice[]; kubectl: string[] }) {
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [declared, setDeclared] = useState<Declared | null>(null);
  const [detected, setDetected] = useState(localNow);
  const [copied, setCopied] = useState(false);
  const firstUnhealthy = deployments.find((d) => d.health !== 'healthy')?.value ?? '';

  if (declared) {
    return (
      <div className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="declared">
        <Alert tone="success" title={`Incident ${declared.key} declared`}>
          Snapshot taken of {declared.snapshots.map((s) => `${s.kind} ${s.name}`).join(', ') || 'nothing'}. Failing version: {declared.failedImage ?? 'unknown'}
          {declared.failedRevision ? ` (revision ${declared.failedRevision})` : ''}. The recovery clock is running.
        </Alert>
        <div className="space-y-1">
          <p className="text-sm font-semibold text-slate-900">Announcement</p>
          <p className="text-xs text-slate-700" data-testid="announcement-status">
            {declared.announcement.posted
              ? 'Posted to Slack (#incidents).'
              : `Not posted to Slack${declared.announcement.error ? ` (the post failed: ${declared.announcement.error})` : ' (no SLACK_WEBHOOK_URL configured)'}: copy it into #incidents.`}
          </p>
          <pre className="whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-[13px] text-slate-900 ring-1 ring-slate-200" data-testid="announcement-text">
            {declared.announcement.text}
          </pre>
          <Button
            size="sm"
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(declared.announcement.text);
                setCopied(true);
              } catch {
                setCopied(false);
              }
            }}
          >
            {copied ? 'Copied' : 'Copy announcement'}
          </Button>
        </div>
        <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-3">
          <Link href={`/incidents/${declared.incidentId}/steps/1`} className="rounded-md bg-sky-700 px-3.5 py-2 text-sm font-medium text-white hover:bg-sky-800" data-testid="go-to-step-1">
            Continue: assess scope (step 1) →
          </Link>
          <Link href={`/incidents/${declared.incidentId}`} className="rounded-md px-3.5 py-2 text-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
            Incident overview
          </Link>
        </div>
      </div>
    );
  }

  return (
    <form
      className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const local = String(form.get('detectedAt') ?? '');
        const input = {
          title: String(form.get('title') ?? ''),
          severity: String(form.get('severity') ?? 'SEV1') as 'SEV1' | 'SEV2' | 'SEV3',
          target: String(form.get('target') ?? ''),
          // The browser's local time → an absolute instant the server can trust.
          detectedAt: local ? new Date(local).toISOString() : undefined,
          symptoms: String(form.get('symptoms') ?? ''),
          impact: String(form.get('impact') ?? ''),
        };
        setMessage(null);
        startTransition(async () => {
          const r = await declareIncident(input);
          if (r.ok) setDeclared(r.data as Declared);
          else {
            setErrors(r.fieldErrors ?? {});
            setMessage(r.message);
          }
        });
      }}
    >
      <Field label="Title" htmlFor="title" errors={errors.title}>
        <Input id="title" name="title" required placeholder="e.g. orchestrator v0.2.0: 12% 5xx and OOMKilled pods" />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Severity" htmlFor="severity" errors={errors.severity}>
          <Select id="severity" name="severity" defaultValue="SEV1">
            <option value="SEV1">SEV1 — critical, user-facing</option>
            <option value="SEV2">SEV2 — major, degraded</option>
            <option value="SEV3">SEV3 — minor</option>
          </Select>
        </Field>
        <Field label="Detected at (your local time)" htmlFor="detectedAt" errors={errors.detectedAt} hint="Defaults to now; editable later.">
          <Input id="detectedAt" name="detectedAt" type="datetime-local" value={detected} onChange={(e) => setDetected(e.target.value)} />
        </Field>
      </div>
      <Field label="Failing deployment" htmlFor="target" errors={errors.target} hint="Unhealthy deployments are listed first and marked.">
        <Select id="target" name="target" defaultValue={firstUnhealthy} required>
          <option value="" disabled>
            Choose the deployment…
          </option>
          {deployments.map((d) => (
            <option key={d.value} value={d.value}>
              {d.health === 'healthy' ? '' : '⚠ '}
              {d.namespace}/{d.name} — {d.health}, {d.ready} ready, {d.image.split('/').pop()}
              {d.revision ? `, rev ${d.revision}` : ''}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Symptoms" htmlFor="symptoms" errors={errors.symptoms}>
        <textarea id="symptoms" name="symptoms" rows={2} className={textarea} placeholder="High error rate / crashes / latency…" />
      </Field>
      <Field label="Impact" htmlFor="impact" errors={errors.impact}>
        <textarea id="impact" name="impact" rows={2} className={textarea} placeholder="User-facing / internal only…" />
      </Field>
      <KubectlBlock commands={['kubectl get deployment {deployment} -n {namespace} -o yaml', 'kubectl get configmap,hpa -n {namespace} -o yaml']} label="Declaring snapshots the equivalent of" />
      {kubectl.length > 0 && <p className="text-[11px] text-slate-500">Deployments listed with: {kubectl.join(' ; ')}</p>}
      {message && <Alert tone="danger">{message}</Alert>}
      <div className="flex justify-end">
        <Button type="submit" variant="danger" disabled={pending} data-testid="declare-submit">
          {pending ? 'Declaring…' : 'Declare incident'}
        </Button>
      </div>
    </form>
  );
}
