// The data files monitor's send queue: elements are built only when the writer can take their batch, all files are
// handed over before a refresh waits for the writer, and stored batches are recorded in the order they were sent.
import { describe, expect, it } from 'vitest';
import type { ElementInput, MetadataServerClient, UpsertOutcome } from '../../../electron/connector-sdk/index.js';
import { BATCHES_IN_FLIGHT, BatchWriter } from '../../../electron/connectors/files/batch-writer.js';
import { InSendingOrder, SendQueue } from '../../../electron/connectors/files/send-queue.js';
import { neverAborted } from '../support/connector-harness.js';

/** A metadata server whose batches are answered (or failed) only when the test says so. */
function heldMetadataServer(): { client: MetadataServerClient; sent: { names: string[]; answer: () => void; fail: (e: Error) => void }[] } {
  const sent: { names: string[]; answer: () => void; fail: (e: Error) => void }[] = [];
  const upsertElements = (elements: readonly ElementInput[]): Promise<UpsertOutcome[]> =>
    new Promise((resolve, reject) => {
      sent.push({ names: elements.map((e) => e.qualifiedName), answer: () => resolve(elements.map(() => 'created')), fail: reject });
    });
  return { client: { upsertElements } as unknown as MetadataServerClient, sent };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function element(name: string): ElementInput {
  return { typeName: 'DataFile', qualifiedName: name, properties: {} };
}

describe('SendQueue', () => {
  it('builds a batch only when the writer can take it, and records stored batches in the order they were sent', async () => {
    const { client, sent } = heldMetadataServer();
    const writer = new BatchWriter({ metadataServer: client }, neverAborted());
    const built: string[] = [];
    const recorded: string[] = [];
    const queue = new SendQueue<string>(
      writer,
      (name) => {
        built.push(name);
        return element(name);
      },
      (files) => recorded.push(...files),
    );
    const done = writer.during(async (signal) => {
      for (const name of ['a', 'b', 'c', 'd', 'e']) queue.add([name]);
      queue.add([]);
      await settle();
      expect(built).toEqual(['a', 'b', 'c'].slice(0, BATCHES_IN_FLIGHT + 1));
      expect(sent.map((s) => s.names[0])).toEqual(['a', 'b']);
      let handedOver = false;
      const all = queue.allHandedOver(signal).then(() => (handedOver = true));
      sent[1]?.answer();
      await settle();
      expect(built).toEqual(['a', 'b', 'c', 'd']);
      expect(recorded).toEqual([]);
      sent[0]?.answer();
      await settle();
      expect(recorded).toEqual(['a', 'b']);
      expect(built).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(handedOver).toBe(true);
      await all;
      for (const batch of sent.slice(2)) batch.answer();
      await settle();
      for (const batch of sent.slice(2)) batch.answer();
      return 'scanned';
    });
    await expect(done).resolves.toBe('scanned');
    expect(recorded).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('stops waiting for files to be handed over when a batch fails, and records what was stored behind it', async () => {
    const { client, sent } = heldMetadataServer();
    const writer = new BatchWriter({ metadataServer: client }, neverAborted());
    const recorded: string[] = [];
    const queue = new SendQueue<string>(writer, element, (files) => recorded.push(...files));
    const failure = new Error('metadata server down');
    const done = writer
      .during(async (signal) => {
        for (const name of ['a', 'b', 'c', 'd', 'e']) queue.add([name]);
        const all = queue.allHandedOver(signal);
        await settle();
        sent[1]?.answer();
        sent[0]?.fail(failure);
        await all;
      })
      .finally(() => queue.flush());
    await expect(done).rejects.toBe(failure);
    expect(recorded).toEqual(['b']);
    expect(sent.map((s) => s.names[0])).toEqual(['a', 'b']);
  });
});

describe('InSendingOrder', () => {
  it('runs each step once every batch sent before it has been recorded', () => {
    const order = new InSendingOrder();
    const ran: number[] = [];
    const places = [order.next(), order.next(), order.next()];
    order.record(places[1] as number, () => ran.push(1));
    order.record(places[2] as number, () => ran.push(2));
    expect(ran).toEqual([]);
    order.record(places[0] as number, () => ran.push(0));
    expect(ran).toEqual([0, 1, 2]);
  });

  it('runs the steps held behind a batch that was never stored when flushed, in order', () => {
    const order = new InSendingOrder();
    const ran: number[] = [];
    const places = [order.next(), order.next(), order.next(), order.next()];
    order.record(places[3] as number, () => ran.push(3));
    order.record(places[1] as number, () => ran.push(1));
    order.flush();
    expect(ran).toEqual([1, 3]);
    order.flush();
    expect(ran).toEqual([1, 3]);
  });
});
