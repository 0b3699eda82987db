// Supervision with real child processes and the manual clock: a daemon that crashes is restarted after the
// shared backoff's growing, capped delays (asserted exactly, without waiting them out), and its exit code and
// last stderr lines are kept for the console.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeProcessLauncher } from '../../electron/desktop/node-launcher.js';
import {
  DaemonSupervisor,
  DEFAULT_SUPERVISOR_TIMING,
  describeCrash,
  restartPolicy,
  type SupervisorState,
} from '../../electron/desktop/supervisor.js';
import { retryDelayMs } from '../../shared/logic/backoff.js';
import { ManualClock } from '../support/manual-clock.js';

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
    const subscription = s.onChange((state) => {
      if (predicate(state)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(state);
      }
    });
  });
}

function ready(s: DaemonSupervisor): Promise<void> {
  return new Promise((resolve) => {
    const subscription = s.onStdout((text) => {
      if (text.includes('ready')) {
        subscription.dispose();
        resolve();
      }
    });
  });
}

/** How long the supervisor waits before its next start, on its own clock. */
function waitAhead(state: SupervisorState, clock: ManualClock): number {
  if (state.phase !== 'waiting') throw new Error(`not waiting but ${state.phase}`);
  return state.nextRestartAt - clock.now();
}

describe('local daemon supervision', () => {
  it('takes its restart delays from the shared backoff: exponential, capped, at least 1 s, jittered', () => {
    const timing = { ...DEFAULT_SUPERVISOR_TIMING, initialDelayMs: 1_000, maxDelayMs: 10_000, multiplier: 2, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(restartPolicy(timing), a, Math.random))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
    expect(retryDelayMs(restartPolicy({ ...timing, initialDelayMs: 200 }), 1, Math.random)).toBe(1_000);
    const jittered = restartPolicy({ ...timing, jitter: 0.1 });
    expect([() => 0, () => 0.999_999].map((random) => retryDelayMs(jittered, 3, random))).toEqual([3_600, 4_400]);
  });

  it('restarts a crashing daemon after growing delays, reports why it died, and runs once it stays up', async () => {
    const { launcher, starts } = flakyDaemon(3);
    const clock = new ManualClock();
    supervisor = new DaemonSupervisor(launcher, { initialDelayMs: 1_000, multiplier: 2, maxDelayMs: 2_500, jitter: 0 }, clock);
    const seen: SupervisorState[] = [];
    supervisor.onChange((s) => seen.push(s));
    const up = ready(supervisor);
    supervisor.start();
    const first = await waitFor(supervisor, (s) => s.phase === 'waiting');
    expect(first).toMatchObject({ phase: 'waiting', exitCode: 3, signal: null, attempt: 1, reason: 'exited with code 3' });
    if (first.phase !== 'waiting') return;
    expect(first.stderrTail).toEqual(['starting…', 'INTEGRATION-DAEMON-CLI-500-001 port 9443 is in use (start 1)']);
    expect(describeCrash(first)).toBe('The local daemon exited with code 3: INTEGRATION-DAEMON-CLI-500-001 port 9443 is in use (start 1)');
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const waiting = await waitFor(supervisor, (s) => s.phase === 'waiting' && s.attempt === attempt);
      delays.push(waitAhead(waiting, clock));
      // Not a moment early.
      await clock.advance(delays.at(-1)! - 1);
      expect(starts()).toHaveLength(attempt);
      await clock.advance(1);
    }
    expect(delays).toEqual([1_000, 2_000, 2_500]);
    await up;
    const running = supervisor.state;
    expect(running).toMatchObject({ phase: 'running', restarts: 3 });
    expect(running.phase === 'running' && running.pid).toBeGreaterThan(0);
    expect(seen.filter((s) => s.phase === 'waiting').map((s) => s.phase === 'waiting' && s.attempt)).toEqual([1, 2, 3]);
    expect(starts()).toHaveLength(4);
  });

  it('reports a kill by signal and restarts; stop() ends the process for good', async () => {
    const { launcher, starts } = flakyDaemon(0);
    const clock = new ManualClock();
    supervisor = new DaemonSupervisor(launcher, { jitter: 0 }, clock);
    let up = ready(supervisor);
    supervisor.start();
    await up;
    const running = supervisor.state;
    if (running.phase !== 'running' || running.pid === undefined) throw new Error('not running');
    process.kill(running.pid, 'SIGKILL');
    up = ready(supervisor);
    const killed = await waitFor(supervisor, (s) => s.phase === 'waiting');
    expect(killed).toMatchObject({ reason: 'was killed by SIGKILL', signal: 'SIGKILL' });
    expect(waitAhead(killed, clock)).toBe(DEFAULT_SUPERVISOR_TIMING.initialDelayMs);
    await clock.advance(DEFAULT_SUPERVISOR_TIMING.initialDelayMs);
    await up;
    await supervisor.stop();
    expect(supervisor.state).toEqual({ phase: 'stopped' });
    expect(clock.pending()).toEqual([]);
    await clock.advance(600_000);
    expect(starts()).toHaveLength(2);
  });

  it('treats a command that cannot be started as a crash, not an exception', async () => {
    const clock = new ManualClock();
    supervisor = new DaemonSupervisor(
      new NodeProcessLauncher(() => ({ command: join(dir, 'no-such-daemon'), args: [] })),
      { initialDelayMs: 5_000, jitter: 0 },
      clock,
    );
    supervisor.start();
    const state = await waitFor(supervisor, (s) => s.phase === 'waiting');
    expect(state.phase === 'waiting' && state.stderrTail.join(' ')).toMatch(/ENOENT/);
    expect(clock.pending()).toEqual([clock.now() + 5_000]);
  });

  it('restartNow skips the wait', async () => {
    const { launcher } = flakyDaemon(1);
    const clock = new ManualClock();
    supervisor = new DaemonSupervisor(launcher, { initialDelayMs: 60_000 }, clock);
    supervisor.start();
    await waitFor(supervisor, (s) => s.phase === 'waiting');
    supervisor.restartNow();
    await waitFor(supervisor, (s) => s.phase === 'running', 3_000);
    // The restart timer it skipped is gone with it.
    expect(clock.pending()).toEqual([]);
  });
});
