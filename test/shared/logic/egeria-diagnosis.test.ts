// The Egeria message table: error source, category and user action from a foreign daemon's message id and text.
import { describe, expect, it } from 'vitest';
import { diagnoseEgeriaMessage, EGERIA_MESSAGES } from '../../../shared/logic/egeria-diagnosis.js';

describe('diagnoseEgeriaMessage', () => {
  it('blames the metadata server for OMAG-MULTI-TENANT-404-001 (the seed: cocoMDS1 not running)', () => {
    const d = diagnoseEgeriaMessage(
      undefined,
      'OMAG-MULTI-TENANT-404-001 The OMAG Server cocoMDS1 is not available to service a request from user exchangeDL01npa',
    );
    expect(d).toMatchObject({ messageId: 'OMAG-MULTI-TENANT-404-001', errorSource: 'metadataServer', errorCategory: 'network' });
    expect(d?.userAction).toContain('Verify that the correct server is being called');
  });

  it("blames the connector's configuration for an OMIS 400 'not of the correct type'", () => {
    const text =
      'OMIS-DATABASE-INTEGRATOR-400-001 Integration connector OakDeneLandingAreaDatabaseMonitor is not of the correct type to run in the Database Integrator OMIS integration service.  It must inherit from org.odpi.openmetadata.integrationservices.database.connector.DatabaseIntegratorConnector';
    expect(diagnoseEgeriaMessage(undefined, text)).toMatchObject({ errorSource: 'connector', errorCategory: 'configuration' });
    // Another integration service's 400 of the same kind, not in the exact table, by family and by text.
    const other = text.replace('OMIS-DATABASE-INTEGRATOR', 'OMIS-LINEAGE-INTEGRATOR');
    expect(diagnoseEgeriaMessage(undefined, other)).toMatchObject({
      messageId: 'OMIS-LINEAGE-INTEGRATOR-400-001',
      errorSource: 'connector',
      errorCategory: 'configuration',
    });
  });

  it("blames the third-party technology for a connector's own id", () => {
    expect(
      diagnoseEgeriaMessage(
        'BASIC-FILES-INTEGRATION-CONNECTORS-404-001',
        'BASIC-FILES-INTEGRATION-CONNECTORS-404-001 The directory named data/x does not exist',
      ),
    ).toMatchObject({ errorSource: 'thirdParty', errorCategory: 'notFound' });
    expect(diagnoseEgeriaMessage(undefined, 'KAFKA-MONITOR-INTEGRATION-CONNECTOR-403-002 The topic cannot be read')).toMatchObject({
      errorSource: 'thirdParty',
      errorCategory: 'security',
    });
  });

  it('looks past the daemon id that wraps the connector’s exception', () => {
    const line =
      'INTEGRATION-DAEMON-SERVICES-0031 The integration connector X method initialize has returned with a org.odpi.openmetadata.frameworks.connectors.ffdc.InvalidParameterException exception containing message OMAG-MULTI-TENANT-404-001 The OMAG Server cocoMDS1 is not available';
    expect(diagnoseEgeriaMessage(undefined, line)?.messageId).toBe('OMAG-MULTI-TENANT-404-001');
    expect(diagnoseEgeriaMessage(undefined, 'OMRS-REPOSITORY-503-001 down')).toMatchObject({ errorSource: 'metadataServer' });
  });

  it('says nothing when there is no Egeria message id', () => {
    expect(diagnoseEgeriaMessage(undefined, 'java.lang.NullPointerException')).toBeUndefined();
    expect(diagnoseEgeriaMessage(undefined, undefined)).toBeUndefined();
  });

  it('gives every table row a user action', () => {
    for (const [id, row] of Object.entries(EGERIA_MESSAGES)) {
      expect(row.userAction.length, id).toBeGreaterThan(20);
      expect(diagnoseEgeriaMessage(id, undefined)?.messageId).toBe(id);
    }
  });
});
