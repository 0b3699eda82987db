// Security properties of the REST layer (bearer token, loopback bind, roles): credentials are never shown to the
// viewer role, tokens never appear in answers or logs, CORS never allows credentials, JSON is never sniffed.
import { afterEach, describe, expect, it } from 'vitest';
import { redactConnectionString, redactSecrets } from '../../../shared/api/redact.js';
import { OPERATOR_TOKEN, startFixture, VIEWER_TOKEN, type Fixture } from './fixture.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.server.close();
  f = undefined;
});

describe('credentials in the configuration', () => {
  it('redacts passwords in connection strings, JDBC parameters and secret-looking properties', () => {
    expect(redactConnectionString('postgresql://daemon:s3cr%40t@db.example:5432/egeria')).toBe(
      'postgresql://daemon:***@db.example:5432/egeria',
    );
    expect(redactConnectionString('jdbc:postgresql://db.example/egeria?user=daemon&password=s3cret&ssl=true')).toBe(
      'jdbc:postgresql://db.example/egeria?user=daemon&password=***&ssl=true',
    );
    expect(redactConnectionString('postgresql://daemon@db.example/egeria')).toBe('postgresql://daemon@db.example/egeria');
    expect(redactConnectionString('/data/landing-area')).toBe('/data/landing-area');
    expect(
      redactSecrets({
        metadataServer: { kind: 'postgres', connectionString: 'postgres://u:p@h/d' },
        configurationProperties: {
          apiKey: 'k',
          clientSecret: 'c',
          nested: { password: 'p', list: ['postgres://u:p@h/d'] },
          waitForDirectory: true,
          tokens: ['a'],
        },
      }),
    ).toEqual({
      metadataServer: { kind: 'postgres', connectionString: 'postgres://u:***@h/d' },
      configurationProperties: {
        apiKey: '***',
        clientSecret: '***',
        nested: { password: '***', list: ['postgres://u:***@h/d'] },
        waitForDirectory: true,
        tokens: ['***'],
      },
    });
  });

  it('the viewer and operator tokens read the configuration without credentials', async () => {
    f = await startFixture();
    const document = {
      serverName: f.daemon.serverName,
      metadataServer: { kind: 'postgres', connectionString: 'postgresql://daemon:hunter2@db:5432/egeria' },
      integrationServices: [],
    };
    await f.daemon.replaceConfiguration(document);
    const name = 'OakDeneLandingAreaFilesMonitor';
    await f.daemon.updateConfigurationProperties(name, { password: 'hunter2', waitForDirectory: true }, false);
    const read = async (path: string, token: string) =>
      (await fetch(`${f?.base}${path}`, { headers: { Authorization: `Bearer ${token}` } })).text();

    const viewerConfig = await read('/configuration', VIEWER_TOKEN);
    const viewerProperties = await read(`/integration-connectors/${name}/configuration-properties`, VIEWER_TOKEN);
    expect(viewerConfig).not.toContain('hunter2');
    expect(viewerProperties).not.toContain('hunter2');
    expect(JSON.parse(viewerConfig).configuration.metadataServer.connectionString).toBe('postgresql://daemon:***@db:5432/egeria');
    expect(JSON.parse(viewerProperties).properties).toEqual({ password: '***', waitForDirectory: true });

    // The operator token is no way to obtain a password either; writing the document back keeps it (real-daemon tests).
    expect(await read('/configuration', OPERATOR_TOKEN)).toBe(viewerConfig);
    expect(await read(`/integration-connectors/${name}/configuration-properties`, OPERATOR_TOKEN)).toBe(viewerProperties);
  });
});

describe('tokens and headers', () => {
  it('a wrong or missing token is refused without echoing it, and neither token reaches the log', async () => {
    f = await startFixture();
    const presented = `${OPERATOR_TOKEN}-but-wrong`;
    const wrong = await fetch(`${f.base}/status`, { headers: { Authorization: `Bearer ${presented}` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain(presented);
    await fetch(`${f.base}/no-such-operation`, { headers: f.auth });
    expect(f.logged.join('\n')).not.toContain(OPERATOR_TOKEN);
    expect(f.logged.join('\n')).not.toContain(VIEWER_TOKEN);
  });

  it('CORS allows any origin but never credentials; JSON answers forbid sniffing and caching', async () => {
    f = await startFixture();
    const preflight = await fetch(`${f.base}/status`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const answer = await fetch(`${f.base}/status`, { headers: { ...f.auth, Origin: 'http://evil.example' } });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const refused = await fetch(`${f.base}/status`);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('binds to loopback unless told otherwise', async () => {
    f = await startFixture();
    expect(new URL(f.server.url).hostname).toBe('127.0.0.1');
  });
});
