import type { TimelineEventRecord } from './types';

/** The incident as the exports need it (plain data; times as Date or ISO string). */
export type ExportIncident = {
  id: string;
  key: string;
  title: string;
  severity: string;
  status: string;
  symptoms: string;
  impact: string;
  clusterContext: string;
  namespace: string;
  deployment: string;
  failedRevision: number | null;
  failedImage: string | null;
  targetRevision: number | null;
  targetImage: string | null;
  detectedAt: Date | string;
  declaredAt: Date | string;
  mitigatedAt: Date | string | null;
  resolvedAt: Date | string | null;
  closedAt: Date | string | null;
  commanderName: string;
};

/** One runbook step's outcome for the incident (StepState as plain data). */
export type ExportStep = {
  step: number;
  status: string;
  reason: string | null;
  completedAt: Date | string | null;
};

/** Everything an export is built from. */
export type TimelineExportData = {
  incident: ExportIncident;
  steps: ExportStep[];
  events: TimelineEventRecord[];
  generatedAt: Date;
};

export type ExportFormat = 'md' | 'json' | 'csv';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['md', 'json', 'csv'];

/** Name of the JSON export format, checked by the verifier. */
export const JSON_EXPORT_FORMAT = 'rollback-console/timeline-export';
