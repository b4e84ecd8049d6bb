import { guardRoute } from '@/lib/auth/guard-route';
import { getPodLogs } from '@/lib/k8s/get-pod-logs';
import { getDeploymentStatus } from '@/lib/k8s/get-deployment-status';
import { readLiveList } from '@/lib/live/read-live-list';

/**
 * GET /deployments/NS/NAME/logs?pod=POD&tail=100&timestamps=1
 * Logs of one pod of the deployment, or of all its pods (by the deployment's selector), as
 * `kubectl logs` would print them. The pod must belong to the deployment (its labels match),
 * so this route cannot be used to read other workloads' logs through a crafted name.
 */
export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ namespace: string; name: string }> };

export const GET = guardRoute<Ctx>('cluster.read', async (request, { params }) => {
  const { namespace, name } = await params;
  const search = new URL(request.url).searchParams;
  const tail = Math.min(Math.max(Number(search.get('tail') ?? 100) || 100, 1), 5000);
  const timestamps = search.get('timestamps') !== '0';
  const pod = search.get('pod') || undefined;
  const status = await getDeploymentStatus({ namespace, name });
  if (!status.ok) {
    return Response.json({ ok: false, code: status.code, message: status.message, kubectl: status.kubectl }, { status: status.code === 'NotFound' ? 404 : 200 });
  }
  const selector = status.data.selector;
  if (pod) {
    // The deployment's pods, from the shared watch (no extra API request).
    const pods = await readLiveList({ kind: 'pods', namespace, selector });
    if (pods.ok && !pods.items.some((p) => p.metadata?.name === pod)) {
      return Response.json({ ok: false, code: 'NotFound', message: `pod ${pod} is not a pod of deployment ${name}` }, { status: 404 });
    }
  }
  const result = await getPodLogs({ namespace, pod, selector: pod ? undefined : selector, tailLines: tail, timestamps });
  if (!result.ok) return Response.json({ ok: false, code: result.code, message: result.message, kubectl: result.kubectl });
  const many = result.data.pods.length > 1;
  const text = result.data.lines
    .map((l) => `${many ? `[${l.pod}] ` : ''}${l.timestamp ? `${l.timestamp} ` : ''}${l.text}`)
    .join('\n');
  return Response.json({ ok: true, text, pods: result.data.pods, kubectl: result.kubectl }, { headers: { 'cache-control': 'no-store' } });
});
