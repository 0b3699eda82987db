// Configuration admin of a running daemon (REST and CLI): every change edits a copy of the document as the user
// wrote it, is validated like a file at start-up, written atomically, and then restarts only the connectors whose
// entry changed, starts new ones and stops removed ones. The sections that shape the daemon itself (serverName,
// metadataServer, auditLog, rest) only change with a restart, and code (a provider module) is only added on the host.
import { isDeepStrictEqual } from 'node:util';
import { writeConfigAtomically } from '../config/load.js';
import type { ConnectorConfig, DaemonConfig } from '../config/types.js';
import { validateConfigWithModules } from '../config/validate.js';
import type { ConnectorHandler } from '../lifecycle/connector-handler.js';
import { isoTime } from '../lifecycle/time.js';
import type { IntegrationServiceDefinition } from '../services.js';
import type { DaemonParts } from './assembly.js';
import { documentRejected, moduleProvidersRefused, sectionFixedWhileRunning, unreadableDocument } from './request-errors.js';
import { errorText } from '../../../shared/api/error-text.js';
import { rememberSecretsOf, restoreRedacted } from '../../../shared/api/redact.js';
import { actingUserId } from '../request-user.js';

export class ConfigAdmin {
  private changes: Promise<void> = Promise.resolve();

  constructor(private readonly parts: DaemonParts) {}

  async updateConfigurationProperties(
    connectorName: string | undefined,
    properties: Record<string, unknown>,
    mergeUpdate: boolean,
  ): Promise<void> {
    const targets = this.parts.registry.named(connectorName).map((h) => h.connectorName);
    await this.oneChangeAtATime(() => this.changeProperties(targets, properties, mergeUpdate));
  }

  async updateEndpointAddress(connectorName: string, address: string): Promise<void> {
    const { registry, audit, serverName } = this.parts;
    const handler = registry.byName(connectorName);
    await this.oneChangeAtATime(async () => {
      const document = this.editableDocument();
      connectorEntry(document, connectorName).endpointAddress = address;
      await this.applyDocument(document, () => {
        const userId = actingUserId(this.parts.config.localServerUserId);
        audit.log('INTEGRATION-DAEMON-SERVICES-0057', [userId, connectorName, serverName, address], {
          connectorName,
          urlMarker: handler.service.urlMarker,
        });
      });
    });
  }

  /**
   * Validates the new document, writes it atomically (when the daemon has a file), then restarts only the
   * connectors whose configuration changed, starts new ones and stops removed ones.
   */
  async replaceConfiguration(document: unknown): Promise<void> {
    let copy: unknown;
    try {
      copy = structuredClone(document);
    } catch (error) {
      throw unreadableDocument(this.parts.serverName, errorText(error));
    }
    this.refuseNewModuleProviders(copy);
    // The document was read redacted: its `***` stand for the secrets of the document it replaces.
    await this.oneChangeAtATime(() => this.applyDocument(restoreRedacted(copy, this.parts.document), () => undefined));
  }

  /**
   * Applies an edit of a copy of the document (validated, written, then only the connectors it touches restarted),
   * in turn with every other change. A refusal carries each problem with its path in the document.
   */
  edit(change: (document: Record<string, unknown>) => void, beforeRestarts: () => void = () => undefined): Promise<void> {
    return this.oneChangeAtATime(async () => {
      const document = this.editableDocument();
      change(document);
      this.refuseNewModuleProviders(document);
      await this.applyDocument(document, beforeRestarts);
    });
  }

  /** A copy of the document as the user wrote it, to try an edit on without applying it. */
  currentDocument(): Record<string, unknown> {
    return this.editableDocument();
  }

