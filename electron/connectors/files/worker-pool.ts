// A small pool of worker threads shared by every files connector in the process. A thread per walk cost about
// 3 MB and a few milliseconds of start-up each, which at a thousand connectors starting together meant a thousand
// threads and gigabytes; the pool keeps as many threads as the machine has cores (at most four), queues the rest,
// and stops a thread that is stuck (a walk on a dead network mount) by terminating it and starting a fresh one.
import { readdirSync } from 'node:fs';
import { availableParallelism, getPriority, setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';

/** A worker's messages for one job; the job ends with the message for which `isLast` is true. */
export interface PoolJob<Request, Message> {
  request: Request;
  receive(message: Message): void;
  isLast(message: Message): boolean;
  signal: AbortSignal;
}

interface Queued<Request, Message> extends PoolJob<Request, Message> {
  resolve(): void;
  reject(error: unknown): void;
}

interface Slot<Request, Message> {
  worker: Worker;
  job: Queued<Request, Message> | undefined;
  /** Idle threads end after a while, so a daemon that is not scanning keeps none. */
  idleTimer: NodeJS.Timeout | undefined;
}

const IDLE_MS = 30_000;
/**
 * The pool's threads run this much nicer than the daemon (Linux; niceness goes up to 19, the lowest priority). On
 * two cores the event-loop thread, the scan threads and the thread pool's stat calls share the cores while connectors
 * start; at equal priority the loop thread, with a GET /health to answer, waited for a core behind walks nobody was
 * waiting for. Ten nicer, it gets about nine tenths of a core it shares with a scan thread, and the scans, which
 * have no deadline, take the rest. Where a thread's priority cannot be set the pool works as before.
 */
export const SCAN_THREAD_NICENESS = 10;
/**
 * The niceness of every pool thread: the starting thread's own, SCAN_THREAD_NICENESS higher. The main thread gives it
 * to a new thread the moment it exists, so the thread boots Node (tens of milliseconds of a core, at the moment connectors
 * start and the API first answers) already nicer; the thread sets it again first thing, for where the main thread
 * could not tell which thread was the new one. On Linux a niceness is a thread's own, set with its id; elsewhere the
 * look-ups fail and nothing changes.
 */
function scanThreadNiceness(): number {
  return Math.min(19, getPriority() + SCAN_THREAD_NICENESS);
}

/** The process's threads by the kernel's ids (Linux); none where /proc does not list them. */
function threadIds(): Set<string> {
  try {
    return new Set(readdirSync('/proc/self/task'));
  } catch {
    return new Set();
  }
}

/** Starts `source` on a thread that runs at `niceness` from its start; see scanThreadNiceness. */
export function startNicerThread(source: string, niceness: number): Worker {
  const before = threadIds();
  const inThread = `
try {
  const threadId = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (threadId > 0) require('node:os').setPriority(threadId, ${niceness});
} catch {}
`;
  // The constructor has started the thread when it returns. Only when exactly one thread is new is it known to be
  // the worker's (another thread may have started one meanwhile); otherwise it sets its niceness itself, later.
  const worker = new Worker(inThread + source, { eval: true });
  const started = [...threadIds()].filter((id) => !before.has(id));
  if (started.length === 1) {
    try {
      setPriority(Number(started[0]), niceness);
    } catch {
      // The thread has ended already, or may not be changed: it keeps trying itself.
    }
  }
  return worker;
}
/** Jobs handed out from the message handler in one turn of the loop for at most this long; see handOn. */
const HAND_ON_TURN_MS = 5;

export class WorkerPool<Request, Message> {
  private readonly slots = new Set<Slot<Request, Message>>();
  private readonly queue: Queued<Request, Message>[] = [];
  private dispatching: NodeJS.Immediate | undefined;
  /** When the first job ended in this turn of the loop; see handOn. */
  private turnBegan: number | undefined;

  /**
   * `source` is the worker's code (CommonJS text): it receives `{ request }` messages and answers with messages
   * for that request, in order.
   */
  constructor(
    private readonly source: string,
    private readonly size = Math.max(1, Math.min(4, availableParallelism())),
  ) {}

  run(job: PoolJob<Request, Message>): Promise<void> {
    if (job.signal.aborted) return Promise.reject(job.signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => this.abort(queued);
      const queued: Queued<Request, Message> = {
        ...job,
        resolve: () => {
          job.signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          job.signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      job.signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(queued);
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((s) => s.job === undefined);
      if (slot === undefined) {
        if (this.slots.size >= this.size) return;
        slot = this.startWorker();
      }
      const job = this.queue.shift() as Queued<Request, Message>;
      if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
      slot.job = job;
      // Only a thread with work keeps the process alive.
      slot.worker.ref();
      slot.worker.postMessage({ request: job.request });
    }
  }

  /**
   * Hands out the next job after one ended, from the message handler while this turn of the loop is short, else on
   * a later turn: a worker answers a small directory's walk at once, and a port's messages that arrive while its
   * handler runs are taken in the same task, so a thousand small walks handed on from there ran (with each
   * connector's work on their results) as one task that held the loop for hundreds of milliseconds.
   */
  private handOn(): void {
    const now = performance.now();
    if (this.turnBegan === undefined) {
      this.turnBegan = now;
      setImmediate(() => (this.turnBegan = undefined));
    }
    if (now - this.turnBegan < HAND_ON_TURN_MS) {
      this.dispatch();
      return;
    }
    this.dispatching ??= setImmediate(() => {
      this.dispatching = undefined;
      this.dispatch();
    });
  }

  private startWorker(): Slot<Request, Message> {
    const worker = startNicerThread(this.source, scanThreadNiceness());
    const slot: Slot<Request, Message> = { worker, job: undefined, idleTimer: undefined };
    this.slots.add(slot);
    worker.on('message', (message: Message) => {
      const job = slot.job;
      if (job === undefined) return;
      try {
        job.receive(message);
      } catch (error) {
        this.retire(slot);
        job.reject(error);
        return;
      }
      if (job.isLast(message)) {
        slot.job = undefined;
        this.idle(slot);
        job.resolve();
        this.handOn();
      }
    });
    worker.on('error', (error) => {
      const job = slot.job;
      this.retire(slot);
      job?.reject(error);
    });
    worker.on('exit', (code) => {
      const job = slot.job;
      this.retire(slot);
      job?.reject(new Error(`The directory scan stopped unexpectedly (worker exit code ${code})`));
    });
    return slot;
  }

  private idle(slot: Slot<Request, Message>): void {
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => this.retire(slot), IDLE_MS);
    slot.idleTimer.unref();
  }

  private abort(job: Queued<Request, Message>): void {
    const waiting = this.queue.indexOf(job);
    if (waiting >= 0) this.queue.splice(waiting, 1);
    for (const slot of this.slots) if (slot.job === job) this.retire(slot);
    job.reject(job.signal.reason);
    this.dispatch();
  }

  /** Ends a thread that is stuck, broken or idle; its job (if any) is settled by the caller. */
  private retire(slot: Slot<Request, Message>): void {
    if (!this.slots.delete(slot)) return;
    slot.job = undefined;
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    slot.worker.removeAllListeners('message');
    slot.worker.removeAllListeners('exit');
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
    this.dispatch();
  }
}
