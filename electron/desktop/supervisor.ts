// Keeps the local daemon process alive: starts it, restarts it with capped exponential backoff when it dies, and
// remembers why it died (exit code or signal, last stderr lines) so the console can show the daemon as
// disconnected with a countdown and the real reason instead of a bare "connection refused".
// The process itself comes from a ProcessLauncher: Electron's utilityProcess in the app, child_process in tests.
// The restart delays come from shared/logic/backoff.ts, the formula behind every automatic retry.
import { retryDelayMs, type BackoffPolicy } from '../../shared/logic/backoff.js';
import { systemClock, type Clock } from '../../shared/logic/clock.js';
import { Emitter, type Disposable, type Listener } from '../../shared/logic/disposable.js';

export interface ChildHandle {
  readonly pid: number | undefined;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  onStdout(listener: (text: string) => void): void;
  onStderr(listener: (text: string) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export interface ProcessLauncher {
  /** Starts the daemon; a launch that throws counts as a crash. */
  launch(): ChildHandle;
}

export interface SupervisorTiming {
  /** Wait before the first restart after a crash (at least 1 s, as for every retry). */
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** Proportional jitter 0..1, so a crash loop does not restart in lock-step with anything else. */
  jitter: number;
  /** A process that has run this long is considered healthy: the next crash starts the backoff again. */
  stableAfterMs: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  stopGraceMs: number;
  stderrLines: number;
}

export const DEFAULT_SUPERVISOR_TIMING: SupervisorTiming = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  multiplier: 2,
  jitter: 0.1,
  stableAfterMs: 30_000,
  stopGraceMs: 5_000,
  stderrLines: 20,
};

export type SupervisorState =
  | { phase: 'stopped' }
  | { phase: 'running'; pid: number | undefined; startedAt: number; restarts: number }
  | {
      phase: 'waiting';
      /** Why the last process ended, in one line: "exited with code 1", "was killed by SIGKILL", "could not start: …". */
      reason: string;
      exitCode: number | null;
      signal: string | null;
      stderrTail: string[];
      /** Epoch ms of the next start. */
      nextRestartAt: number;
      /** Restarts since the process was last stable. */
      attempt: number;
    };

/** The supervisor's timing as the shared backoff policy. */
export function restartPolicy(timing: SupervisorTiming): BackoffPolicy {
  return { initialMs: timing.initialDelayMs, multiplier: timing.multiplier, maxMs: timing.maxDelayMs, jitter: timing.jitter };
}

export class DaemonSupervisor {
  private current: SupervisorState = { phase: 'stopped' };
  private child: ChildHandle | undefined;
  private restartTimer: Disposable | undefined;
  private stderrTail: string[] = [];
  private partialLine = '';
  private attempt = 0;
  private restarts = 0;
  private stopping = false;
  private readonly changes = new Emitter<SupervisorState>();
  private readonly stdout = new Emitter<string>();
  private readonly timing: SupervisorTiming;

  constructor(
    private readonly launcher: ProcessLauncher,
    timing: Partial<SupervisorTiming> = {},
    private readonly timers: Clock = systemClock,
    /** Values in [0, 1) for the restart jitter. */
    private readonly random: () => number = Math.random,
  ) {
    this.timing = { ...DEFAULT_SUPERVISOR_TIMING, ...timing };
  }

  get state(): SupervisorState {
    return this.current;
  }

  /** Every change of phase (started, crashed and waiting, stopped). */
  onChange(listener: Listener<SupervisorState>): Disposable {
    return this.changes.event(listener);
  }

  /** What the running process writes to stdout, in chunks as they come. */
  onStdout(listener: Listener<string>): Disposable {
    return this.stdout.event(listener);
  }

  private set(state: SupervisorState): void {
    this.current = state;
    this.changes.fire(state);
  }

  start(): void {
    this.stopping = false;
    if (this.child) return;
    this.restartTimer?.dispose();
    this.restartTimer = undefined;
    this.stderrTail = [];
    this.partialLine = '';
    let child: ChildHandle;
    try {
      child = this.launcher.launch();
    } catch (error) {
      this.crashed(null, null, `could not start: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.child = child;
    const startedAt = this.timers.now();
    child.onStderr((text) => this.collectStderr(text));
    child.onStdout((text) => this.stdout.fire(text));
    child.onExit((code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.flushPartialLine();
      if (this.stopping) {
        this.set({ phase: 'stopped' });
        return;
      }
      if (this.timers.now() - startedAt >= this.timing.stableAfterMs) this.attempt = 0;
      this.crashed(code, signal, signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`);
    });
    this.set({ phase: 'running', pid: child.pid, startedAt, restarts: this.restarts });
  }

  private collectStderr(text: string): void {
    const lines = (this.partialLine + text).split(/\r?\n/);
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) this.stderrTail.push(line);
    if (this.stderrTail.length > this.timing.stderrLines) this.stderrTail.splice(0, this.stderrTail.length - this.timing.stderrLines);
  }

  private flushPartialLine(): void {
    if (this.partialLine.trim()) this.collectStderr('\n');
  }

  private crashed(exitCode: number | null, signal: string | null, reason: string): void {
    this.attempt++;
    this.restarts++;
    const delay = retryDelayMs(restartPolicy(this.timing), this.attempt, this.random);
    const nextRestartAt = this.timers.now() + delay;
    this.restartTimer = this.timers.setTimeout(() => this.start(), delay);
    this.set({ phase: 'waiting', reason, exitCode, signal, stderrTail: [...this.stderrTail], nextRestartAt, attempt: this.attempt });
  }

  /** Skip the wait (the operator asked for it from the tray or the console). */
  restartNow(): void {
    if (this.current.phase === 'waiting') this.start();
  }

  /** Stops the process (SIGTERM, then SIGKILL after the grace period) and does not restart it. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.restartTimer?.dispose();
    this.restartTimer = undefined;
    const child = this.child;
    if (!child) {
      this.set({ phase: 'stopped' });
      return;
    }
    await new Promise<void>((resolve) => {
      const killTimer = this.timers.setTimeout(() => child.kill('SIGKILL'), this.timing.stopGraceMs);
      child.onExit(() => {
        killTimer?.dispose();
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** One line for the console and the notification: reason plus the last stderr line that says something. */
export function describeCrash(state: Extract<SupervisorState, { phase: 'waiting' }>): string {
  const last = state.stderrTail.at(-1);
  return last ? `The local daemon ${state.reason}: ${last}` : `The local daemon ${state.reason}`;
}