  private async changeProperties(targets: string[], properties: Record<string, unknown>, mergeUpdate: boolean): Promise<void> {
    const { registry, audit, serverName } = this.parts;
    const document = this.editableDocument();
    for (const name of targets) {
      const entry = connectorEntry(document, name);
      const current = isRecord(entry.configurationProperties) ? entry.configurationProperties : {};
      const sent = restoreRedacted(properties, current) as Record<string, unknown>;
      entry.configurationProperties = mergeUpdate ? { ...current, ...sent } : sent;
    }
    await this.applyDocument(document, () => {
      const userId = actingUserId(this.parts.config.localServerUserId);
      for (const name of targets) {
        const handler = registry.get(name);
        const context = {
          connectorName: name,
          ...(handler ? { urlMarker: handler.service.urlMarker } : {}),
        };
        if (!mergeUpdate && Object.keys(properties).length === 0) {
          audit.log('INTEGRATION-DAEMON-SERVICES-0016', [userId, name, serverName], context);
        } else {
          audit.log('INTEGRATION-DAEMON-SERVICES-0015', [userId, name, serverName, Object.keys(properties).join(', ')], context);
        }
      }
    });
  }

  /**
   * A provider given as a module path is code the daemon imports. The operator token may restart and reconfigure
   * connectors, but adding code to run is left to whoever can edit the configuration file on the host: validation
   * would already import the module, so the check comes before it.
   */
  refuseNewModuleProviders(document: unknown): void {
    const { providers, baseDirectory } = this.parts;
    // Compared as the files they would import: "./p.mjs" and "p.mjs\t" are one module, "evil.mjs " is a new one.
    const moduleFile = (spec: string) => providers.moduleFile(spec, baseDirectory);
    const known = new Set(providerSpecs(this.parts.document).map(moduleFile));
    const added = providerSpecs(document).filter((spec) => {
      const file = moduleFile(spec);
      return file !== undefined && !known.has(file);
    });
    if (added.length > 0)
      throw moduleProvidersRefused(
        this.parts.serverName,
        added.map((spec) => JSON.stringify(spec)),
      );
  }

  /**
   * Admin changes edit a copy of the current document; run one at a time so that two requests arriving together
   * both take effect instead of the second overwriting the first.
   */
  private oneChangeAtATime(change: () => Promise<void>): Promise<void> {
    const next = this.changes.then(change);
    this.changes = next.catch(() => undefined);
    return next;
  }

  private editableDocument(): Record<string, unknown> {
    const copy = structuredClone(this.parts.document);
    if (!isRecord(copy))
      throw new Error('INTEGRATION-DAEMON-SERVICES-500-101 The configuration document held by the daemon is not an object');
    return copy;
  }

  private async applyDocument(document: unknown, beforeRestarts: () => void): Promise<void> {
    const { parts } = this;
    // Before validation: its problems are audited and answered, and may quote the document's connection strings.
    rememberSecretsOf(document);
    const result = await validateConfigWithModules(document, { providers: parts.providers, baseDirectory: parts.baseDirectory });
    if (!result.ok) {
      const summary = result.problems.map((p) => `${p.messageId} ${p.path || '(document)'}: ${p.message} Fix: ${p.fix}`).join(' | ');
      parts.audit.log('INTEGRATION-DAEMON-SERVICES-0105', [parts.serverName, summary]);
      const rejected = documentRejected(parts.serverName, result.problems.length, summary);
      rejected.problems = result.problems.map(({ path, messageId, message, fix }) => ({ path, messageId, message, fix }));
      throw rejected;
    }
    const next = result.config;
    for (const section of ['serverName', 'metadataServer', 'auditLog', 'rest'] as const) {
      if (!isDeepStrictEqual(next[section], parts.config[section])) throw sectionFixedWhileRunning(parts.serverName, section);
    }
    if (parts.configPath) await writeConfigAtomically(parts.configPath, document);
    parts.document = document;
    beforeRestarts();
    await this.reconcile(next);
  }

