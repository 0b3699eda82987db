// @vitest-environment happy-dom
// The held-archive preview: how many, what share, some names, and the two answers.
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { HeldArchivePreview } from '../../../renderer/components/HeldArchive.js';
import '../support/render.js';

const held = {
  connectorName: 'LandingFiles',
  connectorId: 'c1',
  urlMarker: 'files-integrator',
  runId: 'r9',
  heldAt: new Date().toISOString(),
  count: 120,
  liveCount: 150,
  thresholdPercent: 50,
  sample: ['DataFile::/data/a.csv', 'DataFile::/data/b.csv'],
};

describe('held archive preview', () => {
  it('says how many would be archived, names some, and asks to archive or keep them', async () => {
    const calls: string[] = [];
    render(
      <HeldArchivePreview
        held={held}
        onApprove={async () => void calls.push('approve')}
        onReject={async () => void calls.push('reject')}
      />,
    );
    expect(screen.getByRole('heading').textContent).toBe('⚠ 120 elements held back from archiving');
    expect(screen.getByTestId('held-archive').textContent).toContain('(80%, above the 50% this connector allows)');
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(held.sample);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Keep them' }));
    await user.click(screen.getByRole('button', { name: 'Archive them' }));
    expect(calls).toEqual(['reject', 'approve']);
  });
});
