// The PostgreSQL metadata server's connections: one pg pool, entered through the metadata server's ConcurrencyLimit so a
// caller only asks the pool once a connection is free (a full pool is then never mistaken for an outage), and every
// connection-level failure turned into MetadataServerUnavailableError for the breaker. After an outage the pool may
// still hold connections the server has dropped, every one of them; a failure on such a connection is retried on
// another, which is safe because every metadata server operation is idempotent.
import pg from 'pg';
import { errorText } from '../../../../shared/api/error-text.js';
import { ConcurrencyLimit } from '../concurrency-limit.js';
import { MetadataServerUnavailableError } from '../types.js';
import { failureText, isBrokenConnection, isConnectionFailure } from './errors.js';

export interface PostgresPoolOptions {
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  maxConnections: number;
}

export class PostgresConnections {
  private pool: pg.Pool | undefined;
  private readonly limit: ConcurrencyLimit;
  private closed = false;

  constructor(
    private readonly metadataServerName: string,
    private readonly connectionString: string,
    private readonly options: PostgresPoolOptions,
  ) {
    // No hold limit: a slot stands for a checked-out connection, and the query timeout bounds how long that lasts.
    this.limit = new ConcurrencyLimit(options.maxConnections);
  }

  /** Calls are let through again (after close(), a new pool is opened on the next call). */
  open(): void {
    this.closed = false;
  }

  /** Ends the pool; until open(), every call is refused as unavailable. */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  /** Runs `work` on a pooled connection; connection-level failures become MetadataServerUnavailableError. */
  async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.limit.run(async () => {
          const client = await this.connect();
          // pg-pool drops its own error listener while a client is checked out; a server that goes away mid-query
          // then emits 'error' on the client as well as rejecting the query, and an unheard 'error' ends the process.
          const ignore = (): void => undefined;
          client.on('error', ignore);
          let failure: unknown;
          try {
            return await work(client);
          } catch (error) {
            failure = error;
            throw error;
          } finally {
            client.off('error', ignore);
            // A connection that failed at connection level must not go back to the pool.
            client.release(failure !== undefined && isConnectionFailure(failure) ? toError(failure) : undefined);
          }
        });
      } catch (error) {
        if (error instanceof MetadataServerUnavailableError) throw error;
        if (!isConnectionFailure(error)) throw error;
        // The failed connection left the pool, so each retry takes another pooled one or, once they are used up, a
        // new one: one attempt more than the pool holds reaches a connection opened after the failure.
        if (attempt <= this.options.maxConnections && isBrokenConnection(error)) continue;
        throw new MetadataServerUnavailableError(this.metadataServerName, failureText(error), error);
      }
    }
  }

  /** `work` in one transaction when `transaction` (several statements that belong together), else as it is. */
  async inTransaction(transaction: boolean, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    await this.withClient(async (client) => {
      if (!transaction) return work(client);
      await client.query('BEGIN');
      try {
        await work(client);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  private getPool(): pg.Pool {
    if (this.closed) throw new MetadataServerUnavailableError(this.metadataServerName, 'it has been closed');
    if (this.pool === undefined) {
      const pool = new pg.Pool({
        connectionString: this.connectionString,
        connectionTimeoutMillis: this.options.connectTimeoutMs,
        query_timeout: this.options.queryTimeoutMs,
        max: this.options.maxConnections,
        idleTimeoutMillis: 10_000,
        keepAlive: true,
        allowExitOnIdle: true,
        application_name: 'integration-daemon',
      });
      // An idle connection that the server drops (shutdown, restart) is reported here; the pool already discards
      // it, and the next call that needs the server will see the outage itself.
      pool.on('error', () => undefined);
      this.pool = pool;
    }
    return this.pool;
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.getPool().connect();
    } catch (error) {
      if (error instanceof MetadataServerUnavailableError || !isConnectionFailure(error)) throw error;
      throw new MetadataServerUnavailableError(this.metadataServerName, failureText(error), error);
    }
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(errorText(error));
}