  private async reconcile(next: DaemonConfig): Promise<void> {
    const { parts } = this;
    const { registry } = parts;
    const wanted = new Map<string, { connector: ConnectorConfig; service: IntegrationServiceDefinition }>();
    for (const s of next.integrationServices) {
      const service = registry.service(s.urlMarker);
      for (const connector of s.connectors) wanted.set(connector.connectorName, { connector, service });
    }
    const restarted: string[] = [];
    const started: string[] = [];
    const stopped: string[] = [];
    const work: Array<() => Promise<void>> = [];
    const kept = new Map<string, ConnectorHandler>();
    for (const [name, handler] of registry.entries()) {
      const target = wanted.get(name);
      // An integration group's connector is its group's business unless the document now names it.
      if (!target && registry.groupOf(name) !== undefined) continue;
      if (!target || target.service !== handler.service) {
        stopped.push(name);
        work.push(async () => {
          await handler.remove();
          parts.queue.discard(handler.connectorId);
          // After its last status: every console watching the daemon drops the row, not only the one that removed it.
          parts.events.publish({
            type: 'connector-removed',
            serverTime: isoTime(parts.clock.now()),
            urlMarker: handler.service.urlMarker,
            connectorName: name,
          });
        });
        continue;
      }
      kept.set(name, handler);
      if (!isDeepStrictEqual(target.connector, handler.config)) {
        restarted.push(name);
        work.push(() => handler.reconfigure(target.connector));
      }
    }
    parts.config = next;
    parts.env.userId = next.localServerUserId;
    // In the order of the new document, so status() lists connectors as the document does.
    const ordered = new Map<string, ConnectorHandler>();
    const fresh: ConnectorHandler[] = [];
    for (const [name, { connector, service }] of wanted) {
      const existing = kept.get(name);
      const handler = existing ?? registry.create(connector, service);
      ordered.set(name, handler);
      if (!existing) fresh.push(handler);
    }
    registry.replaceAll(ordered);
    for (const handler of fresh) {
      started.push(handler.connectorName);
      work.push(() => handler.restart('change'));
    }
    parts.audit.log('INTEGRATION-DAEMON-SERVICES-0104', [
      next.localServerUserId,
      parts.serverName,
      restarted.join(', ') || 'none',
      started.join(', ') || 'none',
      stopped.join(', ') || 'none',
    ]);
    await inTurns(work, CONCURRENT_CHANGES);
  }
}

/**
 * Connectors started, restarted or stopped at once by one configuration change. Each start runs the provider's
 * checks and opens what the connector needs; 200 new connectors at once would hold the event loop (and the health
 * check) for seconds, a few at a time keep it answering.
 */
const CONCURRENT_CHANGES = 8;

/** Runs the tasks, at most `limit` at a time; rejects with the first failure (the other tasks still run). */
async function inTurns(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++] as () => Promise<void>;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The connector's entry in the user's document (found by name across services). */
function connectorEntry(document: Record<string, unknown>, connectorName: string): Record<string, unknown> {
  const services = Array.isArray(document.integrationServices) ? document.integrationServices : [];
  for (const service of services) {
    if (!isRecord(service) || !Array.isArray(service.connectors)) continue;
    for (const connector of service.connectors) {
      if (isRecord(connector) && connector.connectorName === connectorName) return connector;
    }
  }
  throw new Error(`INTEGRATION-DAEMON-SERVICES-500-102 The configuration document has no entry for integration connector ${connectorName}`);
}

/** Every `connectorProvider` string of a configuration document, whatever else is wrong with it. */
function providerSpecs(document: unknown): string[] {
  const specs: string[] = [];
  const services = isRecord(document) && Array.isArray(document.integrationServices) ? document.integrationServices : [];
  for (const service of services) {
    const connectors = isRecord(service) && Array.isArray(service.connectors) ? service.connectors : [];
    for (const connector of connectors) {
      if (isRecord(connector) && typeof connector.connectorProvider === 'string') specs.push(connector.connectorProvider);
    }
  }
  return specs;
}
