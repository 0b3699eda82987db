// Loaded into a benchmarked daemon with `node --import`: notes every time its event loop came back late, which is
// how long something held it. A timer due every TICK_MS that runs `late` ms after it was due saw the loop blocked for
// about that long. At exit the blocks over NOTED_MS (wall time at their end, length, and of that length the main
// thread's time on a core and waiting for one) are written to the file named by BENCH_LOOP_BLOCKS, for the bench to
// keep those of the period it measures. On a machine shared by several benchmarks a block is partly the daemon's
// own work and partly time its thread was ready but had no core; the kernel's schedstat tells the two apart.
import { readFileSync, writeFileSync } from 'node:fs';

const TICK_MS = 5;
const NOTED_MS = 10;
const file = process.env.BENCH_LOOP_BLOCKS;
/** The main thread's scheduler times (Linux): nanoseconds on a core, nanoseconds waiting for one. */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const schedTimes = () => {
  try {
    const [onCore, waiting] = readFileSync(SCHEDSTAT, 'utf8').split(' ').map(Number);
    return { onCore: onCore ?? Number.NaN, waiting: waiting ?? Number.NaN };
  } catch {
    return { onCore: Number.NaN, waiting: Number.NaN };
  }
};
const blocks = [];
let last = performance.now();
let lastSched = schedTimes();
setInterval(() => {
  const now = performance.now();
  const sched = schedTimes();
  const late = now - last - TICK_MS;
  if (late > NOTED_MS) {
    const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
    blocks.push([Date.now(), Math.round(late), ms(sched.onCore - lastSched.onCore), ms(sched.waiting - lastSched.waiting)]);
  }
  last = now;
  lastSched = sched;
}, TICK_MS).unref();
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(blocks)));
