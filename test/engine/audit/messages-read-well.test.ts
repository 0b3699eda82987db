// Every message the daemon writes reads well once filled in: the audit catalogue (recovery's records included), the
// failure messages of recovery and the REST refusals, each rendered with sample parameters of the kind the code
// passes; then the records a real daemon writes while its connectors fail in every way. No placeholder left over, no
// sentence said twice ("…not available: The metadata server … not available"), no "0 connectors are waiting", no
// "retry 0", no "any integration service", no `null`; a connector failure's user action is the specific fix.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../shared/api/types.js';
import { AUDIT_MESSAGES } from '../../../electron/engine/audit/catalogue.js';
import { fillTemplate, type MessageDefinition } from '../../../electron/engine/messages.js';
import { RECOVERY_MESSAGES } from '../../../electron/engine/recovery/messages.js';
import { REST_MESSAGES } from '../../../electron/engine/rest/errors.js';
import { type Harness, document, harness, report, waitFor } from '../lifecycle/fixtures/daemon-harness.js';

/** A sample of what the code passes for `{index}`, judged from the words before it. */
function sample(template: string, index: number): string {
  const before = template.slice(0, template.indexOf(`{${index}}`)).toLowerCase();
  const ends = (...words: string[]) => words.some((w) => before.endsWith(w));
  if (ends('metadata server ', 'omag server ')) return 'cocoMDS1';
  if (ends('connector named ', 'connector ', 'connectors of ')) return 'OakDeneLandingAreaFilesMonitor';
  if (ends('integration daemon ', 'daemon ', 'server ', 'for the ')) return 'exchangeDL01';
  if (ends('user ')) return 'garygeeke';
  if (ends(' at ', 'probe is at ')) return '2026-12-05T08:00:00.000Z';
  if (ends('outage of ', 'after ')) return '20.0 s';
  if (ends('retry ')) return '2';
  if (/retry \{\d\} of $/.test(before)) return '5';
  if (ends('method ')) return 'refresh';
  if (ends('with a ')) return 'TypeError';
  if (ends('service ', 'the ')) return 'Files Integrator OMIS';
  if (ends('waited for it: ')) return '3, resuming now';
  if (ends('running ')) return '3';
  return `sample-${index}`;
}

function placeholders(text: string): number[] {
  return [...text.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1]));
}

/** The problems of one rendered text. */
function problems(text: string): string[] {
  const found: string[] = [];
  if (/\{\d+\}/.test(text)) found.push('a placeholder is left over');
  if (/\b0 (integration )?connectors?\b|\b0 connector\(s\)/i.test(text)) found.push('a zero count of connectors');
  if (/\bretry 0\b/i.test(text)) found.push('"retry 0"');
  if (/any integration service(?!s)/i.test(text)) found.push('"any integration service"');
  // `null` is what an absent parameter renders as; a third-party message may well say "undefined" itself.
  if (/\bnull\b|\bNaN\b/.test(text)) found.push('null or NaN');
  const sentences = text
    .split(/(?<=[.:;])\s+/)
    .map((s) =>
      s
        .replace(/[.:;]$/, '')
        .trim()
        .toLowerCase(),
    )
    .filter((s) => s.split(/\s+/).length >= 4);
  const seen = new Set<string>();
  for (const sentence of sentences) {
    if (seen.has(sentence)) found.push(`said twice: ${sentence}`);
    seen.add(sentence);
  }
  // Six words in a row, twice: the same clause quoted inside itself.
  const words = text.toLowerCase().split(/\s+/);
  const runs = new Set<string>();
  for (let i = 0; i + 6 <= words.length; i++) {
    const run = words.slice(i, i + 6).join(' ');
    if (runs.has(run)) {
      found.push(`repeats "${run}"`);
      break;
    }
    runs.add(run);
  }
  return found;
}

const definitions: MessageDefinition[] = [...AUDIT_MESSAGES, ...Object.values(RECOVERY_MESSAGES), ...Object.values(REST_MESSAGES)];

