// What the database monitors share: a neutral model of a database's structure, its mapping to elements and
// relationships, and the reconciliation against the metadata server. Qualified names follow Egeria's
// `catalog::schema::table::column` style:
//   Database                 <catalog>
//   DeployedDatabaseSchema   <catalog>::<schema>
//   DatabaseTable / View     <catalog>::<schema>::<table>
//   DatabaseColumn           <catalog>::<schema>::<table>::<column>
//   DatabasePrimaryKey       <catalog>::<schema>::<table>::primaryKey::<constraint>
//   DatabaseForeignKey       <catalog>::<schema>::<table>::foreignKey::<constraint>
// Keys have five parts, so they never collide with a column.
import { z } from 'zod';
import {
  ConnectorError,
  propertiesFingerprint,
  type ConfigProblem,
  type ConnectorContext,
  type ElementInput,
  type ElementRelationshipInput,
} from '../../connector-sdk/index.js';

export const DATABASE_TYPES = {
  database: 'Database',
  schema: 'DeployedDatabaseSchema',
  table: 'DatabaseTable',
  view: 'DatabaseView',
  column: 'DatabaseColumn',
  primaryKey: 'DatabasePrimaryKey',
  foreignKey: 'DatabaseForeignKey',
} as const;

const OWN_TYPES = new Set<string>(Object.values(DATABASE_TYPES));

/** Egeria relationship type names, used where the metadata server stores relationships. */
export const DATABASE_RELATIONSHIPS = {
  databaseSchema: 'DataContentForDataSet',
  schemaTable: 'AttributeForSchema',
  tableColumn: 'NestedSchemaAttribute',
  foreignKey: 'ForeignKey',
} as const;

export interface DatabaseModel {
  /** First part of every qualified name. */
  catalog: string;
  databaseProperties: Record<string, unknown>;
  schemas: { name: string; properties?: Record<string, unknown> }[];
  tables: { schema: string; name: string; isView: boolean; properties?: Record<string, unknown> }[];
  columns: {
    schema: string;
    table: string;
    name: string;
    dataType: string;
    nullable: boolean;
    position: number;
    defaultValue: string | null;
  }[];
  primaryKeys: { schema: string; table: string; name: string; columns: string[] }[];
  foreignKeys: {
    schema: string;
    table: string;
    name: string;
    columns: string[];
    referencedSchema: string;
    referencedTable: string;
    referencedColumns: string[];
  }[];
}

export interface CatalogueResult {
  elements: ElementInput[];
  relationships: ElementRelationshipInput[];
}

export function catalogue(model: DatabaseModel): CatalogueResult {
  const { catalog } = model;
  const schemaName = (schema: string) => `${catalog}::${schema}`;
  const tableName = (schema: string, table: string) => `${catalog}::${schema}::${table}`;
  const columnName = (schema: string, table: string, column: string) => `${catalog}::${schema}::${table}::${column}`;
  const elements: ElementInput[] = [];
  const relationships: ElementRelationshipInput[] = [];

  elements.push({ typeName: DATABASE_TYPES.database, qualifiedName: catalog, properties: { name: catalog, ...model.databaseProperties } });
  for (const schema of model.schemas) {
    const qualifiedName = schemaName(schema.name);
    elements.push({ typeName: DATABASE_TYPES.schema, qualifiedName, properties: { name: schema.name, ...schema.properties } });
    relationships.push({ typeName: DATABASE_RELATIONSHIPS.databaseSchema, end1QualifiedName: catalog, end2QualifiedName: qualifiedName });
  }
  for (const table of model.tables) {
    const qualifiedName = tableName(table.schema, table.name);
    elements.push({
      typeName: table.isView ? DATABASE_TYPES.view : DATABASE_TYPES.table,
      qualifiedName,
      properties: { name: table.name, schemaName: table.schema, ...table.properties },
    });
    relationships.push({
      typeName: DATABASE_RELATIONSHIPS.schemaTable,
      end1QualifiedName: schemaName(table.schema),
      end2QualifiedName: qualifiedName,
    });
  }
  const primaryKeyColumns = new Set<string>();
  for (const key of model.primaryKeys) {
    for (const column of key.columns) primaryKeyColumns.add(columnName(key.schema, key.table, column));
    elements.push({
      typeName: DATABASE_TYPES.primaryKey,
      qualifiedName: `${tableName(key.schema, key.table)}::primaryKey::${key.name}`,
      properties: {
        name: key.name,
        tableQualifiedName: tableName(key.schema, key.table),
        columnQualifiedNames: key.columns.map((c) => columnName(key.schema, key.table, c)),
      },
    });
  }
  for (const column of model.columns) {
    const qualifiedName = columnName(column.schema, column.table, column.name);
    elements.push({
      typeName: DATABASE_TYPES.column,
      qualifiedName,
      properties: {
        name: column.name,
        dataType: column.dataType,
        nullable: column.nullable,
        position: column.position,
        defaultValue: column.defaultValue,
        isPrimaryKey: primaryKeyColumns.has(qualifiedName),
      },
    });
    relationships.push({
      typeName: DATABASE_RELATIONSHIPS.tableColumn,
      end1QualifiedName: tableName(column.schema, column.table),
      end2QualifiedName: qualifiedName,
      properties: { position: column.position },
    });
  }
  for (const key of model.foreignKeys) {
    const from = key.columns.map((c) => columnName(key.schema, key.table, c));
    const to = key.referencedColumns.map((c) => columnName(key.referencedSchema, key.referencedTable, c));
    elements.push({
      typeName: DATABASE_TYPES.foreignKey,
      qualifiedName: `${tableName(key.schema, key.table)}::foreignKey::${key.name}`,
      properties: {
        name: key.name,
        tableQualifiedName: tableName(key.schema, key.table),
        columnQualifiedNames: from,
        referencedTableQualifiedName: tableName(key.referencedSchema, key.referencedTable),
        referencedColumnQualifiedNames: to,
      },
    });
    from.forEach((end1, i) => {
      const end2 = to[i];
      if (end2 !== undefined) {
        relationships.push({
          typeName: DATABASE_RELATIONSHIPS.foreignKey,
          end1QualifiedName: end1,
          end2QualifiedName: end2,
          properties: { name: key.name },
        });
      }
    });
  }
  return { elements, relationships };
}

