import 'server-only';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { Log } from '@kubernetes/client-node';
import { kubeClients, type K8sActor } from './client';
import { resolveLogTargets } from './get-pod-logs';
import { kubectlCommands } from './kubectl';
import { parseLogLine, type LogLine } from './log-lines';
import { k8sFail, k8sFailFromError, k8sOk, type K8sResult } from './result';

export type FollowPodLogsOptions = {
  namespace: string;
  pod?: string | undefined;
  selector?: string | undefined;
  container?: string | undefined;
  tailLines?: number | undefined;
  timestamps?: boolean | undefined;
  maxPods?: number | undefined;
  /** Aborting stops every stream and ends the iterator. */
  signal?: AbortSignal | undefined;
  actor?: K8sActor | undefined;
};

/**
 * `kubectl logs -f` as an async iterator of lines from one pod or every pod of a selector (as
 * they exist when called). The iterator ends when every stream ends or `signal` aborts;
 * breaking out of a `for await` closes the streams too.
 */
export async function followPodLogs(opts: FollowPodLogsOptions): Promise<K8sResult<{ pods: string[]; lines: AsyncIterable<LogLine> }>> {
  const kubectl = [kubectlCommands.logs({ ...opts, tail: opts.tailLines, follow: true })];
  if (!opts.pod && !opts.selector) return k8sFail('Invalid', 'give a pod name or a label selector', kubectl);
  try {
    const c = kubeClients({ actor: opts.actor });
    const targets = await resolveLogTargets(c, opts);
    const timestamps = opts.timestamps === true;
    const log = new Log(c.kc);
    const queue: LogLine[] = [];
    let wake: (() => void) | undefined;
    let open = targets.length;
    const controllers: AbortController[] = [];
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      for (const ctl of controllers) ctl.abort();
      wake?.();
    };
    opts.signal?.addEventListener('abort', close, { once: true });
    for (const t of targets) {
      const stream = new PassThrough();
      const rl = createInterface({ input: stream });
      rl.on('line', (line) => {
        queue.push(parseLogLine(line, { ...t, timestamps }));
        wake?.();
      });
      rl.on('close', () => {
        open -= 1;
        wake?.();
      });
      log
        .log(opts.namespace, t.pod, t.container, stream, { follow: true, tailLines: opts.tailLines, timestamps })
        .then((ctl) => {
          controllers.push(ctl);
          if (closed) ctl.abort();
          ctl.signal.addEventListener('abort', () => stream.end());
        })
        .catch(() => stream.end());
    }
    async function* lines(): AsyncGenerator<LogLine> {
      try {
        while (true) {
          while (queue.length > 0) yield queue.shift()!;
          if (closed || open <= 0) return;
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      } finally {
        close();
      }
    }
    return k8sOk({ pods: targets.map((t) => t.pod), lines: lines() }, kubectl);
  } catch (err) {
    return k8sFailFromError(err, kubectl, `logs in ${opts.namespace}`);
  }
}
