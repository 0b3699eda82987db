// The PostgreSQL metadata server's integration groups (schema version 2). Connector documents are kept as JSON
// text, not jsonb, so they come back exactly as sent (jsonb would reorder their keys), as on SQLite. An update is one
// conditional statement on the version, so two daemons changing a group at once cannot lose either change silently.
import type pg from 'pg';
import { newGuid } from '../guid.js';
import {
  connectorsText,
  parseConnectors,
  type IntegrationGroupContent,
  type IntegrationGroupStamp,
  type IntegrationGroupUpdate,
  type StoredIntegrationGroup,
} from '../integration-groups.js';

export const INTEGRATION_GROUPS_TABLE = `
CREATE TABLE IF NOT EXISTS metadata_integration_groups (
  group_name  text COLLATE "C" PRIMARY KEY,
  guid        uuid NOT NULL UNIQUE,
  description text,
  connectors  text NOT NULL,
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL,
  version     integer NOT NULL DEFAULT 1
);
`;

type Query = <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => Promise<pg.QueryResult<R>>;

interface GroupRow {
  group_name: string;
  guid: string;
  description: string | null;
  connectors: string;
  create_time: Date;
  update_time: Date;
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
    createTime: row.create_time.toISOString(),
    updateTime: row.update_time.toISOString(),
  };
}

export async function listGroups(query: Query): Promise<StoredIntegrationGroup[]> {
  const result = await query<GroupRow>(`SELECT ${COLUMNS} FROM metadata_integration_groups ORDER BY group_name`, []);
  return result.rows.map(toGroup);
}

export async function getGroup(query: Query, groupName: string): Promise<StoredIntegrationGroup | undefined> {
  const result = await query<GroupRow>(`SELECT ${COLUMNS} FROM metadata_integration_groups WHERE group_name = $1`, [groupName]);
  const row = result.rows[0];
  return row === undefined ? undefined : toGroup(row);
}

export async function groupStamps(query: Query, groupNames: readonly string[]): Promise<Map<string, IntegrationGroupStamp>> {
  const stamps = new Map<string, IntegrationGroupStamp>();
  if (groupNames.length === 0) return stamps;
  const result = await query<Pick<GroupRow, 'group_name' | 'guid' | 'version'>>(
    'SELECT group_name, guid, version FROM metadata_integration_groups WHERE group_name = ANY($1::text[])',
    [groupNames],
  );
  for (const row of result.rows) stamps.set(row.group_name, { groupGUID: row.guid, version: row.version });
  return stamps;
}

export async function createGroup(
  query: Query,
  groupName: string,
  content: IntegrationGroupContent,
): Promise<StoredIntegrationGroup | undefined> {
  const result = await query<GroupRow>(
    `INSERT INTO metadata_integration_groups (group_name, guid, description, connectors, create_time, update_time)
     VALUES ($1, $2, $3, $4, now(), now()) ON CONFLICT (group_name) DO NOTHING RETURNING ${COLUMNS}`,
    [groupName, newGuid(Date.now()), content.description ?? null, connectorsText(content)],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : toGroup(row);
}

export async function updateGroup(
  query: Query,
  groupName: string,
  content: IntegrationGroupContent,
  expectedVersion: number,
): Promise<IntegrationGroupUpdate> {
  const result = await query<GroupRow>(
    `UPDATE metadata_integration_groups SET description = $1, connectors = $2, update_time = now(), version = version + 1
     WHERE group_name = $3 AND version = $4 RETURNING ${COLUMNS}`,
    [content.description ?? null, connectorsText(content), groupName, expectedVersion],
  );
  const row = result.rows[0];
  if (row !== undefined) return { outcome: 'updated', group: toGroup(row) };
  const current = await query<{ version: number }>('SELECT version FROM metadata_integration_groups WHERE group_name = $1', [groupName]);
  const version = current.rows[0]?.version;
  return version === undefined ? { outcome: 'missing' } : { outcome: 'conflict', version };
}

export async function deleteGroup(query: Query, groupName: string): Promise<boolean> {
  const result = await query('DELETE FROM metadata_integration_groups WHERE group_name = $1', [groupName]);
  return (result.rowCount ?? 0) > 0;
}
