// Hostile IPC messages from the console window (the renderer is untrusted): for every channel, generated argument
// lists and senders. validateInvoke never throws; a refusal carries a message id, the message and the fix; what it
// lets through has exactly the declared shape. FUZZ_SEED=<n> reproduces a failing run.
import { describe, expect, it } from 'vitest';
import { APP_URL, validateInvoke, type IpcSender } from '../../electron/desktop/ipc-validation.js';
import { INVOKE_CHANNELS } from '../../shared/ipc/channels.js';
import { invokeArgSchemas } from '../../shared/ipc/schemas.js';
import { fuzzSeed, nastyString, randomJson, seededRandom, type Random } from './generate.js';

const SEED = fuzzSeed(9_001);
const CASES = 1_500;
const WINDOW = 7;
const trusted = new Set([WINDOW]);

function sender(random: Random): IpcSender {
  if (random.chance(0.85)) return { webContentsId: WINDOW, frameUrl: APP_URL, isMainFrame: true };
  return {
    webContentsId: random.pick([WINDOW, 8, -1]),
    frameUrl: random.pick([
      undefined,
      APP_URL,
      'https://evil.example/',
      'app://console.evil/index.html',
      'app://user:pw@console/',
      'file:///index.html',
      nastyString(random),
    ]),
    isMainFrame: random.chance(0.5),
  };
}

/** Near-valid values for the fields the channels take, and wrong ones. */
function field(random: Random): unknown {
  return random.pick<() => unknown>([
    () => randomJson(random),
    () => nastyString(random),
    () =>
      random.pick([
        'https://daemon.example.com',
        'http://127.0.0.1:9443',
        'http://daemon.example.com',
        'javascript:alert(1)',
        'https://u:p@h',
      ]),
    () => random.pick(['restart', 'refresh', 'retryNow', 'connector', 'service', 'daemon', 'Error', 'Nope']),
    () => random.pick([1, 0, -1, 10_001, 1.5, Number.NaN, true]),
  ])();
}

function object(random: Random): Record<string, unknown> {
  const keys = [
    'label',
    'url',
    'serverName',
    'userId',
    'token',
    'kind',
    'scope',
    'urlMarker',
    'connectorName',
    'limit',
    'severity',
    'since',
    'connector',
    nastyString(random),
  ];
  const result: Record<string, unknown> = {};
  const count = random.int(0, 6);
  for (let i = 0; i < count; i++) result[random.pick(keys)] = field(random);
  return result;
}

function args(random: Random): unknown[] {
  const length = random.int(0, 4);
  return Array.from({ length }, () => (random.chance(0.5) ? object(random) : field(random)));
}

describe(`hostile IPC messages (seed ${SEED})`, () => {
  it(`${CASES} generated messages: no throw, refusals with id and fix, accepted arguments have the declared shape`, () => {
    const random = seededRandom(SEED);
    const failures: string[] = [];
    let accepted = 0;
    for (let index = 0; index < CASES; index++) {
      const channel = random.chance(0.95) ? random.pick(INVOKE_CHANNELS) : nastyString(random);
      const from = sender(random);
      const list = args(random);
      const where = () => `seed ${SEED} case ${index} ${channel} ${JSON.stringify(list).slice(0, 200)}`;
      let result: ReturnType<typeof validateInvoke>;
      try {
        result = validateInvoke(channel, from, trusted, list);
      } catch (error) {
        failures.push(`threw ${String(error)}: ${where()}`);
        continue;
      }
      if (!result.ok) {
        const { messageId, message, userAction } = result.error;
        if (!/^INTEGRATION-DAEMON-DESKTOP-\d{3}-\d{3}$/.test(messageId) || message === '' || userAction === '')
          failures.push(`refusal without id or fix: ${where()}`);
        continue;
      }
      accepted++;
      if (from.webContentsId !== WINDOW || !from.isMainFrame || from.frameUrl !== APP_URL)
        failures.push(`accepted a foreign sender: ${where()}`);
      if (!invokeArgSchemas[result.channel].safeParse(result.args).success)
        failures.push(`accepted arguments of the wrong shape: ${where()}`);
    }
    expect(failures.slice(0, 5), `${failures.length} failures`).toEqual([]);
    // Channels without arguments (daemons:list, console:ready) are accepted whenever they come with none.
    expect(accepted).toBeGreaterThan(0);
  });
});
