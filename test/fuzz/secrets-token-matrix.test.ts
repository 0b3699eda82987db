// The hostile token matrix with secrets present: a real daemon whose metadata server is a real PostgreSQL reached
// with a password holding '@', connectors whose connection strings carry passwords in every form (URL user-info
// with '@', ?password=, libpq key=value, env: and file: references, a driver error quoting one), and secrets set
// over REST. Every route is called with the operator token, the viewer token, no token and a wrong token; no
// answer, event, audit destination (console, JSON-lines file) or CLI output may show any secret, nor the tail of
// one after an '@'. Writing the redacted configuration back keeps the secrets it stands for.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE, ROLE_HEADER } from '../../shared/api/types.js';
import { main } from '../../electron/cli/main.js';
import type { Daemon } from '../../electron/engine/daemon.js';
import { ROUTES } from '../../electron/engine/rest/routes.js';
import { startRestServer, type RestServer } from '../../electron/engine/rest/server.js';
import { type Harness, document, harness, report, waitFor } from '../engine/lifecycle/fixtures/daemon-harness.js';
import { type PgServer, startPostgres } from '../support/postgres.js';

const OPERATOR = 'matrix-operator-token-0123456789';
const VIEWER = 'matrix-viewer-token-0123456789';
const SECRETS = {
  metadataServer: 'Meta@S3cretPw',
  userInfo: 'Us3r@Info!Pw',
  parameter: 'ParamS3cretPw',
  env: 'EnvRefS3cretPw',
  file: 'FileRefS3cretPw',
  property: 'PropS3cretPw',
  keyValue: 'KeyValS3cretPw',
  quoted: 'Qu0ted@DriverPw',
  restProperty: 'RestPropS3cretPw',
  restEndpoint: 'RestEndp0int@Pw',
};
const ENV_NAME = 'TOKEN_MATRIX_PG_SECRET';

/** Every secret and, for one holding '@', what follows each '@' (the part a naive parser leaks). */
const forbidden = Object.values(SECRETS).flatMap((secret) => [secret, ...secret.split('@').slice(1)]);

function leaks(text: string): string[] {
  return forbidden.filter((secret) => text.includes(secret));
}

let pg: PgServer;
let h: Harness;
let daemon: Daemon;
let rest: RestServer;
let base: string;
let auditFile: string;

