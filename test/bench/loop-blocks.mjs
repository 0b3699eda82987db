// Loaded into a benchmarked daemon with `node --import`: notes every time its event loop came back late, which is
// how long something held it. A timer due every TICK_MS that runs `late` ms after it was due saw the loop blocked for
// about that long. At exit the blocks over NOTED_MS (wall time at their end, length) are written to the file named
// by BENCH_LOOP_BLOCKS, for the bench to keep those of the period it measures.
import { writeFileSync } from 'node:fs';

const TICK_MS = 5;
const NOTED_MS = 10;
const file = process.env.BENCH_LOOP_BLOCKS;
const blocks = [];
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const late = now - last - TICK_MS;
  if (late > NOTED_MS) blocks.push([Date.now(), Math.round(late)]);
  last = now;
}, TICK_MS).unref();
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(blocks)));
