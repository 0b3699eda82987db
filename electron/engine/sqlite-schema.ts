// Schema creation and migration shared by the daemon's two SQLite files (the embedded metadata server and the
// state store). The schema version is SQLite's user_version.
import type Database from 'better-sqlite3';

/** SQL that turns a file of schema version N into N + 1, by N. */
export type Migrations = Readonly<Record<number, string>>;

/**
 * Creates `schema` in a new file (user_version 0) and stamps it with `version`; brings a file of an older version
 * up to `version` with `migrations`, each step in one transaction (a failed step leaves the file as it was).
 * Returns the version the file has, so the caller can refuse a file written by a newer daemon with its own message.
 */
export function ensureSchema(db: Database.Database, schema: string, version: number, migrations: Migrations = {}): number {
  let found = db.pragma('user_version', { simple: true }) as number;
  if (found === 0) {
    db.transaction(() => {
      db.exec(schema);
      db.pragma(`user_version = ${version}`);
    }).immediate();
    return version;
  }
  while (found < version) {
    const step = migrations[found];
    if (step === undefined) throw new Error(`No migration from schema version ${found} to ${found + 1}.`);
    const next = found + 1;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${next}`);
    }).immediate();
    found = next;
  }
  return found;
}
