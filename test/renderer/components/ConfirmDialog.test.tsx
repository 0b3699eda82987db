// @vitest-environment happy-dom
// The one confirmation dialog: what it asks, and that only the confirm button answers yes.
import { fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { useConfirm } from '../../../renderer/components/ConfirmDialog.js';
import { renderConsole } from '../support/render.js';

function Asker() {
  const confirm = useConfirm();
  const [answer, setAnswer] = useState('none');
  return (
    <>
      <button
        type="button"
        onClick={() => void confirm('Refresh everything?', 'This can take a long time.', 'Refresh all').then((ok) => setAnswer(String(ok)))}
      >
        Ask
      </button>
      <output>answer: {answer}</output>
    </>
  );
}

describe('ConfirmDialog', () => {
  it('shows the question as a modal dialog and answers yes only from its confirm button', async () => {
    const { user } = renderConsole(<Asker />);
    await user.click(screen.getByRole('button', { name: 'Ask' }));
    const dialog = screen.getByRole('dialog', { name: 'Refresh everything?' });
    expect(dialog).toHaveProperty('open', true);
    expect(screen.getByText('This can take a long time.')).toBeDefined();
    await user.click(screen.getByRole('button', { name: 'Refresh all' }));
    expect(screen.getByText('answer: true')).toBeDefined();
    expect(dialog).toHaveProperty('open', false);
  });

  it('answers no on Cancel', async () => {
    const { user } = renderConsole(<Asker />);
    await user.click(screen.getByRole('button', { name: 'Ask' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByText('answer: false')).toBeDefined();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('answers no when the browser cancels the dialog (Escape)', async () => {
    const { user } = renderConsole(<Asker />);
    await user.click(screen.getByRole('button', { name: 'Ask' }));
    // The browser turns Escape on a modal dialog into a cancel event; the DOM here has no key handling of its own.
    fireEvent(screen.getByRole('dialog'), new Event('cancel', { cancelable: true }));
    expect(await screen.findByText('answer: false')).toBeDefined();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('puts the focus on Cancel, so Enter on an unread question does nothing harmful', async () => {
    const { user } = renderConsole(<Asker />);
    await user.click(screen.getByRole('button', { name: 'Ask' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  });
});
