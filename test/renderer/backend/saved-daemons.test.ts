// The browser's saved daemon list: what is read back from storage is checked, and what is dropped is said.
import { describe, expect, it } from 'vitest';
import {
  DAEMONS_KEY,
  loadLocalIdentity,
  loadSavedDaemons,
  LOCAL_KEY,
  MemoryStore,
  saveDaemons,
  saveLocalIdentity,
} from '../../../renderer/backend/saved-daemons.js';

const good = { id: 'd-1', label: 'Lake', url: 'https://lake.example.com:9443', serverName: 'exchangeDL01', userId: 'npa' };

describe('saved daemon list', () => {
  it('round-trips valid entries', () => {
    const store = new MemoryStore();
    saveDaemons(store, [good]);
    expect(loadSavedDaemons(store)).toEqual({ daemons: [good], problems: [] });
  });

  it('keeps each daemon’s era; an era it does not know is forgotten, not the daemon', () => {
    const store = new MemoryStore();
    saveDaemons(store, [{ ...good, era: 'egeria-4' }]);
    expect(loadSavedDaemons(store).daemons).toEqual([{ ...good, era: 'egeria-4' }]);
    store.setItem(DAEMONS_KEY, JSON.stringify([{ ...good, era: 'egeria-9' }]));
    expect(loadSavedDaemons(store)).toEqual({ daemons: [good], problems: [] });
  });

  it('drops entries that are incomplete or carry a URL with a path, and says which', () => {
    const store = new MemoryStore();
    store.setItem(DAEMONS_KEY, JSON.stringify([good, { ...good, id: 'd-2', url: 'https://x/servers' }, { id: 'd-3' }]));
    const { daemons, problems } = loadSavedDaemons(store);
    expect(daemons).toEqual([good]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^INTEGRATION-CONSOLE-400-011 Saved daemon #2 .*url/);
  });

  it('ignores a list that is not JSON or not a list, with the fix', () => {
    const store = new MemoryStore();
    store.setItem(DAEMONS_KEY, '{not json');
    expect(loadSavedDaemons(store).problems[0]).toMatch(/^INTEGRATION-CONSOLE-400-010 .*Add the daemons again/);
    store.setItem(DAEMONS_KEY, '{"a":1}');
    expect(loadSavedDaemons(store)).toMatchObject({ daemons: [] });
  });

  it('remembers the page daemon identity and rejects a damaged one', () => {
    const store = new MemoryStore();
    expect(loadLocalIdentity(store)).toBeNull();
    saveLocalIdentity(store, { serverName: 's', userId: 'u' });
    expect(loadLocalIdentity(store)).toEqual({ serverName: 's', userId: 'u' });
    store.setItem(LOCAL_KEY, '{"serverName":""}');
    expect(loadLocalIdentity(store)).toBeNull();
  });
});
