/**
 * Wall time, CPU time (user + system) and peak RSS of a whole child process, taken the
 * same way for every client of `--compare` (Node or Python): a small Python wrapper runs
 * the command and reads getrusage(RUSAGE_CHILDREN) when it ends. Node's child_process
 * gives no resource usage of a child.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ProcessUsage {
  wallMs: number;
  cpuMs: number;
  maxRssBytes: number;
  /** Exit code; null when it was killed at the time limit. */
  code: number | null;
  timedOut: boolean;
}

const WRAPPER = `
import json, resource, subprocess, sys, time
out, limit, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
started = time.monotonic()
timed_out = False
proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
try:
    code = proc.wait(timeout=limit)
except subprocess.TimeoutExpired:
    proc.kill()
    proc.wait()
    code, timed_out = None, True
wall = time.monotonic() - started
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    json.dump({"wallMs": wall * 1000, "cpuMs": (ru.ru_utime + ru.ru_stime) * 1000,
               "maxRssBytes": ru.ru_maxrss * 1024, "code": code, "timedOut": timed_out}, f)
`;

export async function measureProcess(
  command: string,
  args: readonly string[],
  options: {
    env?: Record<string, string>;
    timeoutMs?: number;
    cwd?: string;
    /** Where the command's output goes (appended); stderr when not given. */
    logFile?: string;
  } = {},
): Promise<ProcessUsage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-sync-bench-usage-'));
  const out = path.join(dir, 'usage.json');
  try {
    const limit = String((options.timeoutMs ?? 3_600_000) / 1000);
    const log = options.logFile === undefined ? 2 : fs.openSync(options.logFile, 'a');
    const child = spawn('python3', ['-c', WRAPPER, out, limit, command, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      // The report goes to stdout: a client's output never does.
      stdio: ['ignore', log, log],
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    }).finally(() => {
      if (typeof log === 'number' && log !== 2) fs.closeSync(log);
    });
    if (code !== 0) throw new Error(`the measuring wrapper of ${command} exited with ${code}`);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as ProcessUsage;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
