// Prepares the daemon the desktop app runs itself: on first start a demo configuration that works (embedded
// SQLite, a files monitor and a folder monitor on a landing area) is written into the user data directory; the
// loopback port is chosen once and kept, and a fresh operator token is made for every app start (it never leaves
// main and the child's environment).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { demoConfig, writeConfigAtomically } from '../engine/config/load.js';
import type { DaemonEntry } from '../../shared/console-backend.js';
import { LOCAL_DAEMON_ID } from './console-service.js';
import { DesktopError, describeError } from './errors.js';
import type { SettingsStore } from './settings.js';

export interface LocalDaemonPlan {
  configPath: string;
  dataDirectory: string;
  port: number;
  token: string;
  entry: DaemonEntry;
  /** Environment for the child: the token travels here, not on the command line (visible in `ps`). */
  env: Record<string, string>;
  /** Arguments after the daemon entry script. */
  args: string[];
}

/** Name of the environment variable the daemon's `serve` command reads the operator token from. */
export const TOKEN_ENV = 'INTEGRATION_DAEMON_TOKEN';
/** The daemon entry forked by utilityProcess (daemon-entry.ts) reads its command line from here. */
export const ARGS_ENV = 'INTEGRATION_DAEMON_ARGS';

const configHead = z.looseObject({ serverName: z.string().min(1), localServerUserId: z.string().min(1).optional() });

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function prepareLocalDaemon(userDataDir: string, settings: SettingsStore): Promise<LocalDaemonPlan> {
  const dataDirectory = join(userDataDir, 'daemon');
  const configPath = join(dataDirectory, 'integration-daemon.json');
  mkdirSync(dataDirectory, { recursive: true });
  if (!existsSync(configPath)) {
    const landingArea = join(dataDirectory, 'landing-area');
    mkdirSync(landingArea, { recursive: true });
    const readme = join(landingArea, 'README.txt');
    if (!existsSync(readme)) {
      writeFileSync(
        readme,
        'Files dropped here are catalogued by the demo connectors LandingAreaFilesMonitor and LandingAreaFolderMonitor.\n',
      );
    }
    await writeConfigAtomically(configPath, demoConfig({ dataDirectory, landingArea }));
  }
  let head: z.infer<typeof configHead>;
  try {
    head = configHead.parse(JSON.parse(readFileSync(configPath, 'utf8')));
  } catch (error) {
    throw new DesktopError(
      'INTEGRATION-DAEMON-DESKTOP-500-004',
      `The local daemon's configuration ${configPath} cannot be read: ${describeError(error)}.`,
      'Correct the file (integration-daemon config validate shows every problem) or delete it to get the demo configuration back.',
    );
  }
  let { port } = settings.get('localDaemon');
  if (port === 0) {
    port = await freePort();
    settings.set('localDaemon', { ...settings.get('localDaemon'), port });
  }
  const token = randomBytes(24).toString('base64url');
  return {
    configPath,
    dataDirectory,
    port,
    token,
    entry: {
      id: LOCAL_DAEMON_ID,
      label: 'This computer',
      url: `http://127.0.0.1:${port}`,
      serverName: head.serverName,
      userId: head.localServerUserId ?? head.serverName,
      local: true,
    },
    env: { [TOKEN_ENV]: token },
    args: ['serve', '--config', configPath, '--host', '127.0.0.1', '--port', String(port)],
  };
}
