// A connection test as it runs: the provider's declared checks in order, each marked as it completes (passed,
// failed with why and the fix, skipped because a check it needs failed), the one running now, and those to come.
import type { ConnectorTestStep, ConnectorTestStepDeclaration } from '../../shared/api/types.js';
import { useEffect, useRef } from 'react';
import { formatElapsed } from '../../shared/logic/duration.js';
import { messageWithoutId } from '../logic/words.js';

type Shown = ConnectorTestStep['status'] | 'RUNNING' | 'WAITING';
const MARK: Record<Shown, string> = { PASSED: '✔', FAILED: '✖', SKIPPED: '⤼', RUNNING: '…', WAITING: '○' };
const WORD: Record<Shown, string> = { PASSED: 'passed', FAILED: 'failed', SKIPPED: 'skipped', RUNNING: 'running', WAITING: 'to come' };

export function TestSteps({
  declared,
  steps,
  running,
}: {
  declared: readonly ConnectorTestStepDeclaration[];
  steps: readonly ConnectorTestStep[];
  running: boolean;
}) {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const names = [...declared.map((d) => d.name), ...steps.filter((s) => !declared.some((d) => d.name === s.name)).map((s) => s.name)];
  const firstOpen = names.find((n) => !byName.has(n));
  const description = new Map(declared.map((d) => [d.name, d.description]));
  // At the foot of a long form the steps would start out of sight.
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    // A block body: Chromium's scrollIntoView returns a promise, which React would take for a cleanup.
    list.current?.scrollIntoView?.({ block: 'nearest' });
  }, [steps.length]);
  return (
    <ol ref={list} className="test-steps" aria-label="Connection test" aria-live="polite" data-testid="test-steps">
      {names.map((name) => {
        const step = byName.get(name);
        const shown: Shown = step?.status ?? (running && name === firstOpen ? 'RUNNING' : 'WAITING');
        return (
          <li key={name} className={`test-step step-${shown.toLowerCase()}`} data-testid="test-step" data-status={shown}>
            <span className="step-mark" aria-hidden="true">
              {MARK[shown]}
            </span>
            <span className="step-name">{description.get(name) ?? name}</span>
            <span className="step-word">
              {WORD[shown]}
              {step && step.status !== 'SKIPPED' ? ` in ${formatElapsed(step.durationMs)}` : ''}
            </span>
            {step && step.status !== 'PASSED' && (
              <span className="step-message">
                {step.messageId && <code>{step.messageId}</code>} {messageWithoutId(step.message, step.messageId)}
                {step.userAction && (
                  <>
                    {' '}
                    <strong>What to do:</strong> {step.userAction}
                  </>
                )}
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
