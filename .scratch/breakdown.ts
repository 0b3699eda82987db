import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFilesMonitorConnector } from '../electron/connectors/files/data-files-monitor.js';
import { SqliteMetadataServer } from '../electron/engine/metadata-server/sqlite.js';
import { scanTree } from '../electron/connectors/files/tree-scan.js';
import { instanceConfig, neverAborted, RecordingContext, metadataServerClient } from '../test/connectors/support/connector-harness.js';
const fileCount = Number(process.argv[2] ?? 100000);
const work = mkdtempSync(join(tmpdir(), 'bd-'));
const tree = join(work, 'tree');
const leafCount = Math.max(1, Math.min(300, Math.ceil(fileCount / 330)));
const leaves: string[] = [];
for (let i = 0; i < leafCount; i++) leaves.push(join(tree, `region-${i % 20}`, `batch-${Math.floor(i / 20)}`));
for (const leaf of leaves) mkdirSync(leaf, { recursive: true });
for (let i = 0; i < fileCount; i++) writeFileSync(join(leaves[i % leaves.length]!, `part-${i}.csv`), `id,value\n${i},${i * 7}\n`);
try {
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    await scanTree(tree, { exclude: { namePatterns: [], pathPatterns: [], excludes: () => false } as never, signal: neverAborted() });
    console.log('scan alone', (performance.now() - t).toFixed(0));
    const ms = new SqliteMetadataServer('bench', join(work, `m-${round}.db`));
    await ms.open();
    let upsertMs = 0, upsertCpu = 0;
    const orig = ms.upsertElements.bind(ms);
    ms.upsertElements = async (s, e) => { const a = performance.now(); const c = process.cpuUsage(); const r = await orig(s, e); upsertMs += performance.now() - a; const d = process.cpuUsage(c); upsertCpu += (d.user + d.system) / 1000; return r; };
    const config = instanceConfig({ connectorId: 'bench-files', endpointAddress: tree, configurationProperties: { watchChanges: false } });
    const context = new RecordingContext(metadataServerClient(ms, 'bench-files'), config);
    const connector = new DataFilesMonitorConnector(config);
    t = performance.now(); const c0 = process.cpuUsage();
    await connector.initialize(context); await connector.start(); await connector.refresh(neverAborted());
    const c1 = process.cpuUsage(c0);
    console.log('first', (performance.now() - t).toFixed(0), 'main cpu', ((c1.user + c1.system) / 1000).toFixed(0), 'upsert wall', upsertMs.toFixed(0), 'upsert cpu', upsertCpu.toFixed(0));
    await connector.disconnect(); await ms.close();
  }
} finally { rmSync(work, { recursive: true, force: true }); }
