import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** User + system CPU seconds of a process, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
}

/** A process's resident memory now (`VmRSS`) or at its peak so far (`VmHWM`), in MB. */
export function residentMb(pid: number, which: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${which}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
}

/** The whole machine's CPU time so far, idle and in all, in clock ticks (the `cpu` line of /proc/stat). */
export interface MachineTicks {
  idle: number;
  total: number;
}

export function machineTicks(): MachineTicks {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are time nobody used.
  return {
    idle: (ticks[3] ?? 0) + (ticks[4] ?? 0),
    total: ticks.slice(0, 8).reduce((a, b) => a + b, 0),
  };
}

/** The share of every core's time that was idle between two readings, in %. */
export function idlePercent(from: MachineTicks, to: MachineTicks): number {
  const total = to.total - from.total;
  return total > 0 ? (100 * (to.idle - from.idle)) / total : 0;
}

/** A TCP port nothing listens on right now, for a bot process's HTTP server. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
