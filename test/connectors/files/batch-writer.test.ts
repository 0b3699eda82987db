// The data files monitor's batch writer: two batches in flight at most, and after a failed batch nothing more is sent
// and nothing is recorded that the metadata server did not take.
import { describe, expect, it } from 'vitest';
import type { ElementInput, MetadataServerClient, UpsertOutcome } from '../../../electron/connector-sdk/index.js';
import { BATCHES_IN_FLIGHT, BatchWriter } from '../../../electron/connectors/files/batch-writer.js';
import { neverAborted } from '../support/connector-harness.js';

interface PendingBatch {
  name: string;
  answer: () => void;
  fail: (error: Error) => void;
}

/** A metadata server whose batches are answered (or failed) only when the test says so. */
function heldMetadataServer(): { client: Pick<MetadataServerClient, 'upsertElements'>; sent: PendingBatch[] } {
  const sent: PendingBatch[] = [];
  const client: Pick<MetadataServerClient, 'upsertElements'> = {
    upsertElements: (elements: readonly ElementInput[]) =>
      new Promise<UpsertOutcome[]>((resolve, reject) => {
        sent.push({
          name: elements[0]?.qualifiedName ?? '',
          answer: () => resolve(elements.map(() => 'created')),
          fail: reject,
        });
      }),
  };
  return { client, sent };
}

function batch(name: string): ElementInput[] {
  return [{ typeName: 'DataFile', qualifiedName: name, properties: {} }];
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('BatchWriter', () => {
  it('sends a batch while another is in flight, and the next only when one of them is answered', async () => {
    expect(BATCHES_IN_FLIGHT).toBe(2);
    const { client, sent } = heldMetadataServer();
    const writer = new BatchWriter({ metadataServer: client as MetadataServerClient }, neverAborted());
    const stored: string[] = [];
    const done = writer.during(async () => {
      for (const name of ['a', 'b', 'c']) writer.upsert(batch(name), () => stored.push(name));
      await settle();
      expect(sent.map((s) => s.name)).toEqual(['a', 'b']);
      sent[1]?.answer();
      await settle();
      // c waits for a, the batch before it in its turn.
      expect(sent.map((s) => s.name)).toEqual(['a', 'b']);
      sent[0]?.answer();
      await settle();
      expect(sent.map((s) => s.name)).toEqual(['a', 'b', 'c']);
      sent[2]?.answer();
      return 'scanned';
    });
    await expect(done).resolves.toBe('scanned');
    expect(stored).toEqual(['b', 'a', 'c']);
    expect(writer.sent).toBe(3);
  });

  it('after a failed batch, stops the scan and sends nothing more; the batch in flight beside it is recorded once taken', async () => {
    const { client, sent } = heldMetadataServer();
    const writer = new BatchWriter({ metadataServer: client as MetadataServerClient }, neverAborted());
    const stored: string[] = [];
    const failure = new Error('METADATA-SERVER down');
    let scanSignal: AbortSignal | undefined;
    const done = writer.during(async (signal) => {
      scanSignal = signal;
      for (const name of ['a', 'b', 'c', 'd']) writer.upsert(batch(name), () => stored.push(name));
      await settle();
      sent[0]?.fail(failure);
      await settle();
      expect(signal.aborted).toBe(true);
      sent[1]?.answer();
      return 'scanned';
    });
    await expect(done).rejects.toBe(failure);
    expect(scanSignal?.aborted).toBe(true);
    expect(sent.map((s) => s.name)).toEqual(['a', 'b']);
    expect(stored).toEqual(['b']);
  });

  it('waits for a batch still in flight before a failed scan is reported', async () => {
    const { client, sent } = heldMetadataServer();
    const writer = new BatchWriter({ metadataServer: client as MetadataServerClient }, neverAborted());
    const stored: string[] = [];
    let answered = false;
    const done = writer.during(async () => {
      writer.upsert(batch('a'), () => stored.push('a'));
      await settle();
      setTimeout(() => {
        answered = true;
        sent[0]?.answer();
      }, 20);
      throw new Error('the walk failed');
    });
    await expect(done).rejects.toThrow('the walk failed');
    expect(answered).toBe(true);
    expect(stored).toEqual(['a']);
  });
});
