// Managing one connector at a time (the console's add, edit and remove forms, and their "test connection"): each
// change is an edit of the configuration document made through ConfigAdmin, so it is validated, written and applied
// exactly like PUT /configuration and restarts only that connector. Problems come back with paths relative to the
// connector entry, so a form shows each next to its field.
import { randomUUID } from 'node:crypto';
import { restoreRedacted } from '../../../shared/api/redact.js';
import type { ConfigurationProblem, ConnectorTestResponse } from '../../../shared/api/types.js';
import type { ConnectorInstanceConfig } from '../../connector-sdk/index.js';
import type { ConnectorConfig } from '../config/types.js';
import { validateConfigWithModules } from '../config/validate.js';
import { DaemonRequestError, type ConnectorTestRun } from '../daemon-api.js';
import { findService, urlMarkers } from '../services.js';
import { runConnectionTest } from '../workbench/connection-test.js';
import type { DaemonParts } from './assembly.js';
import type { ConfigAdmin } from './config-admin.js';

type Entry = Record<string, unknown>;

function isRecord(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function services(document: Entry): Entry[] {
  if (!Array.isArray(document.integrationServices)) document.integrationServices = [];
  return (document.integrationServices as unknown[]).filter(isRecord);
}

function connectorsOf(service: Entry): unknown[] {
  if (!Array.isArray(service.connectors)) service.connectors = [];
  return service.connectors as unknown[];
}

/** Where a connector's entry is in the document, as a JSON path prefix, and the entry's list and index. */
interface Place {
  prefix: string;
  list: unknown[];
  index: number;
}

function placeOf(document: Entry, connectorName: string): Place | undefined {
  const all = Array.isArray(document.integrationServices) ? (document.integrationServices as unknown[]) : [];
  for (const [s, service] of all.entries()) {
    if (!isRecord(service)) continue;
    const list = connectorsOf(service);
    const index = list.findIndex((c) => isRecord(c) && c.connectorName === connectorName);
    if (index >= 0) return { prefix: `integrationServices[${s}].connectors[${index}]`, list, index };
  }
  return undefined;
}

/** Appends the entry to the service's connectors (adding the service when the document has none of it yet). */
function appendEntry(document: Entry, urlMarker: string, entry: Entry): Place {
  const list = services(document);
  let service = list.find((s) => s.urlMarker === urlMarker);
  if (service === undefined) {
    service = { urlMarker, connectors: [] };
    (document.integrationServices as unknown[]).push(service);
  }
  const connectors = connectorsOf(service);
  connectors.push(entry);
  const s = (document.integrationServices as unknown[]).indexOf(service);
  return { prefix: `integrationServices[${s}].connectors[${connectors.length - 1}]`, list: connectors, index: connectors.length - 1 };
}

/** A problem's path made relative to the connector entry; problems elsewhere keep their document path. */
function relative(problems: readonly ConfigurationProblem[], prefix: string): ConfigurationProblem[] {
  return problems.map((p) => {
    if (p.path === prefix) return { ...p, path: '' };
    if (p.path.startsWith(`${prefix}.`)) return { ...p, path: p.path.slice(prefix.length + 1) };
    return p;
  });
}

export function connectorEntryRejected(serverName: string, connectorName: string, problems: ConfigurationProblem[]): DaemonRequestError {
  const summary = problems.map((p) => `${p.path || '(entry)'}: ${p.message}`).join(' | ');
  const error = new DaemonRequestError(
    400,
    'INTEGRATION-DAEMON-CONFIG-400-050',
    `The connector entry ${connectorName} for integration daemon ${serverName} was refused with ${problems.length} problem(s): ${summary}`,
    [connectorName, serverName, summary],
    'Nothing was saved; the running connectors and the configuration file are unchanged.',
    'Correct each problem (each names its field and the fix) and send the entry again.',
  );
  error.problems = problems;
  return error;
}

function unknownMarker(serverName: string, urlMarker: string): DaemonRequestError {
  const markers = urlMarkers();
  const error = new DaemonRequestError(
    404,
    'INTEGRATION-DAEMON-CONFIG-404-051',
    `There is no integration service with URL marker ${urlMarker} in this integration daemon's catalogue of services`,
    [urlMarker, serverName],
    'Nothing was saved.',
    `Use one of the integration service URL markers: ${markers.join(', ')}.`,
  );
  error.problems = [
    {
      path: 'urlMarker',
      messageId: error.messageId,
      message: `${urlMarker} is not an integration service URL marker.`,
      fix: error.userAction,
    },
  ];
  return error;
}

export class ConnectorAdmin {
  constructor(
    private readonly parts: DaemonParts,
    private readonly admin: ConfigAdmin,
  ) {}

  async add(urlMarker: string, entry: Entry): Promise<void> {
    if (findService(urlMarker) === undefined) throw unknownMarker(this.parts.serverName, urlMarker);
    const name = typeof entry.connectorName === 'string' ? entry.connectorName : '(unnamed)';
    let prefix = '';
    await this.refusedAsEntry(
      name,
      () => prefix,
      () =>
        this.admin.edit((document) => {
          prefix = appendEntry(document, urlMarker, structuredClone(entry)).prefix;
        }),
    );
  }

  async update(connectorName: string, entry: Entry): Promise<void> {
    this.parts.registry.byName(connectorName);
    let prefix = '';
    await this.refusedAsEntry(
      connectorName,
      () => prefix,
      () =>
        this.admin.edit((document) => {
          const place = placeOf(document, connectorName);
          if (place === undefined)
            throw new Error(`INTEGRATION-DAEMON-SERVICES-500-102 The configuration document has no entry for ${connectorName}`);
          // The entry was read redacted (GET …/configuration): its `***` stand for the secrets it replaces.
          place.list[place.index] = restoreRedacted({ connectorName, ...structuredClone(entry) }, place.list[place.index]);
          prefix = place.prefix;
        }),
    );
  }

  /** A connector's entry as the configuration document holds it (the caller redacts it for the wire). */
  entry(connectorName: string): Entry {
    this.parts.registry.byName(connectorName);
    const document = this.admin.currentDocument();
    const place = placeOf(document, connectorName);
    const found = place?.list[place.index];
    if (!isRecord(found))
      throw new Error(`INTEGRATION-DAEMON-SERVICES-500-102 The configuration document has no entry for ${connectorName}`);
    return found;
  }

  async remove(connectorName: string): Promise<void> {
    this.parts.registry.byName(connectorName);
    await this.admin.edit((document) => {
      const place = placeOf(document, connectorName);
      if (place !== undefined) place.list.splice(place.index, 1);
    });
  }

  /** Tests a configured connector with its running configuration. */
  test(connectorName: string, run: ConnectorTestRun): Promise<ConnectorTestResponse> {
    const handler = this.parts.registry.byName(connectorName);
    return this.runTest(handler.config, run);
  }

  /** Tests an entry not saved yet: it is validated as if added, then tested; nothing is saved or started. */
  async testEntry(urlMarker: string, entry: Entry, run: ConnectorTestRun): Promise<ConnectorTestResponse> {
    if (findService(urlMarker) === undefined) throw unknownMarker(this.parts.serverName, urlMarker);
    const name = typeof entry.connectorName === 'string' ? entry.connectorName : '(unnamed)';
    const document = this.admin.currentDocument();
    // A configured connector of the same name is being edited: test the entry in its place.
    const existing = placeOf(document, name);
    // An entry read redacted is tested with the secrets it stands for.
    const tested = existing === undefined ? structuredClone(entry) : (restoreRedacted(entry, existing.list[existing.index]) as Entry);
    if (existing !== undefined) existing.list.splice(existing.index, 1);
    const { prefix } = appendEntry(document, urlMarker, tested);
    this.admin.refuseNewModuleProviders(document);
    const result = await validateConfigWithModules(document, { providers: this.parts.providers, baseDirectory: this.parts.baseDirectory });
    if (!result.ok) throw connectorEntryRejected(this.parts.serverName, name, relative(result.problems, prefix));
    const connector = result.config.integrationServices.flatMap((s) => s.connectors).find((c) => c.connectorName === name);
    if (connector === undefined) throw new Error(`INTEGRATION-DAEMON-SERVICES-500-103 The validated document lost connector ${name}`);
    return this.runTest(connector, run);
  }

  private async runTest(connector: ConnectorConfig, run: ConnectorTestRun): Promise<ConnectorTestResponse> {
    const provider = await this.parts.providers.resolve(connector.connectorProvider, this.parts.baseDirectory);
    const config: ConnectorInstanceConfig = {
      connectorName: connector.connectorName,
      connectorId: connector.connectorId,
      connectorInstanceId: randomUUID(),
      configurationProperties: structuredClone(connector.configurationProperties),
      permittedSynchronization: connector.permittedSynchronization,
      baseDirectory: this.parts.baseDirectory,
      ...(connector.endpointAddress !== undefined ? { endpointAddress: connector.endpointAddress } : {}),
    };
    return runConnectionTest(provider, config, run);
  }

  /** A refused document becomes a refused entry, its problems' paths relative to the entry. */
  private async refusedAsEntry(connectorName: string, prefix: () => string, change: () => Promise<void>): Promise<void> {
    try {
      await change();
    } catch (error) {
      if (error instanceof DaemonRequestError && error.problems !== undefined && prefix() !== '') {
        throw connectorEntryRejected(this.parts.serverName, connectorName, relative(error.problems, prefix()));
      }
      throw error;
    }
  }
}
