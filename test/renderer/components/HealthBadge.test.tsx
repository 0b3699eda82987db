// @vitest-environment happy-dom
// Health reads without colour: a symbol and words go with every colour class.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HealthMark, StatusBadge } from '../../../renderer/components/HealthBadge.js';
import { renderConsole } from '../support/render.js';

describe('HealthBadge', () => {
  it('gives each health a symbol, a word and a class', () => {
    renderConsole(
      <>
        <HealthMark health="failed" />
        <HealthMark health="disconnected" label="healthy (last known), disconnected" />
      </>,
    );
    expect(screen.getByText('failed').parentElement?.textContent).toBe('✖failed');
    expect(screen.getByText('failed').parentElement?.className).toBe('health health-failed');
    expect(screen.getByText('healthy (last known), disconnected').parentElement?.textContent).toBe('⊘healthy (last known), disconnected');
  });

  it('shows a connector status with the symbol of its health', () => {
    renderConsole(
      <>
        <StatusBadge status="CONFIG_FAILED" />
        <StatusBadge status="RETRYING" />
        <StatusBadge status="STOPPED" />
      </>,
    );
    expect(screen.getAllByTestId('connector-status').map((b) => [b.textContent, b.className])).toEqual([
      ['✖CONFIG_FAILED', 'badge health-failed'],
      ['↻RETRYING', 'badge health-retrying'],
      ['✔STOPPED', 'badge health-healthy'],
    ]);
  });
});
