// An in-memory StateStore for the recovery unit tests (pure logic; the SQLite store has its own tests).
import { expect } from 'vitest';
import type { ConnectorRun } from '../../../shared/api/types.js';
import { findAuditMessage } from '../../../electron/engine/audit/catalogue.js';
import {
  heldArchiveKey,
  type StateStore,
  type StoredBreaker,
  type StoredConnectorRetry,
  type StoredHeldArchive,
  type StoredObjectRetry,
} from '../../../electron/engine/state/types.js';

export class MemoryStateStore implements StateStore {
  readonly path = ':memory:';
  objectRetries = new Map<string, StoredObjectRetry>();
  connectorRetries = new Map<string, StoredConnectorRetry>();
  breakers = new Map<string, StoredBreaker>();
  runs: ConnectorRun[] = [];
  heldArchives = new Map<string, StoredHeldArchive>();

  close(): void {}
  putObjectRetry(retry: StoredObjectRetry): void {
    this.objectRetries.set(`${retry.connectorId}/${retry.objectKey}`, { ...retry });
  }
  getObjectRetry(connectorId: string, objectKey: string): StoredObjectRetry | undefined {
    const row = this.objectRetries.get(`${connectorId}/${objectKey}`);
    return row && { ...row };
  }
  deleteObjectRetry(connectorId: string, objectKey: string): void {
    this.objectRetries.delete(`${connectorId}/${objectKey}`);
  }
  listObjectRetries(connectorId?: string): StoredObjectRetry[] {
    return [...this.objectRetries.values()].filter((r) => !connectorId || r.connectorId === connectorId).map((r) => ({ ...r }));
  }
  putConnectorRetry(retry: StoredConnectorRetry): void {
    this.connectorRetries.set(retry.connectorId, { ...retry });
  }
  getConnectorRetry(connectorId: string): StoredConnectorRetry | undefined {
    const row = this.connectorRetries.get(connectorId);
    return row && { ...row };
  }
  deleteConnectorRetry(connectorId: string): void {
    this.connectorRetries.delete(connectorId);
  }
  listConnectorRetries(): StoredConnectorRetry[] {
    return [...this.connectorRetries.values()];
  }
  putBreaker(breaker: StoredBreaker): void {
    this.breakers.set(breaker.metadataServerName, { ...breaker });
  }
  getBreaker(metadataServerName: string): StoredBreaker | undefined {
    const row = this.breakers.get(metadataServerName);
    return row && { ...row };
  }
  putHeldArchive(held: StoredHeldArchive): void {
    this.heldArchives.set(heldArchiveKey(held), structuredClone(held));
  }
  deleteHeldArchive(key: string): void {
    this.heldArchives.delete(key);
  }
  listHeldArchives(): StoredHeldArchive[] {
    return [...this.heldArchives.values()].map((h) => structuredClone(h));
  }
  putRun(run: ConnectorRun): void {
    this.runs.push(run);
  }
  listRuns(filter: { connectorName?: string; limit: number }): ConnectorRun[] {
    return this.runs.filter((r) => !filter.connectorName || r.connectorName === filter.connectorName).slice(-filter.limit);
  }
}

/** Every audit record names a message the daemon knows, with as many parameters as its template uses. */
export function expectCatalogued(audits: [string, string[]][]): void {
  for (const [messageId, parameters] of audits) {
    const template = findAuditMessage(messageId)?.template;
    expect(template, messageId).toBeDefined();
    const used = [...(template ?? '').matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1]));
    expect(parameters, messageId).toHaveLength(Math.max(-1, ...used) + 1);
  }
}
