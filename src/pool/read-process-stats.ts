import { readdirSync, readFileSync } from 'node:fs';

/**
 * Clock ticks per second of `/proc/<pid>/stat` CPU times (`USER_HZ`). Linux fixes it at 100 on every architecture
 * Node runs on; `getconf CLK_TCK` prints it.
 */
const TICKS_PER_SECOND = 100;
/** Page size for `/proc/<pid>/statm`; 4 KiB on x86-64 and the usual arm64 kernels. */
const PAGE_BYTES = 4096;

/** CPU and memory of a process tree, read from `/proc`. */
export type ProcessTreeStats = {
  /** User + system CPU milliseconds of every process in the tree since it started (10 ms resolution). */
  cpuMs: number;
  /** Resident memory of every process in the tree (shared pages are counted once per process). */
  rssBytes: number;
  /** Processes counted. */
  processCount: number;
};

/** User + system CPU ms from one `/proc/…/stat` line (fields 14 and 15). */
function cpuMsOfStat(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: split after its closing ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Child pids of every thread of `pid` (`/proc/<pid>/task/<tid>/children`: a child belongs to the thread that forked it). */
function childrenOf(pid: number | 'thread-self'): number[] {
  const files = pid === 'thread-self' ? ['/proc/thread-self/children'] : readdirSync(`/proc/${pid}/task`).map((tid) => `/proc/${pid}/task/${tid}/children`);
  const children: number[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // The thread exited between the listing and the read: it has no children to count.
      continue;
    }
    for (const part of text.split(' ')) if (part !== '') children.push(Number(part));
  }
  return children;
}

/**
 * CPU milliseconds the calling thread has used (`/proc/thread-self/stat`), or null where `/proc` is missing.
 * In a worker thread this is that thread alone: `process.cpuUsage()` would count the whole process.
 * Must be called synchronously on the thread to measure (the read happens on that thread).
 */
export function readThreadCpuMs(): number | null {
  try {
    return cpuMsOfStat(readFileSync('/proc/thread-self/stat', 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Sums CPU and resident memory over `rootPid` and all its descendants, walking `/proc/<pid>/task/<tid>/children`
 * (no full `/proc` scan: a few dozen small reads for a Chromium). Null when `/proc` is unreadable or the root exited.
 */
export function readProcessTree(rootPid: number): ProcessTreeStats | null {
  let cpuMs = 0;
  let rssBytes = 0;
  let processCount = 0;
  const pending = [rootPid];
  const seen = new Set<number>();
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const statm = readFileSync(`/proc/${pid}/statm`, 'utf8');
      cpuMs += cpuMsOfStat(stat);
      rssBytes += Number(statm.split(' ')[1]) * PAGE_BYTES;
      processCount++;
      pending.push(...childrenOf(pid));
    } catch {
      // Exited while we walked the tree (a renderer being replaced): it holds nothing any more.
      if (pid === rootPid) return null;
    }
  }
  return { cpuMs, rssBytes, processCount };
}

/**
 * CPU milliseconds so far of the calling thread's live child processes whose command is `comm` (e.g. the `ffmpeg` this
 * worker thread spawned), or null without `/proc`. A child that already exited is not counted.
 */
export function readChildrenCpuMs(comm: string): number | null {
  let children: number[];
  try {
    children = childrenOf('thread-self');
  } catch {
    return null;
  }
  let total = 0;
  for (const pid of children) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) continue;
      total += cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      // Exited between the listing and the read.
    }
  }
  return total;
}
