'use client';

import { useState, useTransition, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import type { ConsoleSettings } from '@/lib/settings/console-settings';
import { saveSettings } from '@/app/settings/actions';

/** Runbook defaults, shown as placeholders so a blank field says what it falls back to. */
export type SettingsDefaults = { stabilityWindowMinutes: number; smokeMethod: string; smokePath: string; metricsWindow: string };

/** The runbook's tunables: stability window (step 8), smoke request (step 7), chart window. */
export function SettingsForm({ settings, defaults }: { settings: ConsoleSettings; defaults: SettingsDefaults }) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [notice, setNotice] = useState<{ tone: 'success' | 'danger'; text: string } | undefined>();
  const [pending, startTransition] = useTransition();
  const smoke = settings.smokeRequest;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (k: string) => String(data.get(k) ?? '');
    startTransition(async () => {
      const result = await saveSettings({
        stabilityWindowMinutes: text('stabilityWindowMinutes'),
        smokeMethod: text('smokeMethod') === 'GET' ? 'GET' : 'POST',
        smokePath: text('smokePath'),
        smokeBody: text('smokeBody'),
        smokeExpectStatus: text('smokeExpectStatus'),
        metricsWindow: text('metricsWindow'),
      });
      setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
      setNotice(result.ok ? { tone: 'success', text: 'Settings saved. They apply to the next check or watch that starts.' } : { tone: 'danger', text: result.message });
    });
  }

  return (
    <Card title="Runbook settings" description="Blank fields use the runbook's defaults, shown in grey.">
      <form onSubmit={onSubmit} className="space-y-4">
        {notice && (
          <Alert tone={notice.tone}>
            <span data-testid="settings-saved">{notice.text}</span>
          </Alert>
        )}
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <Field label="Stability window (minutes, step 8)" htmlFor="stabilityWindowMinutes" errors={errors.stabilityWindowMinutes}>
            <Input
              id="stabilityWindowMinutes"
              name="stabilityWindowMinutes"
              inputMode="numeric"
              defaultValue={settings.stabilityWindowMinutes ?? ''}
              placeholder={String(defaults.stabilityWindowMinutes)}
            />
          </Field>
          <Field label="Chart window (metrics)" htmlFor="metricsWindow" errors={errors.metricsWindow}>
            <Input id="metricsWindow" name="metricsWindow" defaultValue={settings.metricsWindow ?? ''} placeholder={defaults.metricsWindow} />
          </Field>
        </div>
        <fieldset className="grid gap-3 sm:grid-cols-[7rem_minmax(0,1fr)_10rem]">
          <legend className="mb-1 text-xs font-semibold text-slate-700">Smoke request after the rollback (step 7)</legend>
          <Field label="Method" htmlFor="smokeMethod">
            <Select id="smokeMethod" name="smokeMethod" defaultValue={smoke?.method ?? defaults.smokeMethod}>
              <option value="POST">POST</option>
              <option value="GET">GET</option>
            </Select>
          </Field>
          <Field label="Path" htmlFor="smokePath" errors={errors.smokePath}>
            <Input id="smokePath" name="smokePath" defaultValue={smoke?.path ?? ''} placeholder={defaults.smokePath} />
          </Field>
          <Field label="Expected status" htmlFor="smokeExpectStatus" errors={errors.smokeExpectStatus}>
            <Input id="smokeExpectStatus" name="smokeExpectStatus" defaultValue={smoke?.expectStatus.join(', ') ?? ''} placeholder="200, 201" />
          </Field>
          <div className="sm:col-span-3">
            <Field label="JSON body (POST)" htmlFor="smokeBody" errors={errors.smokeBody}>
              <textarea
                id="smokeBody"
                name="smokeBody"
                rows={3}
                defaultValue={smoke?.body === undefined ? '' : JSON.stringify(smoke.body, null, 2)}
                placeholder="runbook default body"
                className="block w-full rounded-md border-0 bg-white px-2.5 py-1.5 font-mono text-xs text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-sky-600"
              />
            </Field>
          </div>
        </fieldset>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Saving…' : 'Save settings'}
        </Button>
      </form>
    </Card>
  );
}
