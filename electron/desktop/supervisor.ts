// Keeps the local daemon process alive: starts it, restarts it with capped exponential backoff when it dies, and
// remembers why it died (exit code or signal, last stderr lines) so the console can show the daemon as
// disconnected with a countdown and the real reason instead of a bare "connection refused".
// The process itself comes from a ProcessLauncher: Electron's utilityProcess in the app, child_process in tests.
import { systemClock, type Clock } from '../../shared/logic/clock.js';
import type { Disposable } from '../../shared/logic/disposable.js';

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
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
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

export function restartDelayMs(timing: SupervisorTiming, attempt: number): number {
  return Math.min(timing.maxDelayMs, Math.round(timing.initialDelayMs * timing.multiplier ** Math.max(0, attempt - 1)));
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
  private readonly listeners = new Set<(state: SupervisorState) => void>();
  private readonly stdoutListeners = new Set<(text: string) => void>();
  private readonly timing: SupervisorTiming;

  constructor(
    private readonly launcher: ProcessLauncher,
    timing: Partial<SupervisorTiming> = {},
    private readonly timers: Clock = systemClock,
  ) {
    this.timing = { ...DEFAULT_SUPERVISOR_TIMING, ...timing };
  }

  get state(): SupervisorState {
    return this.current;
  }

  onChange(listener: (state: SupervisorState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStdout(listener: (text: string) => void): () => void {
    this.stdoutListeners.add(listener);
    return () => this.stdoutListeners.delete(listener);
  }

  private set(state: SupervisorState): void {
    this.current = state;
    for (const l of this.listeners) l(state);
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
    child.onStdout((text) => {
      for (const l of this.stdoutListeners) l(text);
    });
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
    const delay = restartDelayMs(this.timing, this.attempt);
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
