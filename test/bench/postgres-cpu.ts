// CPU seconds spent by a test PostgreSQL server (the postmaster and all its processes) and by this Node process, so a
// benchmark can say where a phase's time went: with both cores busy, wall time falls only when the sum falls.
import { readdirSync, readFileSync } from 'node:fs';
import { postmasterPid } from '../support/postgres.js';

/** Linux counts process CPU in clock ticks of 1/100 s (USER_HZ), whatever the kernel's own tick rate. */
const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces): state is field 3. */
interface Stat {
  ppid: number;
  /** utime + stime of the process itself, in ticks. */
  own: number;
  /** cutime + cstime: its children that have ended and been waited for, in ticks. */
  children: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); ppid is field 4, utime..cstime are fields 14..17.
    const at = (field: number): number => Number(fields[field - 3]);
    return { ppid: at(4), own: at(14) + at(15), children: at(16) + at(17) };
  } catch {
    // The process ended between listing /proc and reading it.
    return undefined;
  }
}

/** CPU seconds of the server whose data directory is given: the postmaster, its live processes and its ended ones. */
export function serverCpuSeconds(dataDirectory: string): number {
  const postmaster = postmasterPid(dataDirectory);
  const own = postmaster === undefined ? undefined : readStat(postmaster);
  if (postmaster === undefined || own === undefined)
    throw new Error(`BENCH-500-004 The PostgreSQL server in ${dataDirectory} is not running.`);
  let ticks = own.own + own.children;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat?.ppid === postmaster) ticks += stat.own;
  }
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds of this process, all its threads (the walk's worker included). */
export function nodeCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

export interface CpuSplit {
  node: number;
  server: number;
}

/** Starts counting; the returned function gives the CPU seconds of each side since then. */
export function cpuSince(dataDirectory: string): () => CpuSplit {
  const node = nodeCpuSeconds();
  const server = serverCpuSeconds(dataDirectory);
  return () => ({ node: nodeCpuSeconds() - node, server: serverCpuSeconds(dataDirectory) - server });
}
