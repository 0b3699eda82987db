// @vitest-environment happy-dom
// The catalogue browser: pages fetched as needed with the filters asked for, each element's row and details, and a
// connector's details opening the catalogue at its elements.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/components/App.js';
import { Catalogue } from '../../../renderer/components/Catalogue.js';
import type { MetadataElement } from '../../../shared/api/types.js';
import { report, view } from '../../support/console-fixtures.js';
import { FakeBackend } from '../support/fake-backend.js';
import { renderConsole, settled } from '../support/render.js';

const lake = view('lake', [report('LandingFiles', 'RUNNING', { elementCount: 2 }), report('Warehouse', 'RUNNING')], { label: 'Data lake' });

function element(i: number, extra: Partial<MetadataElement> = {}): MetadataElement {
  return {
    guid: `g-${i}`,
    typeName: 'DataFile',
    qualifiedName: `file:///data/landing/file-${String(i).padStart(6, '0')}.csv`,
    metadataSource: 'c-landing',
    properties: { name: `file-${i}.csv`, fileType: 'csv', size: 100 + i, tags: ['a', 'b'] },
    createTime: '2026-01-01T10:00:00.000Z',
    updateTime: '2026-01-01T11:00:00.000Z',
    archived: false,
    version: 1,
    connectorName: 'LandingFiles',
    ...extra,
  };
}

function backendWith(count: number): FakeBackend {
  const backend = new FakeBackend([lake]);
  backend.elements = Array.from({ length: count }, (_, i) => element(i));
  return backend;
}

describe('catalogue', () => {
  it('counts the matching elements and fetches only the first page for the rows in view', async () => {
    const backend = backendWith(100_000);
    renderConsole(<Catalogue daemonId="lake" />, { backend });
    await waitFor(() => expect(screen.getByTestId('element-count-total').textContent).toBe(`${(100_000).toLocaleString()} elements`));
    expect(backend.callsOf('metadataElements')).toEqual([
      ['lake', expect.objectContaining({ startFrom: 0, pageSize: 200, count: true, archived: 'exclude' })],
    ]);
    const rows = screen.getAllByTestId('element-row');
    expect(rows.length).toBeLessThan(40);
    expect(
      within(rows[0]!)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual([
      'DataFile',
      'file:///data/landing/file-000000.csv',
      'LandingFiles',
      'Data lake',
      expect.any(String),
      expect.any(String),
      '',
    ]);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('100001');
  });

  it('sends the filters with the query, archived ones on request', async () => {
    const backend = backendWith(3);
    const { user } = renderConsole(<Catalogue daemonId="lake" />, { backend });
    await settled();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Connector' }), 'LandingFiles');
    await user.type(screen.getByRole('searchbox', { name: 'Type' }), 'DataFile');
    await user.type(screen.getByRole('searchbox', { name: 'Name starts with' }), 'file:///data');
    await user.type(screen.getByRole('searchbox', { name: 'Text' }), 'csv');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Archived' }), 'include');
    await waitFor(() =>
      expect(backend.callsOf('metadataElements').at(-1)).toEqual([
        'lake',
        {
          connectorName: 'LandingFiles',
          typeName: 'DataFile',
          qualifiedNamePrefix: 'file:///data',
          text: 'csv',
          archived: 'include',
          startFrom: 0,
          pageSize: 200,
          count: true,
        },
      ]),
    );
  });

  it('keeps the previous rows, dimmed, until a new filter’s rows arrive', async () => {
    const backend = backendWith(3);
    const { user } = renderConsole(<Catalogue daemonId="lake" />, { backend });
    await settled();
    expect(screen.getAllByTestId('element-row')).toHaveLength(3);
    const answer = backend.metadataElements.bind(backend);
    const held: (() => void)[] = [];
    backend.metadataElements = (daemonId, query) => new Promise<void>((go) => held.push(go)).then(() => answer(daemonId, query));
    backend.elements = [element(7)];
    await user.type(screen.getByRole('searchbox', { name: 'Text' }), 'file-7');
    await waitFor(() => expect(held).toHaveLength(1));
    const viewport = screen.getByTestId('catalogue-scroller').parentElement;
    expect(screen.getAllByTestId('element-row')).toHaveLength(3);
    expect(viewport?.getAttribute('aria-busy')).toBe('true');
    expect(screen.getByTestId('element-count-total').textContent).toBe('updating…');
    held[0]?.();
    await waitFor(() => expect(screen.getAllByTestId('element-row')).toHaveLength(1));
    expect(screen.getByTestId('catalogue-scroller').parentElement?.getAttribute('aria-busy')).toBe('false');
    expect(screen.getByTestId('element-count-total').textContent).toBe('1 element');
  });

  it('shows an element’s details with all its properties, and archived elements when and as archived', async () => {
    const backend = backendWith(0);
    backend.elements = [element(1, { archived: true, updateTime: '2026-01-02T09:30:00.000Z', version: 3 })];
    const { user } = renderConsole(<Catalogue daemonId="lake" />, { backend });
    await settled();
    const row = screen.getByTestId('element-row');
    expect(row.className).toContain('archived');
    await user.click(within(row).getByRole('button', { name: 'Details of element file:///data/landing/file-000001.csv' }));
    const details = screen.getByTestId('element-details');
    expect(within(details).getByRole('heading', { name: 'file:///data/landing/file-000001.csv' })).toBeDefined();
    expect(details.textContent).toContain('LandingFiles on Data lake');
    expect(details.textContent).toContain('(version 3)');
    expect(
      within(screen.getByTestId('element-properties'))
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual(['fileTypecsv', 'namefile-1.csv', 'size101', 'tags["a","b"]']);
  });

  it('says when nothing matches and reports a failing daemon with its fix', async () => {
    const backend = backendWith(0);
    backend.failNext.set('metadataElements', new Error('INTEGRATION-DAEMON-CLIENT-503-001 Cannot reach the daemon'));
    const { user } = renderConsole(<Catalogue daemonId="lake" />, { backend });
    await settled();
    expect(screen.getByRole('alert').textContent).toContain('INTEGRATION-DAEMON-CLIENT-503-001');
    await user.click(screen.getByRole('button', { name: 'Reload' }));
    await settled();
    expect(screen.getByText('No element matches the filter.')).toBeDefined();
  });

  it('opens at a connector’s elements from the connector’s details', async () => {
    const backend = backendWith(2);
    const { user } = renderConsole(<App />, { backend });
    await user.click(screen.getByRole('button', { name: 'Details of connector LandingFiles' }));
    expect(screen.getByTestId('connector-details').textContent).toContain('2 elements');
    await user.click(screen.getByRole('button', { name: 'Show its elements in the catalogue' }));
    expect(screen.getByRole('tab', { name: 'Catalogue' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Connector' }).value).toBe('LandingFiles');
    await settled();
    expect(backend.callsOf('metadataElements').at(-1)?.[1]).toMatchObject({ connectorName: 'LandingFiles' });
  });
});