beforeAll(async () => {
  process.env[ENV_NAME] = SECRETS.env;
  pg = await startPostgres();
  h = harness();
  const metadata = (await pg.createDatabase('metadata')).replace('postgres@', `postgres:${SECRETS.metadataServer}@`);
  const secretFile = join(h.dir, 'secrets', 'pg');
  mkdirSync(join(h.dir, 'secrets'));
  writeFileSync(secretFile, `${SECRETS.file}\n`, { mode: 0o600 });
  auditFile = join(h.dir, 'audit', 'audit.jsonl');
  const pgMonitor = (connectorName: string, endpointAddress: string) => ({
    connectorName,
    connectorProvider: 'postgres-database-monitor',
    endpointAddress,
    refreshTimeInterval: 60,
  });
  daemon = await h.start(
    document(
      h.dir,
      [
        {
          urlMarker: 'database-integrator',
          connectors: [
            pgMonitor('PgUserInfo', `postgresql://scanner:${SECRETS.userInfo}@127.0.0.1:${pg.port}/no_such_database`),
            pgMonitor('PgParameter', `postgresql://scanner@127.0.0.1:1/inventory?password=${SECRETS.parameter}`),
            pgMonitor('PgEnvReference', `postgresql://scanner:env:${ENV_NAME}@127.0.0.1:1/inventory`),
            pgMonitor('PgFileReference', `postgresql://scanner@127.0.0.1:1/inventory?password=file:${secretFile}`),
            pgMonitor('PgMissingReference', 'postgresql://scanner:env:TOKEN_MATRIX_NOT_SET@127.0.0.1:1/inventory'),
          ],
        },
        {
          urlMarker: 'files-integrator',
          connectors: [
            {
              connectorName: 'Scripted',
              connectorProvider: 'test-scripted-files',
              refreshTimeInterval: 0,
              configurationProperties: {
                password: SECRETS.property,
                dsn: `host=db.example user=scanner password=${SECRETS.keyValue} dbname=inventory`,
                failIn: 'refresh',
                failVia: 'thirdParty',
                quote: `postgresql://scanner:${SECRETS.quoted}@db.example/inventory`,
              },
            },
          ],
        },
      ],
      {
        metadataServer: { name: 'cocoMDS1', kind: 'postgres', connectionString: metadata },
        auditLog: { destinations: [{ kind: 'console' }, { kind: 'memory', capacity: 100_000 }, { kind: 'jsonl', path: auditFile }] },
      },
    ),
  );
  rest = await startRestServer({ daemon, port: 0, token: OPERATOR, viewerToken: VIEWER, log: () => undefined });
  base = `${rest.url}${API_BASE('exchangeDL01', 'exchangeDL01npa')}`;
  await waitFor(
    () =>
      report(daemon, 'PgMissingReference').connectorStatus === 'CONFIG_FAILED' &&
      ['PgParameter', 'PgEnvReference', 'PgFileReference', 'Scripted'].every((n) => report(daemon, n).connectorStatus === 'RETRYING'),
    () => JSON.stringify(daemon.status()),
    60_000,
  );
  // Secrets set over REST, the way an operator would.
  const operatorPost = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${OPERATOR}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect(
    (
      await operatorPost('/integration-connectors/configuration-properties', {
        connectorName: 'Scripted',
        configurationProperties: { apiKey: SECRETS.restProperty },
        mergeUpdate: true,
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await operatorPost(
        '/integration-connectors/PgParameter/endpoint-network-address',
        `postgresql://scanner:${SECRETS.restEndpoint}@127.0.0.1:1/inventory`,
      )
    ).status,
  ).toBe(200);
  await waitFor(
    () => report(daemon, 'PgParameter').connectorStatus === 'RETRYING' && report(daemon, 'Scripted').connectorStatus === 'RETRYING',
    () => JSON.stringify(daemon.status()),
    60_000,
  );
}, 180_000);

afterAll(async () => {
  delete process.env[ENV_NAME];
  await rest?.close();
  await h?.cleanup();
  await pg?.destroy();
});

/** Each route's paths with its parameters filled in, and a body for the routes that take one. */
function calls(): { method: string; path: string; body?: string }[] {
  const fill = (pattern: string) =>
    pattern
      .split('/')
      .map((segment) => segment.split('|')[0]!)
      .join('/')
      .replace(':marker', 'database-integrator')
      .replace(':name', 'PgParameter');
  const bodies: Record<string, string> = {
    'integration-connectors/configuration-properties': JSON.stringify({
      connectorName: 'Scripted',
      configurationProperties: {},
      mergeUpdate: true,
    }),
    'integration-connectors/:name/endpoint-network-address': JSON.stringify(
      `postgresql://scanner:${SECRETS.restEndpoint}@127.0.0.1:1/inventory`,
    ),
  };
  return ROUTES.filter((route) => route.pattern !== 'events').flatMap((route) =>
    route.methods.map((method) => ({
      method,
      path: `/${fill(route.pattern)}`,
      ...(method === 'GET' ? {} : { body: bodies[route.pattern] ?? '{}' }),
    })),
  );
}

const TOKENS: Record<string, string | undefined> = { operator: OPERATOR, viewer: VIEWER, none: undefined, wrong: `${OPERATOR}-wrong` };

describe('the token matrix with secrets in the configuration', () => {
  for (const [role, token] of Object.entries(TOKENS)) {
    it(`${role} token: no route answers with a secret`, async () => {
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      };
      for (const call of calls()) {
        let body = call.body;
        if (call.method === 'PUT') {
          // The configuration as this token reads it, written back.
          const read = await fetch(`${base}/configuration`, { headers });
          body = read.status === 200 ? JSON.stringify(((await read.json()) as { configuration: unknown }).configuration) : '{}';
        }
        const response = await fetch(`${base}${call.path}`, { method: call.method, headers, ...(body ? { body } : {}) });
        const text = await response.text();
        expect(leaks(text), `${role} ${call.method} ${call.path} ${response.status}: ${text.slice(0, 300)}`).toEqual([]);
        if (role === 'none' || role === 'wrong') expect(response.status, `${call.method} ${call.path}`).toBe(401);
        if (role === 'viewer' && call.method !== 'GET') expect(response.status, `${call.method} ${call.path}`).toBe(403);
        // Every answer to a known token says which role it has (refusals too), so a console offers only what it may do.
        const named = role === 'operator' || role === 'viewer' ? role : null;
        expect(response.headers.get(ROLE_HEADER), `role on ${call.method} ${call.path}`).toBe(named);
      }
      const platform = await fetch(
        `${rest.url}/open-metadata/platform-services/users/u/server-platform/registered-services/integration-services`,
        {
          headers,
        },
      );
      expect(leaks(await platform.text())).toEqual([]);
    }, 120_000);
  }

  it('the event stream (snapshot, status, audit records, runs) shows no secret', async () => {
    for (const token of [OPERATOR, VIEWER]) {
      const abort = new AbortController();
      const response = await fetch(`${base}/events`, { headers: { Authorization: `Bearer ${token}` }, signal: abort.signal });
      const reader = response.body!.getReader();
      let text = '';
      const deadline = Date.now() + 1_500;
      // A restart while reading: its audit records, status changes and run travel on the stream.
      void fetch(`${base}/integration-connectors/restart`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${OPERATOR}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ connectorName: 'Scripted' }),
      });
      while (Date.now() < deadline) {
        const chunk = await Promise.race([reader.read(), new Promise<undefined>((r) => setTimeout(r, 200))]);
        if (chunk?.value) text += new TextDecoder().decode(chunk.value);
      }
      abort.abort();
      expect(text).toContain('hello');
      expect(leaks(text)).toEqual([]);
    }
  });

  it('no audit destination, status, run or CLI output shows a secret', async () => {
    const records = daemon.auditLog({ limit: 100_000 });
    expect(records.map((r) => r.messageText).join('\n')).toContain('postgresql://scanner:***@');
    expect(leaks(JSON.stringify(records))).toEqual([]);
    expect(leaks(h.lines.join('\n'))).toEqual([]);
    expect(leaks(readFileSync(auditFile, 'utf8'))).toEqual([]);
    expect(leaks(JSON.stringify(daemon.status()))).toEqual([]);
    expect(leaks(JSON.stringify(daemon.runs({ limit: 1_000 })))).toEqual([]);
    expect(report(daemon, 'PgMissingReference')).toMatchObject({
      errorSource: 'connector',
      failingExceptionMessageId: 'INTEGRATION-DAEMON-SECRETS-404-001',
    });

    const env = { INTEGRATION_DAEMON_TOKEN: OPERATOR, INTEGRATION_DAEMON_URL: rest.url };
    for (const args of [
      ['status'],
      ['status', '--json'],
      ['audit-log'],
      ['audit-log', '--json'],
      ['runs'],
      ['runs', '--json'],
      ['object-retries'],
    ]) {
      let out = '';
      const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (out += t), env, stop: new AbortController().signal });
      expect(code, `${args.join(' ')}: ${out.slice(0, 300)}`).toBe(0);
      expect(leaks(out), args.join(' ')).toEqual([]);
    }
  });

  it('the configuration read redacted and written back keeps its secrets, and the connectors still resolve them', async () => {
    const headers = { Authorization: `Bearer ${OPERATOR}`, 'Content-Type': 'application/json' };
    const read = (await (await fetch(`${base}/configuration`, { headers })).json()) as { configuration: unknown };
    expect(leaks(JSON.stringify(read))).toEqual([]);
    const written = await fetch(`${base}/configuration`, { method: 'PUT', headers, body: JSON.stringify(read.configuration) });
    expect(written.status).toBe(200);
    const held = JSON.stringify(daemon.getConfiguration());
    expect(held).toContain(SECRETS.metadataServer);
    expect(held).toContain(SECRETS.property);
    expect(held).toContain(SECRETS.restEndpoint);
    expect(held).toContain(`env:${ENV_NAME}`);
    expect(held).not.toContain(SECRETS.env);
  });
});
