// The idle guard's sweep: a connection on which nothing moved for the sweeps asked is closed (an event stream whose
// client stopped reading included, however much is still queued for it); one that moves, or that waits for the
// daemon to answer its request, is left open.
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REST_LIMITS } from '../../../electron/engine/config/rest-limits.js';
import { ConnectionLimits } from '../../../electron/engine/rest/limits.js';

interface FakeSocket {
  bytesRead: number;
  bytesWritten: number;
  writableLength: number;
  destroyed: boolean;
}

function fakeSocket(): FakeSocket & Socket {
  const socket = {
    bytesRead: 0,
    bytesWritten: 0,
    writableLength: 0,
    destroyed: false,
    once: () => socket,
    destroy: () => {
      socket.destroyed = true;
      return socket;
    },
  };
  return socket as unknown as FakeSocket & Socket;
}

describe('ConnectionLimits.closeStalled', () => {
  it('closes a still connection after the sweeps asked, and not one that moves', () => {
    const limits = new ConnectionLimits(DEFAULT_REST_LIMITS);
    const still = fakeSocket();
    const moving = fakeSocket();
    limits.admit(still);
    limits.admit(moving);
    for (let sweep = 1; sweep <= 4; sweep++) {
      moving.bytesRead += 10;
      limits.closeStalled(4);
      expect(still.destroyed).toBe(sweep === 4);
    }
    expect(moving.destroyed).toBe(false);
    expect(limits.holds(still)).toBe(false);
    expect(limits.holds(moving)).toBe(true);
  });

  it('counts only bytes handed to the system: a stalled event stream is closed while heartbeats queue', () => {
    const limits = new ConnectionLimits(DEFAULT_REST_LIMITS);
    const stream = fakeSocket();
    limits.admit(stream);
    limits.claim(stream, 'viewer');
    limits.openStream(stream, 'viewer');
    for (let sweep = 1; sweep <= 3; sweep++) {
      stream.bytesWritten += 20;
      stream.writableLength += 20;
      limits.closeStalled(3);
    }
    expect(stream.destroyed).toBe(true);
  });

  it('leaves a connection waiting for its answer open, and sweeps it again once answered', () => {
    const limits = new ConnectionLimits(DEFAULT_REST_LIMITS);
    const waiting = fakeSocket();
    limits.admit(waiting);
    limits.claim(waiting, 'operator');
    for (let sweep = 0; sweep < 10; sweep++) limits.closeStalled(2);
    expect(waiting.destroyed).toBe(false);
    limits.release(waiting);
    limits.closeStalled(2);
    expect(waiting.destroyed).toBe(false);
    limits.closeStalled(2);
    expect(waiting.destroyed).toBe(true);
  });
});
