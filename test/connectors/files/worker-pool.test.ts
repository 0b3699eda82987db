// The worker pool behind the files connectors' directory walks: bounded threads, stuck jobs stopped, crashes
// contained, every job settled.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCAN_THREAD_NICENESS, startNicerThread, WorkerPool } from '../../../electron/connectors/files/worker-pool.js';

type Request = { kind: 'echo'; value: number } | { kind: 'hang' } | { kind: 'crash' };
type Message = { value: number; threadId: number; last: boolean };

const SOURCE = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ request }) => {
  if (request.kind === 'hang') for (;;) {}
  if (request.kind === 'crash') throw new Error('worker broke');
  parentPort.postMessage({ value: request.value, threadId, last: false });
  parentPort.postMessage({ value: request.value * 2, threadId, last: true });
});
`;

/** Answers with its own thread's niceness, read from the kernel's account of the thread (Linux). */
const NICENESS_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', () => {
  const stat = require('node:fs').readFileSync('/proc/thread-self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  parentPort.postMessage({ value: Number(fields[16]), threadId: 0, last: true });
});
`;

function job(pool: WorkerPool<Request, Message>, request: Request, signal = new AbortController().signal) {
  const messages: Message[] = [];
  const done = pool.run({ request, receive: (m) => messages.push(m), isLast: (m) => m.last, signal });
  return { messages, done };
}

describe('WorkerPool', () => {
  it('runs many jobs on at most its size of threads, each with its own messages in order', async () => {
    const pool = new WorkerPool<Request, Message>(SOURCE, 2);
    const jobs = Array.from({ length: 40 }, (_, i) => job(pool, { kind: 'echo', value: i }));
    await Promise.all(jobs.map((j) => j.done));
    jobs.forEach((j, i) => expect(j.messages.map((m) => m.value)).toEqual([i, i * 2]));
    expect(new Set(jobs.map((j) => j.messages[0]?.threadId)).size).toBeLessThanOrEqual(2);
  });

  it('stops a stuck job when it is aborted and goes on with the queue on a fresh thread', async () => {
    const pool = new WorkerPool<Request, Message>(SOURCE, 1);
    const controller = new AbortController();
    const stuck = job(pool, { kind: 'hang' }, controller.signal);
    const next = job(pool, { kind: 'echo', value: 7 });
    setTimeout(() => controller.abort(new Error('scan stopped')), 100);
    await expect(stuck.done).rejects.toThrow('scan stopped');
    await next.done;
    expect(next.messages.map((m) => m.value)).toEqual([7, 14]);
  });

  it('drops a queued job that is aborted before it starts', async () => {
    const pool = new WorkerPool<Request, Message>(SOURCE, 1);
    const first = job(pool, { kind: 'echo', value: 1 });
    const controller = new AbortController();
    const queued = job(pool, { kind: 'echo', value: 2 }, controller.signal);
    controller.abort(new Error('not needed'));
    await expect(queued.done).rejects.toThrow('not needed');
    await first.done;
    expect(queued.messages).toEqual([]);
  });

  it('rejects the job of a thread that crashes, and later jobs still run', async () => {
    const pool = new WorkerPool<Request, Message>(SOURCE, 1);
    await expect(job(pool, { kind: 'crash' }).done).rejects.toThrow('worker broke');
    const after = job(pool, { kind: 'echo', value: 3 });
    await after.done;
    expect(after.messages.map((m) => m.value)).toEqual([3, 6]);
  });

  // Only Linux gives each thread a niceness of its own (set through /proc/thread-self); elsewhere the pool leaves
  // its threads' priority alone, so there is nothing to check.
  it.skipIf(process.platform !== 'linux')('runs its threads at a lower priority than the loop thread, which keeps its own', async () => {
    const pool = new WorkerPool<Request, Message>(NICENESS_SOURCE, 1);
    const asked = job(pool, { kind: 'echo', value: 0 });
    await asked.done;
    const own = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
    const ownNiceness = Number(own.slice(own.lastIndexOf(')') + 2).split(' ')[16]);
    expect(asked.messages.map((m) => m.value)).toEqual([Math.min(19, ownNiceness + SCAN_THREAD_NICENESS)]);
  });

  // Booting Node on the new thread takes milliseconds before its first instruction, so a niceness seen at once was
  // given from outside: the thread did not boot at the daemon's priority. Linux only, as above: elsewhere a thread
  // has no niceness of its own to give.
  it.skipIf(process.platform !== 'linux')('starts a thread that is nicer from its start, before its own code runs', async () => {
    const before = new Set(readdirSync(`/proc/${process.pid}/task`));
    const worker = startNicerThread('setTimeout(() => undefined, 1000);', 17);
    const started = readdirSync(`/proc/${process.pid}/task`).filter((id) => !before.has(id));
    const niceness = started.map((id) => {
      const stat = readFileSync(`/proc/${process.pid}/task/${id}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });
    await worker.terminate();
    expect(niceness).toEqual([17]);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const pool = new WorkerPool<Request, Message>(SOURCE, 1);
    await expect(job(pool, { kind: 'echo', value: 1 }, AbortSignal.abort(new Error('too late'))).done).rejects.toThrow('too late');
  });
});
