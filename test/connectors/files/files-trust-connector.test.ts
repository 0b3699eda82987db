// The files monitors' refusals and links, on real directories: a system directory as the monitored root is refused
// by validation (and when a symbolic link leads there), a symbolic link as the root is followed and said so, and a
// link to a file outside the root is catalogued as the link.
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILES_AUDIT, validateFilesConfig } from '../../../electron/connectors/files/basic-files.js';
import { DataFilesMonitorConnector, dataFileQualifiedName } from '../../../electron/connectors/files/data-files-monitor.js';
import { validateConfig } from '../../../electron/engine/config/validate.js';
import { instanceConfig, MemoryMetadataServerClient, neverAborted, RecordingContext } from '../support/connector-harness.js';
import { builtInProviderRegistry } from '../../support/providers.js';

let root: string;
const connectors: DataFilesMonitorConnector[] = [];
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(join(tmpdir(), 'files-trust-connector-')));
});
afterEach(async () => {
  for (const c of connectors.splice(0)) await c.disconnect();
  fs.rmSync(root, { recursive: true, force: true });
});

async function started(endpointAddress: string) {
  const metadataServer = new MemoryMetadataServerClient();
  const config = instanceConfig({ endpointAddress, configurationProperties: { watchChanges: false }, baseDirectory: root });
  const context = new RecordingContext(metadataServer, config);
  const connector = new DataFilesMonitorConnector(config);
  connectors.push(connector);
  await connector.initialize(context);
  await connector.start();
  return { metadataServer, context, connector };
}

describe('system directories', () => {
  // The path is judged as it will be opened: doubled slashes, `.` and `..` are resolved before the decision.
  it.each(['/', '/proc', '/sys/', '/dev', '/proc/self', 'file:///sys', '//dev', '/tmp/../proc', '/./sys', '/srv/..', 'file:////dev'])(
    'refuses %s as the monitored directory',
    (address) => {
      const problems = validateFilesConfig({ endpointAddress: address, configurationProperties: {} });
      expect(problems).toHaveLength(1);
      expect(problems[0]?.message).toMatch(/cannot be monitored/);
      expect(problems[0]?.fix).toMatch(/endpointAddress/);
    },
  );

  it('accepts directories that merely start like one', () => {
    expect(validateFilesConfig({ endpointAddress: '/devices/landing', configurationProperties: {} })).toEqual([]);
  });

  it('is a configuration problem with a message id and a fix', () => {
    const result = validateConfig(
      {
        serverName: 'x',
        integrationServices: [
          {
            urlMarker: 'files-integrator',
            connectors: [{ connectorName: 'c', connectorProvider: 'data-files-monitor', endpointAddress: '/' }],
          },
        ],
      },
      { providers: builtInProviderRegistry() },
    );
    expect(result.ok).toBe(false);
    const problem = result.ok ? undefined : result.problems.find((p) => p.path.endsWith('endpointAddress'));
    expect(problem?.messageId).toBe('INTEGRATION-DAEMON-CONFIG-400-014');
    expect(problem?.fix).toMatch(/endpointAddress/);
  });

  it('refuses a symbolic link that leads to one when the connector starts', async () => {
    fs.symlinkSync('/proc', join(root, 'looks-harmless'));
    await expect(started(join(root, 'looks-harmless'))).rejects.toMatchObject({
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-400-005',
      category: 'configuration',
    });
  });
});

describe('symbolic links', () => {
  it('follows a symbolic link as the monitored directory and says so', async () => {
    const real = join(root, 'real-landing');
    fs.mkdirSync(real);
    fs.writeFileSync(join(real, 'a.csv'), 'a');
    fs.symlinkSync(real, join(root, 'landing'));
    const { metadataServer, context, connector } = await started(join(root, 'landing'));
    await connector.refresh(neverAborted());
    expect([...metadataServer.elements.keys()]).toEqual([dataFileQualifiedName(join(real, 'a.csv'))]);
    const record = context.audits.find((a) => a.messageId === FILES_AUDIT.rootResolved);
    expect(record?.messageText).toContain(real);
  });

  it('catalogues a link to a file outside the monitored directory as the link, not with its target', async () => {
    const landing = join(root, 'landing');
    fs.mkdirSync(landing);
    const outside = join(root, 'outside.bin');
    fs.writeFileSync(outside, Buffer.alloc(5000));
    fs.utimesSync(outside, new Date('2001-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z'));
    const link = join(landing, 'link.bin');
    fs.symlinkSync(outside, link);
    const { metadataServer, connector } = await started(landing);
    await connector.refresh(neverAborted());
    const element = metadataServer.elements.get(dataFileQualifiedName(link));
    const linkStats = fs.lstatSync(link);
    expect(element?.properties).toMatchObject({ isSymLink: true, size: linkStats.size });
    expect(element?.properties.size).not.toBe(5000);
    expect(element?.properties.modifiedTime).not.toBe('2001-01-01T00:00:00.000Z');
  });
});
