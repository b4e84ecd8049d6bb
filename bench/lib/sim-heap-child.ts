/**
 * The simulation in-process, for bench/sim.ts's memory breakdown: run with
 * `node --import tsx bench/lib/sim-heap-child.ts <port> <appPort> <dir> <scenario> <speed> [historyLimit]`
 * and an IPC channel. Prints `ready`; answers {cmd:'mem'} with process.memoryUsage() (after a GC
 * when --expose-gc is given) and v8 heap space sizes, and {cmd:'stop'} by stopping.
 * A historyLimit argument shrinks the store's watch history (the bounded list of past changes
 * that watches replay from) to measure what it costs.
 */
import path from 'node:path';
import v8 from 'node:v8';
import { startSimulation } from '../../sim';

async function main() {
  const [port, appPort, dir, scenario, speed, historyLimit] = process.argv.slice(2);
  const sim = await startSimulation({
    port: Number(port),
    appPort: Number(appPort),
    dataDir: path.join(dir!, 'sim'),
    kubeconfigPath: path.join(dir!, 'kubeconfig'),
    scenario: scenario as 'healthy',
    speed: Number(speed),
  });
  if (historyLimit) {
    // The Store keeps its constructor options object; its history limit is read on every change.
    (sim.store as unknown as { options: { historyLimit?: number } }).options.historyLimit = Number(historyLimit);
  }
  console.log('ready');
  process.on('message', async (m: { cmd: string }) => {
    if (m.cmd === 'mem') {
      (globalThis as { gc?: () => void }).gc?.();
      const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
      process.send!({ type: 'mem', usage: process.memoryUsage(), spaces });
    } else if (m.cmd === 'stop') {
      await sim.stop();
      process.exit(0);
    }
  });
  process.on('SIGTERM', () => void sim.stop().finally(() => process.exit(0)));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
