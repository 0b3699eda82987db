import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTEGRATION_SERVICES, findService, registeredServices, serviceSummary, wrongKindMessage } from '../../electron/engine/services.js';

const seed = readFileSync(new URL('../fixtures/integration-daemon-troubleshooting.txt', import.meta.url), 'utf8');

/** The seed's registered-services JSON, cut out of the page. */
function seedRegisteredServices(): Array<Record<string, string>> {
  const start = seed.indexOf('{\n    "class": "RegisteredOMAGServicesResponse"');
  const end = seed.indexOf('\n}\n', start) + 2;
  return (JSON.parse(seed.slice(start, end)) as { services: Array<Record<string, string>> }).services;
}

describe('integration services registry', () => {
  it("lists the six services exactly as the seed's registered-services response, in its order", () => {
    const ours = registeredServices();
    const theirs = seedRegisteredServices();
    expect(ours.map(({ serviceId: _id, ...rest }) => rest)).toEqual(theirs);
  });

  it("uses Egeria's service ids (files 4005 and database 4004 as in the seed's status response)", () => {
    expect(Object.fromEntries(INTEGRATION_SERVICES.map((s) => [s.urlMarker, s.integrationServiceId]))).toEqual({
      'files-integrator': 4005,
      'security-integrator': 4008,
      'database-integrator': 4004,
      'lineage-integrator': 4006,
      'catalog-integrator': 4000,
      'organization-integrator': 4007,
    });
  });

  it('declares the connector kind each service accepts', () => {
    expect(INTEGRATION_SERVICES.map((s) => [s.urlMarker, s.connectorKind])).toEqual([
      ['files-integrator', 'files'],
      ['security-integrator', 'security'],
      ['database-integrator', 'database'],
      ['lineage-integrator', 'lineage'],
      ['catalog-integrator', 'catalog'],
      ['organization-integrator', 'organization'],
    ]);
    expect(findService('nope')).toBeUndefined();
  });

  it("produces the seed's OMIS-DATABASE-INTEGRATOR-400-001 text word for word", () => {
    const message = wrongKindMessage(findService('database-integrator')!, 'OakDeneLandingAreaDatabaseMonitor', 'files');
    const expected =
      'OMIS-DATABASE-INTEGRATOR-400-001 Integration connector OakDeneLandingAreaDatabaseMonitor is not of the correct type to run in the Database Integrator OMIS integration service.  It must inherit from org.odpi.openmetadata.integrationservices.database.connector.DatabaseIntegratorConnector';
    expect(message.message).toBe(expected);
    expect(seed).toContain(`"failingExceptionMessage": "${expected}"`);
    expect(message.messageId).toBe('OMIS-DATABASE-INTEGRATOR-400-001');
    expect(message.httpCode).toBe(400);
    expect(message.systemAction).toContain('CONFIG_FAILED');
    expect(message.userAction).toContain('files-integrator');
    expect(message.exceptionClassName).toBe('org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException');
  });

  it('gives every service its own message id and interface', () => {
    const files = wrongKindMessage(findService('files-integrator')!, 'X');
    expect(files.messageId).toBe('OMIS-FILES-INTEGRATOR-400-001');
    expect(files.text).toContain('org.odpi.openmetadata.integrationservices.files.connector.FilesIntegratorConnector');
    expect(files.userAction).toContain('appropriate integration service');
  });

  it("builds the status summary in the seed's field order", () => {
    const summary = serviceSummary(findService('files-integrator')!, []);
    expect(Object.keys(summary)).toEqual([
      'integrationServiceId',
      'integrationServiceFullName',
      'integrationServiceURLMarker',
      'integrationServiceDescription',
      'integrationServiceWiki',
      'integrationConnectorReports',
    ]);
    expect(summary).toMatchObject({ integrationServiceId: 4005, integrationServiceFullName: 'Files Integrator OMIS' });
  });
});
