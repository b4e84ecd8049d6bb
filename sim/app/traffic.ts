/**
 * The orchestrator's request metrics, driven by which versions are serving: a background traffic
 * generator (20 requests per simulated second) spreads requests over the ready pods, and each
 * version answers with its own error ratio and latency distribution (v0.2.0: ~12% 5xx, P99 ≈ 3.5 s;
 * v0.1.x: <1% 5xx, P99 well under 2 s). Rendered in the Prometheus text format.
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 */

export const BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 10];

export type VersionProfile = { errorRatio: number; latency: () => number };

const uniform = (a: number, b: number) => a + Math.random() * (b - a);

/** How a version of the orchestrator answers requests. */
export function profileFor(version: string): VersionProfile {
  if (version === 'v0.2.0') {
    return {
      errorRatio: 0.12,
      latency: () => {
        const r = Math.random();
        if (r < 0.02) return uniform(3, 4); // the slowest 2% sit in [3, 4] s: P99 ≈ 3.5 s
        if (r < 0.12) return uniform(1, 2.5);
        return uniform(0.08, 0.9);
      },
    };
  }
  return {
    errorRatio: 0.003,
    latency: () => (Math.random() < 0.02 ? uniform(0.5, 1) : uniform(0.03, 0.4)),
  };
}

type Series = { ok: number; error: number; buckets: number[]; sum: number; count: number };

export class RequestMetrics {
  private byVersion = new Map<string, Series>();
  private workflowsCreated = 0;

  private series(version: string): Series {
    let s = this.byVersion.get(version);
    if (!s) this.byVersion.set(version, (s = { ok: 0, error: 0, buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    return s;
  }

  /** Records one request served by `version`. */
  observe(version: string, ok: boolean, seconds: number): void {
    const s = this.series(version);
    if (ok) s.ok++;
    else s.error++;
    s.sum += seconds;
    s.count++;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) s.buckets[i]!++;
    });
  }

  /** Simulates `n` requests spread over the serving versions (weights = ready pods). */
  simulate(n: number, serving: Map<string, number>): void {
    const total = [...serving.values()].reduce((a, b) => a + b, 0);
    if (total === 0 || n <= 0) return;
    for (let i = 0; i < n; i++) {
      let pick = Math.random() * total;
      let version = '';
      for (const [v, w] of serving) {
        version = v;
        pick -= w;
        if (pick < 0) break;
      }
      const p = profileFor(version);
      this.observe(version, Math.random() >= p.errorRatio, p.latency());
    }
  }

  countWorkflow(): void {
    this.workflowsCreated++;
  }

  render(serving: Map<string, number>): string {
    const out: string[] = [];
    const h = '/api/v1/workflows';
    out.push('# HELP http_requests_total Total HTTP requests handled by the orchestrator, by status code.');
    out.push('# TYPE http_requests_total counter');
    for (const [v, s] of this.byVersion) {
      out.push(`http_requests_total{handler="${h}",method="POST",status="200",version="${v}"} ${s.ok}`);
      out.push(`http_requests_total{handler="${h}",method="POST",status="500",version="${v}"} ${s.error}`);
    }
    out.push('# HELP http_request_duration_seconds HTTP request latency in seconds.');
    out.push('# TYPE http_request_duration_seconds histogram');
    for (const [v, s] of this.byVersion) {
      BUCKETS.forEach((b, i) => out.push(`http_request_duration_seconds_bucket{handler="${h}",version="${v}",le="${b}"} ${s.buckets[i]}`));
      out.push(`http_request_duration_seconds_bucket{handler="${h}",version="${v}",le="+Inf"} ${s.count}`);
      out.push(`http_request_duration_seconds_sum{handler="${h}",version="${v}"} ${s.sum.toFixed(3)}`);
      out.push(`http_request_duration_seconds_count{handler="${h}",version="${v}"} ${s.count}`);
    }
    out.push('# HELP orchestrator_workflow_errors_total Workflows that failed with a server error.');
    out.push('# TYPE orchestrator_workflow_errors_total counter');
    for (const [v, s] of this.byVersion) out.push(`orchestrator_workflow_errors_total{version="${v}"} ${s.error}`);
    out.push('# HELP orchestrator_workflows_created_total Workflows created through the API.');
    out.push('# TYPE orchestrator_workflows_created_total counter');
    out.push(`orchestrator_workflows_created_total ${this.workflowsCreated}`);
    out.push('# HELP orchestrator_ready_pods Ready orchestrator pods serving traffic, by version.');
    out.push('# TYPE orchestrator_ready_pods gauge');
    for (const [v, n] of serving) out.push(`orchestrator_ready_pods{version="${v}"} ${n}`);
    return out.join('\n') + '\n';
  }
}
