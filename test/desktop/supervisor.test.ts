// Supervision with real child processes: a daemon that crashes is restarted with growing, capped delays, and
// its exit code and last stderr lines are kept for the console.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeProcessLauncher } from '../../electron/desktop/node-launcher.js';
import {
  DaemonSupervisor,
  describeCrash,
  restartDelayMs,
  DEFAULT_SUPERVISOR_TIMING,
  type SupervisorState,
} from '../../electron/desktop/supervisor.js';

let dir: string;
let supervisor: DaemonSupervisor | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'desktop-supervisor-'));
});
afterEach(async () => {
  await supervisor?.stop();
  supervisor = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A "daemon" that fails its first `failures` starts (stderr + exit 3), then stays up; each start is logged. */
function flakyDaemon(failures: number) {
  const log = join(dir, 'starts.log');
  const script = `
    const fs = require('node:fs');
    fs.appendFileSync(${JSON.stringify(log)}, Date.now() + '\\n');
    const n = fs.readFileSync(${JSON.stringify(log)}, 'utf8').trim().split('\\n').length;
    if (n <= ${failures}) { console.error('starting…'); console.error('INTEGRATION-DAEMON-CLI-500-001 port 9443 is in use (start ' + n + ')'); process.exit(3); }
    console.log('ready'); setInterval(() => {}, 1000);`;
  return {
    launcher: new NodeProcessLauncher(() => ({ command: process.execPath, args: ['-e', script] })),
    starts: () => readFileSync(log, 'utf8').trim().split('\n').map(Number),
  };
}

function waitFor(s: DaemonSupervisor, predicate: (state: SupervisorState) => boolean, timeoutMs = 10_000): Promise<SupervisorState> {
  return new Promise((resolve, reject) => {
    if (predicate(s.state)) return resolve(s.state);
    const timer = setTimeout(() => reject(new Error(`timed out in phase ${s.state.phase}`)), timeoutMs);
    const off = s.onChange((state) => {
      if (predicate(state)) {
        clearTimeout(timer);
        off();
        resolve(state);
      }
    });
  });
}

function ready(s: DaemonSupervisor): Promise<void> {
  return new Promise((resolve) => {
    const off = s.onStdout((text) => {
      if (text.includes('ready')) {
        off();
        resolve();
      }
    });
  });
}

describe('local daemon supervision', () => {
  it('computes capped exponential restart delays', () => {
    const t = { ...DEFAULT_SUPERVISOR_TIMING, initialDelayMs: 1_000, maxDelayMs: 10_000, multiplier: 2 };
    expect([1, 2, 3, 4, 5, 6].map((a) => restartDelayMs(t, a))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('restarts a crashing daemon with growing delays, reports why it died, and runs once it stays up', async () => {
    const { launcher, starts } = flakyDaemon(3);
    supervisor = new DaemonSupervisor(launcher, { initialDelayMs: 200, multiplier: 2, maxDelayMs: 500 });
    const seen: SupervisorState[] = [];
    supervisor.onChange((s) => seen.push(s));
    const up = ready(supervisor);
    supervisor.start();
    const first = await waitFor(supervisor, (s) => s.phase === 'waiting');
    expect(first).toMatchObject({ phase: 'waiting', exitCode: 3, signal: null, attempt: 1, reason: 'exited with code 3' });
    if (first.phase !== 'waiting') return;
    expect(first.stderrTail).toEqual(['starting…', 'INTEGRATION-DAEMON-CLI-500-001 port 9443 is in use (start 1)']);
    expect(describeCrash(first)).toBe('The local daemon exited with code 3: INTEGRATION-DAEMON-CLI-500-001 port 9443 is in use (start 1)');
    await up;
    const running = supervisor.state;
    expect(running).toMatchObject({ phase: 'running', restarts: 3 });
    expect(running.phase === 'running' && running.pid).toBeGreaterThan(0);
    const waits = seen.filter((s) => s.phase === 'waiting');
    expect(waits.map((s) => s.phase === 'waiting' && s.attempt)).toEqual([1, 2, 3]);
    const t = starts();
    expect(t).toHaveLength(4);
    const gaps = [t[1]! - t[0]!, t[2]! - t[1]!, t[3]! - t[2]!];
    // 200, 400, 500 (capped) plus process start-up time.
    expect(gaps[0]).toBeGreaterThanOrEqual(200);
    expect(gaps[1]).toBeGreaterThanOrEqual(400);
    expect(gaps[2]).toBeGreaterThanOrEqual(500);
    expect(gaps[2]! - 500).toBeLessThan(3_000);
  });

  it('reports a kill by signal and restarts; stop() ends the process for good', async () => {
    const { launcher, starts } = flakyDaemon(0);
    supervisor = new DaemonSupervisor(launcher, { initialDelayMs: 100 });
    let up = ready(supervisor);
    supervisor.start();
    await up;
    const running = supervisor.state;
    if (running.phase !== 'running' || running.pid === undefined) throw new Error('not running');
    process.kill(running.pid, 'SIGKILL');
    up = ready(supervisor);
    expect(await waitFor(supervisor, (s) => s.phase === 'waiting')).toMatchObject({ reason: 'was killed by SIGKILL', signal: 'SIGKILL' });
    await up;
    await supervisor.stop();
    expect(supervisor.state).toEqual({ phase: 'stopped' });
    await new Promise((r) => setTimeout(r, 300));
    expect(starts()).toHaveLength(2);
  });

  it('treats a command that cannot be started as a crash, not an exception', async () => {
    supervisor = new DaemonSupervisor(new NodeProcessLauncher(() => ({ command: join(dir, 'no-such-daemon'), args: [] })), {
      initialDelayMs: 5_000,
    });
    supervisor.start();
    const state = await waitFor(supervisor, (s) => s.phase === 'waiting');
    expect(state.phase === 'waiting' && state.stderrTail.join(' ')).toMatch(/ENOENT/);
  });

  it('restartNow skips the wait', async () => {
    const { launcher } = flakyDaemon(1);
    supervisor = new DaemonSupervisor(launcher, { initialDelayMs: 60_000 });
    supervisor.start();
    await waitFor(supervisor, (s) => s.phase === 'waiting');
    supervisor.restartNow();
    await waitFor(supervisor, (s) => s.phase === 'running', 3_000);
  });
});
