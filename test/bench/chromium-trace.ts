// Reads a Chromium performance trace (Playwright's browser.startTracing, the same data as DevTools' Performance
// panel) for the console bench: the page's main-thread tasks and, for the longest ones, where their time went
// (script, style, layout, paint, garbage collection), so a long task is explained rather than just counted.
import { z } from 'zod';

/** The trace categories that hold the renderer's tasks and what happens inside them. */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'];

const TraceEvent = z.object({
  name: z.string(),
  ph: z.string(),
  pid: z.number(),
  tid: z.number(),
  ts: z.number().optional(),
  dur: z.number().optional(),
  /** Thread time: how long the thread actually ran, without the time the system gave its core to others. */
  tdur: z.number().optional(),
  args: z.record(z.string(), z.unknown()).optional(),
});
type TraceEvent = z.infer<typeof TraceEvent>;
const Trace = z.object({ traceEvents: z.array(z.unknown()) });

/** What a task's time is spent on; events nest, so a forced layout inside a script call counts in both. */
const WORK: Record<string, string> = {
  FunctionCall: 'script',
  EvaluateScript: 'script',
  // The console's own module graph, evaluated as the page loads.
  'v8.evaluateModule': 'script',
  TimerFire: 'script',
  EventDispatch: 'script',
  FireAnimationFrame: 'script',
  RunMicrotasks: 'script',
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  PrePaint: 'paint',
  Paint: 'paint',
  Layerize: 'paint',
  MinorGC: 'gc',
  MajorGC: 'gc',
  'V8.GC_SCAVENGER': 'gc',
  'V8.GC_MARK_COMPACTOR': 'gc',
  ParseHTML: 'parse',
};

export interface TaskProfile {
  durationMs: number;
  /** The main thread's own CPU time in the task; the rest of durationMs it waited for a core. */
  cpuMs: number | undefined;
  /** Milliseconds per kind of work inside the task (inclusive). */
  work: Record<string, number>;
}

export interface TraceSummary {
  tasks: number;
  over16ms: number;
  over50ms: number;
  /** The most CPU time the main thread spent in one task (undefined when the trace has no thread times). */
  longestCpuMs: number | undefined;
  longest: TaskProfile[];
  /**
   * The tasks in which the main thread itself ran longest: on a machine busy with other work the longest tasks are
   * mostly waiting for a core, and these are the console's own.
   */
  mostCpu: TaskProfile[];
  /** Milliseconds per kind of work over the whole trace. */
  total: Record<string, number>;
}

function mainThreadEvents(events: TraceEvent[]): TraceEvent[] {
  const main = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.['name'] === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  return events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`) && e.ts !== undefined && e.dur !== undefined);
}

function add(into: Record<string, number>, kind: string, ms: number): void {
  into[kind] = (into[kind] ?? 0) + ms;
}

/** The main-thread tasks of a trace, the `top` longest with their breakdown, and totals per kind of work. */
export function summarizeTrace(buffer: Buffer, top = 3): TraceSummary {
  const events = mainThreadEvents(
    Trace.parse(JSON.parse(buffer.toString('utf8')))
      .traceEvents.map((e) => TraceEvent.safeParse(e))
      .flatMap((r) => (r.success ? [r.data] : [])),
  );
  // Chromium names its top-level task RunTask; older builds only ThreadControllerImpl::RunTask (never both, or
  // every task would count twice).
  const runTask = events.some((e) => e.name === 'RunTask') ? 'RunTask' : 'ThreadControllerImpl::RunTask';
  const tasks = events.filter((e) => e.name === runTask);
  // Events of one kind nest (a Paint inside a Paint, a FunctionCall inside an EventDispatch): only the outermost
  // of each kind is counted, so no time counts twice within a kind.
  const outermost = outermostPerKind(events);
  const total: Record<string, number> = {};
  for (const { kind, e } of outermost) add(total, kind, (e.dur ?? 0) / 1000);
  const profile = (task: TraceEvent): TaskProfile => {
    const start = task.ts ?? 0;
    const end = start + (task.dur ?? 0);
    const work: Record<string, number> = {};
    for (const { kind, e } of outermost) if ((e.ts ?? 0) >= start && (e.ts ?? 0) < end) add(work, kind, (e.dur ?? 0) / 1000);
    return { durationMs: (task.dur ?? 0) / 1000, cpuMs: task.tdur === undefined ? undefined : task.tdur / 1000, work };
  };
  const longest = [...tasks]
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, top)
    .map(profile);
  const mostCpu = tasks.some((t) => t.tdur !== undefined)
    ? [...tasks]
        .sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0))
        .slice(0, top)
        .map(profile)
    : [];
  const ms = (e: TraceEvent) => (e.dur ?? 0) / 1000;
  return {
    tasks: tasks.length,
    over16ms: tasks.filter((t) => ms(t) > 16).length,
    over50ms: tasks.filter((t) => ms(t) > 50).length,
    longestCpuMs: tasks.some((t) => t.tdur !== undefined) ? Math.max(...tasks.map((t) => (t.tdur ?? 0) / 1000)) : undefined,
    longest,
    mostCpu,
    total,
  };
}

function outermostPerKind(events: TraceEvent[]): { kind: string; e: TraceEvent }[] {
  const reachedUntil: Record<string, number> = {};
  const out: { kind: string; e: TraceEvent }[] = [];
  for (const e of [...events].sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0))) {
    const kind = WORK[e.name];
    if (!kind) continue;
    const start = e.ts ?? 0;
    if (start < (reachedUntil[kind] ?? -1)) continue;
    reachedUntil[kind] = start + (e.dur ?? 0);
    out.push({ kind, e });
  }
  return out;
}

/** One line per figure: "script 12.3 ms, layout 4.1 ms …", largest first. */
export function formatWork(work: Record<string, number>): string {
  return (
    Object.entries(work)
      .sort(([, a], [, b]) => b - a)
      .map(([kind, ms]) => `${kind} ${ms.toFixed(1)} ms`)
      .join(', ') || 'nothing recorded'
  );
}