const BATCH = 1000;

/**
 * Reconciles a completely read model with the metadata server: upserts what changed, archives what was dropped.
 * Called only after the whole structure was read, so a failed read never archives anything.
 */
export async function reconcileDatabase(context: ConnectorContext, model: DatabaseModel, signal: AbortSignal): Promise<void> {
  const { elements, relationships } = catalogue(model);
  const known = new Map<string, string>();
  for (const summary of await context.metadataServer.listElements()) {
    if (OWN_TYPES.has(summary.typeName)) known.set(summary.qualifiedName, summary.fingerprint);
  }
  const changed = elements.filter((e) => known.get(e.qualifiedName) !== propertiesFingerprint(e.properties));
  // Outcomes of what is sent are counted by the daemon's metadata server client; skipped ones are counted here.
  context.count({ discovered: elements.length, unchanged: elements.length - changed.length });
  for (let i = 0; i < changed.length; i += BATCH) {
    signal.throwIfAborted();
    await context.metadataServer.upsertElements(changed.slice(i, i + BATCH));
  }
  const upsertRelationships = context.metadataServer.upsertRelationships?.bind(context.metadataServer);
  if (upsertRelationships !== undefined) {
    // Idempotent and cheap next to the read; sending all of them heals any that a failed refresh left out.
    for (let i = 0; i < relationships.length; i += BATCH) {
      signal.throwIfAborted();
      await upsertRelationships(relationships.slice(i, i + BATCH));
    }
  }
  const current = new Set(elements.map((e) => e.qualifiedName));
  const dropped = [...known.keys()].filter((q) => !current.has(q));
  for (let i = 0; i < dropped.length; i += BATCH) {
    signal.throwIfAborted();
    await context.metadataServer.archiveElements(dropped.slice(i, i + BATCH));
  }
}

/** Schema filters shared by both monitors; names as in Egeria's JDBC connector. `*` matches any run of characters. */
const schemaFilterSchema = z.object({
  includeSchemaNames: z.array(z.string().min(1)).optional(),
  excludeSchemaNames: z.array(z.string().min(1)).optional(),
});

export type SchemaFilter = (schema: string) => boolean;

export const SCHEMA_FILTER_PROPERTIES = ['includeSchemaNames', 'excludeSchemaNames'] as const;

export function validateSchemaFilter(properties: Record<string, unknown>, supported: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(properties)) {
    if (!supported.includes(key)) {
      problems.push({
        path: `configurationProperties.${key}`,
        message: `The property ${key} is not recognised by this connector.`,
        fix: `Remove it or correct its spelling; supported properties are ${supported.join(', ')}.`,
      });
    }
  }
  const parsed = schemaFilterSchema.safeParse(properties);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({
        path: ['configurationProperties', ...issue.path.map(String)].join('.'),
        message: issue.message,
        fix: 'Give a list of schema names, for example ["public", "sales_*"].',
      });
    }
  }
  return problems;
}

/** Include wins over exclude, as in Egeria's JDBC connector; with neither, every schema is catalogued. */
export function schemaFilter(properties: Record<string, unknown>): SchemaFilter {
  const parsed = schemaFilterSchema.parse(properties);
  const include = (parsed.includeSchemaNames ?? []).map(nameRegExp);
  const exclude = (parsed.excludeSchemaNames ?? []).map(nameRegExp);
  return (schema) => {
    if (include.length > 0) return include.some((re) => re.test(schema));
    return !exclude.some((re) => re.test(schema));
  };
}

function nameRegExp(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** The error a database monitor raises at initialize when its configuration does not validate. */
export function invalidConfigurationError(
  messagePrefix: string,
  connectorName: string,
  problems: readonly ConfigProblem[],
): ConnectorError {
  return new ConnectorError({
    messageId: `${messagePrefix}-400-001`,
    text: `The configuration of connector ${connectorName} is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join(' ')}`,
    category: 'configuration',
    retryable: false,
    parameters: [connectorName],
    userAction: problems.map((p) => p.fix).join(' '),
  });
}
