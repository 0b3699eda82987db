// The files monitors' scans on real directories, where the file system does what it does in production: a file
// landing in a new subdirectory between its listing and its watch, file names that are not valid UTF-8, paths longer
// than PATH_MAX, and a monitored mount point whose share is unmounted.
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFilesMonitorConnector, dataFileQualifiedName } from '../../../electron/connectors/files/data-files-monitor.js';
import type { ScanFileSystem } from '../../../electron/connectors/files/tree-scan.js';
import { until } from '../../support/until.js';
import { instanceConfig, MemoryMetadataServerClient, neverAborted, RecordingContext } from '../support/connector-harness.js';

let dir: string;
const connectors: DataFilesMonitorConnector[] = [];
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(join(tmpdir(), 'files-trust-scan-')));
});
afterEach(async () => {
  for (const c of connectors.splice(0)) await c.disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Counts change runs that are over, so a test can look once every hint taken so far has been applied. */
class SettlingContext extends RecordingContext {
  finishedChangeRuns = 0;

  override async changeRun(work: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
    try {
      return await super.changeRun(work);
    } finally {
      this.finishedChangeRuns++;
    }
  }

  get settled(): boolean {
    return this.finishedChangeRuns === this.changeRuns;
  }
}

async function started(options: { properties?: Record<string, unknown>; fileSystem?: ScanFileSystem } = {}) {
  const metadataServer = new MemoryMetadataServerClient();
  const config = instanceConfig({ endpointAddress: dir, configurationProperties: options.properties ?? {}, baseDirectory: dir });
  const context = new SettlingContext(metadataServer, config);
  const connector = new DataFilesMonitorConnector(config, { fileSystem: options.fileSystem });
  connectors.push(connector);
  await connector.initialize(context);
  await connector.start();
  return { metadataServer, context, connector };
}

/** The real calls, with a hook run right after a directory has been listed (before anything can watch it). */
function afterListing(hook: (path: string) => void): ScanFileSystem {
  return {
    readdirSync: (path, options) => {
      const entries = fs.readdirSync(path, options);
      hook(path);
      return entries;
    },
    lstatSync: (path) => fs.lstatSync(path),
    statSync: (path) => fs.statSync(path),
  };
}

const qn = (relativePath: string) => dataFileQualifiedName(join(dir, relativePath));

describe('change hints racing the scan of a new subdirectory', () => {
  it('catch a file that lands in a new subdirectory after its listing and before its watch', async () => {
    const sub = join(dir, 'upload', 'part-1');
    let landed = false;
    const fileSystem = afterListing((path) => {
      // The upload goes on while the connector scans what it has created so far.
      if (path !== sub || landed) return;
      landed = true;
      fs.writeFileSync(join(sub, 'late.csv'), 'late');
    });
    const { metadataServer, context, connector } = await started({ fileSystem });
    await connector.refresh(neverAborted());

    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(join(sub, 'early.csv'), 'early');
    await until(
      'the change run that catalogued early.csv is over',
      () => metadataServer.get(qn('upload/part-1/early.csv')) !== undefined && context.settled,
      10_000,
    );
    expect(landed).toBe(true);
    // No refresh comes to the rescue here: the change run itself must have seen it.
    expect(metadataServer.get(qn('upload/part-1/late.csv'))?.archived).toBe(false);
    expect(context.refreshRequests).toEqual([]);
  });
});
