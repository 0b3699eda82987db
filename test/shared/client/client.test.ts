// DaemonClient against a real REST server (in-memory daemon) and against small stand-ins for a real Egeria
// daemon, which answers errors with HTTP 200 and has no event stream.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DaemonEvent } from '../../../shared/api/types.js';
import { DaemonClient } from '../../../shared/client/client.js';
import { DaemonClientError } from '../../../shared/client/errors.js';
import { OPERATOR_TOKEN, SERVER_NAME, startFixture, USER_ID, VIEWER_TOKEN, type Fixture } from '../../engine/rest/fixture.js';
import { seedExamples } from '../../engine/rest/seed.js';

let f: Fixture;
let client: DaemonClient;
beforeEach(async () => {
  f = await startFixture();
  client = new DaemonClient({ url: `${f.server.url}/`, serverName: SERVER_NAME, userId: USER_ID, token: OPERATOR_TOKEN });
});
afterEach(async () => {
  await f.server.close();
});

async function rejection(promise: Promise<unknown>): Promise<DaemonClientError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DaemonClientError);
    return error as DaemonClientError;
  }
  throw new Error('expected the call to fail');
}

/** A plain node:http server answering every request with `handler`'s status and JSON. */
async function standIn(handler: (path: string) => { status: number; body: unknown }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const { status, body } = handler(req.url ?? '/');
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('DaemonClient over real HTTP', () => {
  it('reads the role the daemon names for its token: a viewer may not change, an operator may', async () => {
    const viewer = new DaemonClient({ url: f.server.url, serverName: SERVER_NAME, userId: USER_ID, token: VIEWER_TOKEN });
    expect(viewer.role).toBeUndefined();
    expect(viewer.mayChange).toBe(true);
    await viewer.status();
    expect(viewer.role).toBe('viewer');
    expect(viewer.mayChange).toBe(false);
    // A refusal keeps the role it names (still the viewer's).
    await rejection(viewer.restartConnectors());
    expect(viewer.role).toBe('viewer');
    await client.runs();
    expect(client.role).toBe('operator');
    expect(client.mayChange).toBe(true);
  });

  it('a daemon that names no role (Egeria) leaves every action to try', async () => {
    const egeria = await standIn(() => ({ status: 200, body: seedExamples().statusFailed }));
    try {
      const c = new DaemonClient({ url: egeria.url, serverName: SERVER_NAME, userId: USER_ID, token: VIEWER_TOKEN });
      await c.status();
      expect(c.role).toBeUndefined();
      expect(c.mayChange).toBe(true);
    } finally {
      egeria.server.close();
    }
  });

  it('health, status, registered services', async () => {
    expect(await client.health()).toEqual({ status: 'UP', serverName: SERVER_NAME });
    const status = await client.status();
    expect(status.integrationServiceSummaries.map((s) => s.integrationServiceURLMarker)).toEqual([
      'files-integrator',
      'database-integrator',
    ]);
    expect((await client.registeredServices()).map((s) => s.serviceURLMarker)).toContain('organization-integrator');
  });

  it('sends each operation to the daemon with its arguments', async () => {
    await client.refreshAll();
    await client.refreshService('files-integrator', 'OakDeneLandingAreaFilesMonitor');
    await client.restartService('database-integrator');
    await client.refreshConnectors();
    await client.restartConnectors('OakDeneLandingAreaDatabaseMonitor');
    await client.retryNow('OakDeneLandingAreaFilesMonitor');
    await client.updateConfigurationProperties({
      connectorName: 'OakDeneLandingAreaFilesMonitor',
      mergeUpdate: true,
      configurationProperties: { a: 1 },
    });
    expect(await client.getConfigurationProperties('OakDeneLandingAreaFilesMonitor')).toEqual({ a: 1 });
    await client.updateEndpointAddress('OakDeneLandingAreaFilesMonitor', 'data/x');
    expect(await client.retryObjectsNow('OakDeneLandingAreaFilesMonitor', 'k')).toBe(0);
    await client.auditLog({ severity: ['Error', 'Exception'], connectorName: 'C', since: 5, limit: 7 });
    await client.runs({ connectorName: 'C', limit: 3 });
    await client.objectRetries('C');
    expect(f.daemon.calls.map((c) => [c.method, ...c.args])).toEqual([
      ['refreshAll'],
      ['refreshService', 'files-integrator', 'OakDeneLandingAreaFilesMonitor'],
      ['restartService', 'database-integrator', undefined],
      ['refreshConnectors', undefined],
      ['restartConnectors', 'OakDeneLandingAreaDatabaseMonitor'],
      ['retryNow', 'OakDeneLandingAreaFilesMonitor'],
      ['updateConfigurationProperties', 'OakDeneLandingAreaFilesMonitor', { a: 1 }, true],
      ['getConfigurationProperties', 'OakDeneLandingAreaFilesMonitor'],
      ['updateEndpointAddress', 'OakDeneLandingAreaFilesMonitor', 'data/x'],
      ['retryObjectsNow', 'OakDeneLandingAreaFilesMonitor', 'k'],
      ['auditLog', { severity: ['Error', 'Exception'], connectorName: 'C', since: 5, limit: 7 }],
      ['runs', { connectorName: 'C', limit: 3 }],
      ['objectRetries', 'C'],
    ]);
  });

  it('pages through every metadata element', async () => {
    const all = [];
    for await (const element of client.allElements({ typeName: 'DataFile' })) all.push(element.guid);
    expect(all).toEqual(['guid-0', 'guid-2', 'guid-4', 'guid-6', 'guid-8', 'guid-10']);
    expect(f.daemon.calls.filter((c) => c.method === 'findElements')).toHaveLength(2);
  });

  it('configuration read and replace', async () => {
    const next = { serverName: SERVER_NAME, integrationServices: [], maxPageSize: 9 };
    expect(await client.replaceConfiguration(next)).toEqual(next);
    expect(await client.getConfiguration()).toEqual(next);
  });

  it('a refusal carries the envelope: id, message, user action, HTTP status', async () => {
    const error = await rejection(client.restartConnectors('Ghost'));
    expect(error.kind).toBe('http');
    expect(error.httpStatus).toBe(404);
    expect(error.messageId).toBe('INTEGRATION-DAEMON-SERVICES-400-031');
    expect(error.message).toBe(
      `INTEGRATION-DAEMON-SERVICES-400-031 Integration connector named Ghost is not running in the integration service any in integration daemon ${SERVER_NAME}`,
    );
    expect(error.userAction).toContain('connector name');
    expect(error.envelope?.actionDescription).toBe('restartConnectors');
    expect(error.transient).toBe(false);
  });

  it('wrong token and viewer role surface as 401 and 403', async () => {
    const wrong = new DaemonClient({ url: f.server.url, serverName: SERVER_NAME, userId: USER_ID, token: 'x'.repeat(20) });
    expect((await rejection(wrong.status())).httpStatus).toBe(401);
    const viewer = new DaemonClient({ url: f.server.url, serverName: SERVER_NAME, userId: USER_ID, token: VIEWER_TOKEN });
    await viewer.status();
    const refused = await rejection(viewer.refreshAll());
    expect(refused.httpStatus).toBe(403);
    expect(refused.messageId).toBe('INTEGRATION-DAEMON-REST-403-001');
  });

  it('a daemon that is not there is a network error, distinct from a refusal', async () => {
    const url = f.server.url;
    await f.server.close();
    const error = await rejection(new DaemonClient({ url, serverName: SERVER_NAME, userId: USER_ID, token: OPERATOR_TOKEN }).status());
    expect(error.kind).toBe('network');
    expect(error.messageId).toBe('INTEGRATION-DAEMON-CLIENT-503-001');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.httpStatus).toBeUndefined();
    expect(error.transient).toBe(true);
  });

  it('a caller abort is reported as aborted, a slow daemon as a timeout', async () => {
    const slow = createServer(() => undefined);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    try {
      const timed = new DaemonClient({ url, serverName: 's', userId: 'u', timeoutMs: 100 });
      expect((await rejection(timed.status())).messageId).toBe('INTEGRATION-DAEMON-CLIENT-504-001');
      const controller = new AbortController();
      const pending = new DaemonClient({ url, serverName: 's', userId: 'u' }).status(controller.signal);
      controller.abort();
      expect((await rejection(pending)).kind).toBe('aborted');
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  it('subscribe delivers hello with a normalized status, then events, and ends on abort', async () => {
    const controller = new AbortController();
    const events: DaemonEvent[] = [];
    let activity = 0;
    const done = client.subscribe(
      (e) => {
        events.push(e);
        if (events.length === 4) controller.abort();
      },
      controller.signal,
      { onActivity: () => activity++ },
    );
    await expect.poll(() => events.length).toBe(1);
    f.daemon.emit({
      type: 'run',
      run: {
        runId: 'r1',
        connectorName: 'C',
        connectorId: 'c',
        connectorInstanceId: 'i',
        trigger: 'request',
        startedAt: 'x',
        state: 'RUNNING',
        counts: { discovered: 0, created: 0, updated: 0, unchanged: 0, archived: 0, failed: 0 },
      },
    });
    f.daemon.emit({
      type: 'audit',
      record: {
        sequence: 9,
        timeStamp: 't',
        serverName: SERVER_NAME,
        severity: 'Error',
        messageId: 'M',
        messageText: 'm',
        messageParameters: [],
      },
    });
    f.daemon.emit({ type: 'connector-removed', urlMarker: 'files-integrator', connectorName: 'C' });
    await done;
    expect(events.map((e) => e.type)).toEqual(['hello', 'run', 'audit', 'connector-removed']);
    expect(events[3]).toMatchObject({ urlMarker: 'files-integrator', connectorName: 'C' });
    const hello = events[0] as Extract<DaemonEvent, { type: 'hello' }>;
    expect(hello.status.integrationServiceSummaries[0]?.integrationConnectorReports[0]?.connectorId).toBe('OakDeneLandingAreaFilesMonitor');
    expect(activity).toBeGreaterThanOrEqual(1);
  });
});

describe('DaemonClient against an Egeria-style daemon', () => {
  it('a connector-removed event without the connector it names is a protocol error, not a silent removal', async () => {
    const sse = createServer((req, res) => {
      if (!req.url?.endsWith('/events')) return res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('event: connector-removed\nid: 1\ndata: {"type":"connector-removed","sequence":1,"serverTime":"t","urlMarker":"x"}\n\n');
    });
    await new Promise<void>((resolve) => sse.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(sse.address() as AddressInfo).port}`;
      const c = new DaemonClient({ url, serverName: SERVER_NAME, userId: USER_ID });
      const seen: DaemonEvent[] = [];
      const failure = await c
        .subscribe((e) => void seen.push(e), new AbortController().signal)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(failure).toBeInstanceOf(DaemonClientError);
      expect(String((failure as Error).message)).toContain('connector-removed');
      expect(seen).toEqual([]);
    } finally {
      await new Promise((resolve) => sse.close(resolve));
    }
  });

  it('treats an HTTP 200 answer with relatedHTTPCode 404 as the refusal it is', async () => {
    const seedEnvelope = {
      class: 'VoidResponse',
      relatedHTTPCode: 404,
      exceptionClassName: 'org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException',
      actionDescription: 'refreshService',
      exceptionErrorMessage: 'OMAG-MULTI-TENANT-404-001 The OMAG Server cocoMDS1 is not available to service a request from user garygeeke',
      exceptionErrorMessageId: 'OMAG-MULTI-TENANT-404-001',
      exceptionErrorMessageParameters: ['cocoMDS1', 'garygeeke'],
      exceptionSystemAction: 'The system is unable to process the request because the server is not running on the called platform.',
      exceptionUserAction:
        'Verify that the correct server is being called on the correct platform and that this server is running. Retry the request when the server is available.',
      exceptionProperties: { serverName: 'cocoMDS1', parameterName: 'serverName' },
    };
    const egeria = await standIn(() => ({ status: 200, body: seedEnvelope }));
    try {
      const error = await rejection(
        new DaemonClient({ url: egeria.url, serverName: 'cocoMDS1', userId: 'garygeeke' }).refreshService('files-integrator'),
      );
      expect(error.httpStatus).toBe(404);
      expect(error.messageId).toBe('OMAG-MULTI-TENANT-404-001');
      expect(error.envelope).toEqual(seedEnvelope);
    } finally {
      egeria.server.close();
    }
  });

  it('reads the seed status from an Egeria daemon; its missing event stream is a 404', async () => {
    const seed = seedExamples().statusRunning;
    const egeria = await standIn((path) =>
      path.endsWith('/status') ? { status: 200, body: seed } : { status: 404, body: { error: 'Not Found' } },
    );
    try {
      const egeriaClient = new DaemonClient({ url: egeria.url, serverName: 'exchangeDL01', userId: 'u' });
      const status = await egeriaClient.status();
      expect(status.integrationServiceSummaries[0]?.integrationConnectorReports.map((r) => r.connectorStatus)).toEqual([
        'RUNNING',
        'RUNNING',
        'RUNNING',
      ]);
      const error = await rejection(egeriaClient.subscribe(() => undefined, new AbortController().signal));
      expect(error.httpStatus).toBe(404);
      expect(error.messageId).toBe('INTEGRATION-DAEMON-CLIENT-404-001');
    } finally {
      egeria.server.close();
    }
  });

  it('an answer that is not a daemon answer is a protocol error', async () => {
    const other = await standIn(() => ({ status: 200, body: { hello: 'world' } }));
    try {
      const error = await rejection(new DaemonClient({ url: other.url, serverName: 's', userId: 'u' }).status());
      expect(error.kind).toBe('protocol');
      expect(error.messageId).toBe('INTEGRATION-DAEMON-CLIENT-502-001');
    } finally {
      other.server.close();
    }
  });
});

describe('arguments that cannot be sent', () => {
  it('a name that is not valid Unicode is refused before anything is sent, with its message id and fix', async () => {
    const error = await rejection(client.retryNow('\ud800Monitor'));
    expect(error.kind).toBe('invalid');
    expect(error.messageId).toBe('INTEGRATION-DAEMON-CLIENT-400-001');
    expect(error.userAction).not.toBe('');
    expect(f.daemon.calls.map((c) => c.method)).not.toContain('retryNow');
    expect(() => new DaemonClient({ url: f.server.url, serverName: 'a\udc00', userId: USER_ID })).toThrow(
      /INTEGRATION-DAEMON-CLIENT-400-001/,
    );
  });

  it('a token a header cannot carry is refused without repeating it, not reported as an unreachable daemon', async () => {
    for (const token of ['line\nbreak-0123456789', 'Ωmega-0123456789', 'with space-0123456789']) {
      const bad = new DaemonClient({ url: f.server.url, serverName: SERVER_NAME, userId: USER_ID, token });
      const error = await rejection(bad.status());
      expect(error.messageId).toBe('INTEGRATION-DAEMON-CLIENT-400-002');
      expect(error.kind).toBe('invalid');
      expect(error.transient).toBe(false);
      expect(`${error.message} ${error.userAction}`).not.toContain(token);
      const streaming = await rejection(bad.subscribe(() => undefined, new AbortController().signal));
      expect(streaming.messageId).toBe('INTEGRATION-DAEMON-CLIENT-400-002');
    }
  });
});
