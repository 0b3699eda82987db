// The client's workbench calls against small real HTTP servers: a daemon that answers a test whole (no stream) still
// reports each step; a stream that ends without its result is a protocol error; a refused entry resolves with its
// problems through connectorSaveResult, while an unreachable daemon rejects.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorTestStep } from '../../../shared/api/types.js';
import { DaemonClient } from '../../../shared/client/client.js';
import { DaemonClientError } from '../../../shared/client/errors.js';
import { connectorSaveResult } from '../../../shared/client/workbench.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  server = undefined;
});

async function answering(status: number, contentType: string, body: string): Promise<DaemonClient> {
  server = createServer((request, response) => {
    request.resume();
    response.writeHead(status, { 'Content-Type': contentType });
    response.end(body);
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return new DaemonClient({ url: `http://127.0.0.1:${port}`, serverName: 's', userId: 'u', token: 'token-0123456789abcdef' });
}

const step: ConnectorTestStep = { name: 'answers', status: 'PASSED', message: 'ok', durationMs: 2 };
const result = { class: 'ConnectorTestResponse', relatedHTTPCode: 200, connectorName: 'c', providerName: 'p', passed: true, steps: [step] };

describe('workbench calls', () => {
  it('reports the steps of a test answered whole', async () => {
    const client = await answering(200, 'application/json', JSON.stringify(result));
    const seen: ConnectorTestStep[] = [];
    expect((await client.testConnector('c', { onStep: (s) => seen.push(s) })).passed).toBe(true);
    expect(seen).toEqual([step]);
  });

  it('reads a stream of steps, and refuses one that ends without its result', async () => {
    const streamed = await answering(200, 'application/x-ndjson', `${JSON.stringify(step)}\n${JSON.stringify(result)}\n`);
    expect((await streamed.testConnectorEntry('files-integrator', {})).steps).toEqual([step]);
    await new Promise((done) => server?.close(done));
    const cut = await answering(200, 'application/x-ndjson', `${JSON.stringify(step)}\n`);
    await expect(cut.testConnector('c')).rejects.toMatchObject({ kind: 'protocol' });
  });

  it('resolves a refused entry with its problems; rejects when the daemon cannot be reached', async () => {
    const refusal = {
      class: 'VoidResponse',
      relatedHTTPCode: 400,
      exceptionErrorMessageId: 'INTEGRATION-DAEMON-CONFIG-400-050',
      exceptionErrorMessage: 'INTEGRATION-DAEMON-CONFIG-400-050 refused',
      exceptionUserAction: 'Correct each problem.',
      problems: [{ path: 'endpointAddress', messageId: 'X', message: 'missing', fix: 'Set it.' }],
    };
    const client = await answering(400, 'application/json', JSON.stringify(refusal));
    const saved = await connectorSaveResult(() => client.addConnector('files-integrator', {}));
    expect(saved).toMatchObject({ saved: false, messageId: 'INTEGRATION-DAEMON-CONFIG-400-050', problems: refusal.problems });
    const nowhere = new DaemonClient({ url: 'http://127.0.0.1:9', serverName: 's', userId: 'u' });
    await expect(connectorSaveResult(() => nowhere.removeConnector('c'))).rejects.toBeInstanceOf(DaemonClientError);
  });
});
