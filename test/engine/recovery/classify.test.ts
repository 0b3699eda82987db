import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConnectorCallTimeoutError, classifyFailure, type ClassifyContext } from '../../../electron/engine/recovery/classify.js';
import { InvalidMetadataRequestError, MetadataServerUnavailableError } from '../../../electron/engine/metadata-server/types.js';
import { ConnectorError } from '../../../electron/connector-sdk/index.js';

const ctx = (over: Partial<ClassifyContext> = {}): ClassifyContext => ({
  via: 'connector',
  operation: 'refresh',
  scope: 'refresh',
  connectorName: 'OakDeneLandingAreaFilesMonitor',
  metadataServerName: 'cocoMDS1',
  userId: 'exchangeDL01npa',
  ...over,
});

const withCode = (code: string, message = `${code} happened`) => Object.assign(new Error(message), { code });

/** A real ECONNREFUSED: connect to a port nobody listens on. */
function refusedConnection(): Promise<Error> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: 1 });
    socket.on('error', (error) => resolve(error));
    socket.on('connect', () => {
      socket.destroy();
      resolve(new Error('port 1 unexpectedly accepted a connection'));
    });
  });
}

describe('classifyFailure', () => {
  it('gives an unavailable metadata server Egeria’s OMAG-MULTI-TENANT-404-001 id and text', () => {
    const error = new MetadataServerUnavailableError('cocoMDS1', 'connect ECONNREFUSED 127.0.0.1:5432');
    const c = classifyFailure(error, ctx({ via: 'metadataServer', operation: 'initialize', scope: 'connector' }));
    expect(c.source).toBe('metadataServer');
    expect(c.category).toBe('network');
    expect(c.messageId).toBe('OMAG-MULTI-TENANT-404-001');
    expect(c.message).toBe(
      'OMAG-MULTI-TENANT-404-001 The OMAG Server cocoMDS1 is not available to service a request from user exchangeDL01npa',
    );
    expect(c.parameters).toEqual(['cocoMDS1', 'exchangeDL01npa']);
    expect(c.userAction).toMatch(/Start the metadata server cocoMDS1/);
    expect(c.retryable).toBe(true);
    expect(c.detail).toMatch(/ECONNREFUSED/);
  });

  it('blames the connector, not the metadata server, when the metadata server refuses what the connector sent', () => {
    const refused = new InvalidMetadataRequestError(
      'INTEGRATION-DAEMON-METADATA-SERVER-400-001',
      'The qualifiedName of element 0 is empty; it must be a non-empty string.',
      'Give every element a non-empty qualifiedName that is unique within its metadata source.',
    );
    const c = classifyFailure(refused, ctx({ via: 'metadataServer' }));
    expect(c).toMatchObject({
      source: 'connector',
      category: 'generic',
      retryable: false,
      messageId: 'INTEGRATION-DAEMON-METADATA-SERVER-400-001',
    });
    expect(c.message).toBe(refused.message);
    expect(c.userAction).toMatch(/non-empty qualifiedName.*OakDeneLandingAreaFilesMonitor/);
  });

  it('takes the source from the client the call went through, not from the error', async () => {
    const refused = await refusedConnection();
    expect((refused as Error & { code?: string }).code).toBe('ECONNREFUSED');
    const viaThirdParty = classifyFailure(refused, ctx({ via: 'thirdParty' }));
    expect(viaThirdParty).toMatchObject({ source: 'thirdParty', category: 'network', retryable: true });
    expect(viaThirdParty.messageId).toBe('INTEGRATION-DAEMON-SERVICES-503-032');
    expect(viaThirdParty.message).toMatch(
      /^INTEGRATION-DAEMON-SERVICES-503-032 The integration connector OakDeneLandingAreaFilesMonitor could not reach its third-party technology during refresh/,
    );
    const viaMetadata = classifyFailure(refused, ctx({ via: 'metadataServer' }));
    expect(viaMetadata.messageId).toBe('OMAG-MULTI-TENANT-404-001');
    expect(classifyFailure(refused, ctx()).source).toBe('connector');
  });

  it('counts a ConnectorError flagged thirdParty as third-party even outside thirdParty(), and keeps its own id', () => {
    const error = new ConnectorError({
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
      text: 'The directory named /data/landing does not exist',
      category: 'notFound',
      retryable: true,
      userAction: 'Create the directory or correct the endpoint address.',
      parameters: ['/data/landing'],
      thirdParty: true,
    });
    const c = classifyFailure(error, ctx());
    expect(c).toMatchObject({
      source: 'thirdParty',
      category: 'notFound',
      messageId: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
      message: 'BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory named /data/landing does not exist',
      userAction: 'Create the directory or correct the endpoint address.',
      retryable: true,
      parameters: ['/data/landing'],
      exceptionClassName: 'ConnectorError',
    });
    const unflagged = new ConnectorError({ messageId: 'X-400-001', text: 'bad', category: 'configuration', userAction: 'fix it' });
    expect(classifyFailure(unflagged, ctx()).source).toBe('connector');
  });

  it('reads Node error codes, also through cause and AggregateError', async () => {
    const missing = await readFile('/nonexistent/definitely/not/here').catch((e: unknown) => e);
    expect(classifyFailure(missing, ctx({ via: 'thirdParty' })).category).toBe('notFound');
    const cases: [unknown, string][] = [
      [withCode('ECONNRESET'), 'network'],
      [withCode('EHOSTUNREACH'), 'network'],
      [withCode('ENOTFOUND'), 'network'],
      [withCode('EAI_AGAIN'), 'network'],
      [withCode('EPIPE'), 'network'],
      [withCode('ETIMEDOUT'), 'timeout'],
      [withCode('EACCES'), 'security'],
      [withCode('EPERM'), 'security'],
      [withCode('ENOTDIR'), 'notFound'],
      [withCode('EEXIST'), 'conflict'],
      [new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }), 'network'],
      [new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed'), 'network'],
      [new DOMException('The operation timed out.', 'TimeoutError'), 'timeout'],
      [new DOMException('This operation was aborted', 'AbortError'), 'timeout'],
      [withCode('28P01', 'password authentication failed for user "x"'), 'security'],
      [withCode('57P01', 'terminating connection due to administrator command'), 'network'],
      [withCode('3D000', 'database "nope" does not exist'), 'notFound'],
      [withCode('23505', 'duplicate key value'), 'conflict'],
      [withCode('SQLITE_BUSY', 'database is locked'), 'conflict'],
      [Object.assign(new Error('Service Unavailable'), { status: 503 }), 'network'],
      [Object.assign(new Error('Forbidden'), { statusCode: 403 }), 'security'],
    ];
    for (const [error, category] of cases)
      expect(classifyFailure(error, ctx({ via: 'thirdParty' })).category, String(error)).toBe(category);
  });

  it('gives a timeout id and the limit for a hung call', () => {
    const c = classifyFailure(new ConnectorCallTimeoutError('refresh', 5000), ctx());
    expect(c).toMatchObject({ source: 'connector', category: 'timeout', messageId: 'INTEGRATION-DAEMON-SERVICES-503-031' });
    expect(c.message).toBe(
      'INTEGRATION-DAEMON-SERVICES-503-031 The integration connector OakDeneLandingAreaFilesMonitor method refresh did not return within 5000 ms',
    );
    expect(c.userAction).toMatch(/raise the connector timeout/);
  });

  it('reports an unexpected throw with Egeria’s CONNECTOR_ERROR text', () => {
    const c = classifyFailure(
      new TypeError("Cannot read properties of undefined (reading 'path')"),
      ctx({ operation: 'start', scope: 'connector' }),
    );
    expect(c).toMatchObject({
      source: 'connector',
      category: 'generic',
      scope: 'connector',
      retryable: null,
      exceptionClassName: 'TypeError',
    });
    expect(c.message).toBe(
      "INTEGRATION-DAEMON-SERVICES-500-031 The integration connector OakDeneLandingAreaFilesMonitor method start has returned with a TypeError exception containing message Cannot read properties of undefined (reading 'path')",
    );
    expect(c.userAction).toMatch(/restart the connector/);
  });

  it('treats a schema failure as configuration and lists the paths', () => {
    const parsed = z.object({ directory: z.string(), depth: z.number() }).safeParse({ depth: 'x' });
    const c = classifyFailure(parsed.error, ctx({ operation: 'initialize', scope: 'connector' }));
    expect(c).toMatchObject({ category: 'configuration', messageId: 'INTEGRATION-DAEMON-SERVICES-400-032', retryable: false });
    expect(c.message).toMatch(/directory: .*; depth: /);
    expect(c.userAction).toMatch(/Correct the configurationProperties or endpointAddress/);
  });

  it('never throws, whatever was thrown', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const thrown of ['plain text', 42, null, undefined, circular, Symbol('s')]) {
      const c = classifyFailure(thrown, ctx());
      expect(c.category).toBe('generic');
      expect(c.messageId).toBe('INTEGRATION-DAEMON-SERVICES-500-031');
      expect(c.userAction.length).toBeGreaterThan(10);
    }
    expect(classifyFailure('plain text', ctx()).message).toMatch(/a string exception containing message plain text$/);
  });

  it('names the metadata server when it rejects a request while being up', () => {
    const c = classifyFailure(withCode('23505', 'duplicate key value violates unique constraint'), ctx({ via: 'metadataServer' }));
    expect(c).toMatchObject({ source: 'metadataServer', category: 'conflict', messageId: 'INTEGRATION-DAEMON-SERVICES-500-033' });
    expect(c.message).toMatch(
      /The metadata server cocoMDS1 rejected a request from integration connector OakDeneLandingAreaFilesMonitor during refresh/,
    );
  });
});
