// The embedded metadata server's integration groups table and statements (schema version 3); sqlite.ts calls these
// inside its guard, so an unreachable file is reported as on every other call.
import type Database from 'better-sqlite3';
import { newGuid } from './guid.js';
import {
  connectorsText,
  parseConnectors,
  type IntegrationGroupContent,
  type IntegrationGroupStamp,
  type IntegrationGroupUpdate,
  type StoredIntegrationGroup,
} from './integration-groups.js';

export const INTEGRATION_GROUPS_TABLE = `
CREATE TABLE integration_groups (
  group_name  TEXT PRIMARY KEY,
  guid        TEXT NOT NULL UNIQUE,
  description TEXT,
  connectors  TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
);
`;

interface GroupRow {
  group_name: string;
  guid: string;
  description: string | null;
  connectors: string;
  create_time: number;
  update_time: number;
  version: number;
}

const COLUMNS = 'group_name, guid, description, connectors, create_time, update_time, version';

function toGroup(row: GroupRow): StoredIntegrationGroup {
  return {
    groupName: row.group_name,
    groupGUID: row.guid,
    ...(row.description !== null ? { description: row.description } : {}),
    connectors: parseConnectors(row.connectors),
    version: row.version,
    createTime: new Date(row.create_time).toISOString(),
    updateTime: new Date(row.update_time).toISOString(),
  };
}

export function listGroups(db: Database.Database): StoredIntegrationGroup[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM integration_groups ORDER BY group_name`).all() as GroupRow[]).map(toGroup);
}

export function getGroup(db: Database.Database, groupName: string): StoredIntegrationGroup | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM integration_groups WHERE group_name = ?`).get(groupName) as GroupRow | undefined;
  return row === undefined ? undefined : toGroup(row);
}

export function groupStamps(db: Database.Database, groupNames: readonly string[]): Map<string, IntegrationGroupStamp> {
  const stamps = new Map<string, IntegrationGroupStamp>();
  if (groupNames.length === 0) return stamps;
  const rows = db
    .prepare(`SELECT group_name, guid, version FROM integration_groups WHERE group_name IN (${groupNames.map(() => '?').join(', ')})`)
    .all(...groupNames) as Pick<GroupRow, 'group_name' | 'guid' | 'version'>[];
  for (const row of rows) stamps.set(row.group_name, { groupGUID: row.guid, version: row.version });
  return stamps;
}

export function createGroup(
  db: Database.Database,
  groupName: string,
  content: IntegrationGroupContent,
): StoredIntegrationGroup | undefined {
  const now = Date.now();
  const row = db
    .prepare(
      `INSERT INTO integration_groups (group_name, guid, description, connectors, create_time, update_time)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_name) DO NOTHING RETURNING ${COLUMNS}`,
    )
    .get(groupName, newGuid(now), content.description ?? null, connectorsText(content), now, now) as GroupRow | undefined;
  return row === undefined ? undefined : toGroup(row);
}

export function updateGroup(
  db: Database.Database,
  groupName: string,
  content: IntegrationGroupContent,
  expectedVersion: number,
): IntegrationGroupUpdate {
  const write = db.transaction((): IntegrationGroupUpdate => {
    const row = db
      .prepare(
        `UPDATE integration_groups SET description = ?, connectors = ?, update_time = ?, version = version + 1
         WHERE group_name = ? AND version = ? RETURNING ${COLUMNS}`,
      )
      .get(content.description ?? null, connectorsText(content), Date.now(), groupName, expectedVersion) as GroupRow | undefined;
    if (row !== undefined) return { outcome: 'updated', group: toGroup(row) };
    const current = db.prepare('SELECT version FROM integration_groups WHERE group_name = ?').get(groupName) as
      { version: number } | undefined;
    return current === undefined ? { outcome: 'missing' } : { outcome: 'conflict', version: current.version };
  });
  return write.immediate();
}

export function deleteGroup(db: Database.Database, groupName: string): boolean {
  return db.prepare('DELETE FROM integration_groups WHERE group_name = ?').run(groupName).changes > 0;
}
