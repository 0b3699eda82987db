// Schema creation shared by the daemon's two SQLite files (the embedded metadata server and the state store).
import type Database from 'better-sqlite3';

/**
 * Creates `schema` in a new file (user_version 0) and stamps it with `version`. Returns the version the file has,
 * so the caller can refuse a file written by a newer daemon with its own message.
 */
export function ensureSchema(db: Database.Database, schema: string, version: number): number {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found !== 0) return found;
  db.transaction(() => {
    db.exec(schema);
    db.pragma(`user_version = ${version}`);
  }).immediate();
  return version;
}
