// `COPY ... FROM STDIN` through pg's own protocol handling (what pg-copy-streams does, without a stream): pg hands a
// submittable query its connection and calls it back on CopyInResponse, CommandComplete, ErrorResponse and
// ReadyForQuery. Chunks are sent as the caller has them, so the server stores one while the next is prepared here.
import type pg from 'pg';

/** The part of pg's connection that speaks the COPY sub-protocol; pg has it but its type declarations do not. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

function isCopyConnection(connection: unknown): connection is CopyConnection {
  const c = connection as Partial<Record<keyof CopyConnection, unknown>>;
  return (
    typeof c.query === 'function' &&
    typeof c.sendCopyFromChunk === 'function' &&
    typeof c.endCopyFrom === 'function' &&
    typeof c.sendCopyFail === 'function'
  );
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let settle: Pick<Deferred<T>, 'resolve' | 'reject'> | undefined;
  const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  // Callers await whichever of started and finished they reach; the other must not count as unhandled.
  promise.catch(() => undefined);
  return { promise, resolve: (value) => settle?.resolve(value), reject: (error) => settle?.reject(error) };
}

/**
 * One COPY FROM STDIN statement. Submit it with `client.query(copy)`, await `started`, `write` chunks, then `end()`.
 * A failure (a refused row, an outage, pg's query timeout) rejects both promises at once: pg reports a lost
 * connection or a timeout without the ReadyForQuery that would otherwise follow.
 */
export class CopyFromStdin implements pg.Submittable {
  /**
   * pg wraps this to stop its query timeout (query_timeout) when the statement ends; without a call here the timer
   * would run on after every COPY and then report a timeout for a statement long answered.
   */
  callback: ((error: Error | null) => void) | undefined;
  private readonly startedAt = deferred<void>();
  private readonly finishedAt = deferred<number>();
  private connection: CopyConnection | undefined;
  private rows = 0;
  private failure: Error | undefined;

  constructor(private readonly text: string) {}

  /** Resolves once the server takes data. */
  get started(): Promise<void> {
    return this.startedAt.promise;
  }

  /** Whether the statement has failed: nothing more sent is read, so there is no point preparing it. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  submit(connection: unknown): Error | undefined {
    if (!isCopyConnection(connection)) return new Error('This version of pg has no COPY support on its connection.');
    this.connection = connection;
    connection.query(this.text);
    return undefined;
  }

  write(chunk: Buffer): void {
    if (this.failure === undefined) this.connection?.sendCopyFromChunk(chunk);
  }

  /** Ends the data; resolves with the number of rows stored. */
  end(): Promise<number> {
    if (this.failure === undefined) this.connection?.endCopyFrom();
    return this.finishedAt.promise;
  }

  /** Makes the server refuse the statement (so the transaction fails); resolves once it has. */
  async abandon(reason: string): Promise<void> {
    if (this.failure === undefined) this.connection?.sendCopyFail(reason);
    await this.finishedAt.promise.catch(() => undefined);
  }

  handleCopyInResponse(): void {
    this.startedAt.resolve();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rows = Number(/\d+$/.exec(message.text ?? '')?.[0] ?? 0);
  }

  handleError(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.startedAt.reject(error);
    this.finishedAt.reject(error);
    this.callback?.(error);
  }

  handleReadyForQuery(): void {
    if (this.failure !== undefined) return;
    this.finishedAt.resolve(this.rows);
    this.callback?.(null);
  }
}
