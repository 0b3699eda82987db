import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

describe('console destination on a closed pipe', () => {
  it('keeps the daemon alive and the other destinations writing when the reader of stdout goes away', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-pipe-'));
    try {
      const path = join(dir, 'audit.jsonl');
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/engine/audit/console-pipe.fixture.ts'), path, '150'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      // Read the first console line, then close our end of the pipe like a supervisor that died.
      await new Promise<void>((done) => child.stdout.once('data', () => done()));
      child.stdout.destroy();
      const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const records = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { messageId: string });
      expect(records.filter((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0042')).toHaveLength(150);
      expect(records.some((r) => r.messageId === 'INTEGRATION-DAEMON-AUDIT-0001')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