describe('every message rendered with sample parameters', () => {
  for (const definition of definitions) {
    it(definition.messageId, () => {
      const count = Math.max(-1, ...placeholders(definition.template)) + 1;
      const parameters = Array.from({ length: count }, (_, i) => sample(definition.template, i));
      for (const field of ['systemAction', 'userAction'] as const) {
        const beyond = placeholders(definition[field]).filter((i) => i >= count);
        expect(beyond, `${field} refers to parameters the template does not have`).toEqual([]);
      }
      for (const text of [definition.template, definition.systemAction, definition.userAction].map((t) => fillTemplate(t, parameters))) {
        expect(problems(text), text).toEqual([]);
      }
    });
  }
});

let h: Harness | undefined;
afterAll(async () => {
  await h?.cleanup();
});

describe('the records a real daemon writes while its connectors fail', () => {
  it('read well, and a connector failure advises its specific fix', { timeout: 60_000 }, async () => {
    h = harness();
    const aFile = join(h.dir, 'a-file.csv');
    writeFileSync(aFile, 'a\n');
    mkdirSync(join(h.dir, 'landing'));
    const scripted = (connectorName: string, properties: Record<string, unknown>) => ({
      connectorName,
      connectorProvider: 'test-scripted-files',
      refreshTimeInterval: 0,
      configurationProperties: properties,
    });
    const daemon = await h.start(
      document(h.dir, [
        {
          urlMarker: 'files-integrator',
          connectors: [
            { connectorName: 'OnAFile', connectorProvider: 'data-files-monitor', endpointAddress: aFile, refreshTimeInterval: 0 },
            {
              connectorName: 'Missing',
              connectorProvider: 'data-files-monitor',
              endpointAddress: join(h.dir, 'gone'),
              refreshTimeInterval: 0,
            },
            {
              connectorName: 'Fine',
              connectorProvider: 'data-files-monitor',
              endpointAddress: join(h.dir, 'landing'),
              refreshTimeInterval: 0,
            },
            scripted('Unreachable', { failIn: 'refresh', failVia: 'thirdParty' }),
            scripted('Crashing', { failIn: 'refresh' }),
            scripted('Misconfigured', { failIn: 'initialize', failVia: 'configuration' }),
            scripted('ObjectFailures', { elements: 1, objectFailures: 2 }),
          ],
        },
      ]),
    );
    await waitFor(
      () =>
        report(daemon, 'OnAFile').connectorStatus === 'CONFIG_FAILED' &&
        report(daemon, 'Misconfigured').connectorStatus === 'CONFIG_FAILED' &&
        ['Missing', 'Unreachable', 'Crashing'].every((n) => report(daemon, n).connectorStatus === 'RETRYING') &&
        report(daemon, 'ObjectFailures').pendingObjectRetries === 2,
      () => JSON.stringify(daemon.status()),
      30_000,
    );
    await expect(daemon.retryNow('NoSuchConnector')).rejects.toMatchObject({
      message: expect.not.stringMatching(/any integration service/),
    });
    const records: AuditRecord[] = daemon.auditLog({ limit: 100_000 });
    for (const record of records) {
      for (const text of [record.messageText, record.systemAction, record.userAction]) {
        expect(problems(text ?? ''), `${record.messageId}: ${text}`).toEqual([]);
      }
    }
    const generic = RECOVERY_MESSAGES.connectorException.userAction;
    const failures = records.filter((r) => r.messageId === 'INTEGRATION-DAEMON-SERVICES-0031');
    expect(failures.map((r) => r.connectorName).sort()).toEqual(expect.arrayContaining(['Missing', 'OnAFile', 'Unreachable']));
    for (const failure of failures.filter((r) => r.connectorName !== 'Crashing')) {
      expect(failure.userAction, `${failure.connectorName}: ${failure.userAction}`).not.toBe(generic);
      expect(failure.userAction, failure.connectorName).not.toMatch(/^Use the message from the exception/);
    }
    const onAFile = failures.find((r) => r.connectorName === 'OnAFile');
    expect(onAFile?.userAction).toMatch(/Correct endpointAddress of connector OnAFile to name a directory/);
  });
});
