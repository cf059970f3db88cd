// CPU time of a process and of its descendants, read from /proc (Linux), so
// the benchmark can say how much of a core the server used, apart from its
// PostgreSQL, while the load ran.
import { closeSync, fdatasyncSync, openSync, readFileSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface Stat { pid: number; ppid: number; own: number; cpuSeconds: number }

function statOf(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // utime, stime, and cutime, cstime: the latter hold children already exited and reaped
  // (PostgreSQL backends come and go), so a process tree's total only grows.
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  return { pid, ppid: Number(fields[1]), own: (utime + stime) / TICKS_PER_SECOND, cpuSeconds: (utime + stime + cutime + cstime) / TICKS_PER_SECOND };
}

/** Seconds the process's main thread (the server's event loop) ran, and waited runnable for a CPU. */
function schedOf(pid: number): { run: number; wait: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { run: run / 1e9, wait: wait / 1e9 };
  } catch {
    return { run: 0, wait: 0 };
  }
}

export interface CpuSample {
  at: number;
  /** Main thread: time on a CPU and time waiting in the run queue (other processes had the CPUs). */
  sched: { run: number; wait: number };
  /** The process itself. */
  own: number;
  /** Every live descendant (for the server: its PostgreSQL). */
  descendants: number;
}

export function sampleCpu(pid: number): CpuSample {
  const all: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statOf(Number(name));
    if (stat) all.push(stat);
  }
  const children = new Map<number, Stat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let descendants = 0;
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length) {
    const s = stack.pop()!;
    descendants += s.cpuSeconds;
    stack.push(...(children.get(s.pid) ?? []));
  }
  return { at: performance.now(), own: statOf(pid)?.own ?? 0, descendants, sched: schedOf(pid) };
}

/** Share of one core used between two samples: own and descendants. */
export function cpuShare(from: CpuSample, to: CpuSample): { own: number; descendants: number; runQueue: number } {
  const seconds = (to.at - from.at) / 1000;
  return {
    own: (to.own - from.own) / seconds,
    descendants: (to.descendants - from.descendants) / seconds,
    runQueue: (to.sched.wait - from.sched.wait) / seconds,
  };
}

/**
 * Median time of one 8 KiB write + fdatasync in `dir`: what a COMMIT waits
 * for its WAL flush on this disk, give or take.
 */
export function fdatasyncMs(dir: string, rounds = 100): number {
  const file = join(dir, 'fsync-probe.bin');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(8192, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      writeSync(fd, block, 0, block.length, 0);
      fdatasyncSync(fd);
      times.push(performance.now() - start);
    }
  } finally {
    closeSync(fd);
    unlinkSync(file);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}
