// @vitest-environment happy-dom
// The theme follows the system until the operator picks one; the pick is remembered and is an attribute on <html>.
import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ThemeToggle } from '../../../renderer/components/ThemeToggle.js';
import { renderConsole } from '../support/render.js';

afterEach(() => {
  window.localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
});

describe('ThemeToggle', () => {
  it('cycles system → light → dark → system, setting and remembering the choice', async () => {
    const { user } = renderConsole(<ThemeToggle />);
    const toggle = screen.getByRole('button', { name: 'Theme: system. Switch to light' });
    expect(toggle.textContent).toBe('◐ System');
    await user.click(toggle);
    expect(document.documentElement.getAttribute('data-theme')).toBe('light');
    expect(window.localStorage.getItem('integration-console.theme')).toBe('light');
    await user.click(screen.getByRole('button', { name: 'Theme: light. Switch to dark' }));
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    await user.click(screen.getByRole('button', { name: 'Theme: dark. Switch to system' }));
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
    expect(window.localStorage.getItem('integration-console.theme')).toBeNull();
  });

  it('starts from the theme chosen before', () => {
    window.localStorage.setItem('integration-console.theme', 'dark');
    renderConsole(<ThemeToggle />);
    expect(screen.getByRole('button').textContent).toBe('☾ Dark');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
  });
});
