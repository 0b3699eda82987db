// A connector's catalog targets in its details (the directories, schemas… it works on): each target's status, last
// run and error with its own retry countdown, and per-target Resync (a refresh of that target alone) and Retry (a
// failed target now), neither of which restarts the connector or touches its other targets.
import { useState } from 'react';
import { failingTargetsText, type CatalogTargetReport } from '../../shared/api/catalog-targets.js';
import type { CatalogTargetAction } from '../../shared/console-backend.js';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import { errorSourceWords, formatTime, messageWithoutId } from '../logic/words.js';
import { RetryCountdown } from './Countdown.js';
import { useConsoleContext, useModel } from './context.js';

const ACTION_WORDS: Record<CatalogTargetAction, string> = { refresh: 'Resync', retry: 'Retry' };

export function CatalogTargets({
  daemonId,
  connectorName,
  targets,
  clockSkewMs,
  viewerWhy,
}: {
  daemonId: string;
  connectorName: string;
  targets: readonly CatalogTargetReport[];
  clockSkewMs: number;
  /** Why this console may not change the daemon (a viewer token), or null. */
  viewerWhy: string | null;
}) {
  const { store, backend } = useConsoleContext();
  const connected = useModel((s) => s.model.daemons[daemonId]?.connection === 'connected');
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (target: string, action: CatalogTargetAction) => {
    const { notify } = store.getState();
    setBusy(target);
    try {
      await backend.catalogTargetAction(daemonId, connectorName, target, action);
      notify('info', `${ACTION_WORDS[action]} of catalog target ${target} (${connectorName}) done`);
    } catch (error) {
      notify('error', `${ACTION_WORDS[action]} of catalog target ${target} (${connectorName}) failed: ${errorTextWithFix(error)}`);
    } finally {
      setBusy(null);
    }
  };
  const failing = failingTargetsText(targets);
  return (
    <section aria-labelledby="catalog-targets-title" data-testid="catalog-targets">
      <h3 id="catalog-targets-title">Catalog targets</h3>
      {failing && (
        <p className="hint" data-testid="catalog-targets-failing">
          {failing}: the others go on, and each failing one is retried on its own.
        </p>
      )}
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Status</th>
            <th scope="col">Last run</th>
            <th scope="col">Error</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((t) => (
            <tr key={t.catalogTargetName} data-testid="catalog-target-row" data-target={t.catalogTargetName}>
              <th scope="row" title={t.endpointAddress}>
                {t.catalogTargetName}
              </th>
              <td>
                <strong className={t.catalogTargetStatus === 'FAILED' ? 'run-failed' : undefined}>{t.catalogTargetStatus}</strong>
                {t.catalogTargetStatus === 'FAILED' && t.retry && (
                  <div className="muted">
                    <RetryCountdown
                      retry={{ ...t.retry, retryLimit: null, reason: '' }}
                      clockSkewMs={clockSkewMs}
                      errorSource={t.errorSource}
                      connected={connected}
                    />
                  </div>
                )}
              </td>
              <td title={t.lastRefreshTime}>
                {formatTime(t.lastRefreshTime)}
                {t.lastRunCounts && (
                  <div className="muted">
                    {t.lastRunCounts.created} new, {t.lastRunCounts.updated} changed, {t.lastRunCounts.archived} archived
                  </div>
                )}
              </td>
              <td>
                {t.failingExceptionMessageId && (
                  <>
                    <code>{t.failingExceptionMessageId}</code> {messageWithoutId(t.failingExceptionMessage, t.failingExceptionMessageId)}
                    {t.errorSource && <div className="muted">cause: {errorSourceWords(t.errorSource)}</div>}
                    {t.userAction && <div className="muted">{t.userAction}</div>}
                  </>
                )}
              </td>
              <td>
                <button
                  type="button"
                  className="small"
                  disabled={busy !== null || viewerWhy !== null}
                  title={viewerWhy ?? undefined}
                  aria-label={`Resync catalog target ${t.catalogTargetName}`}
                  onClick={() => void act(t.catalogTargetName, 'refresh')}
                >
                  Resync
                </button>{' '}
                {t.catalogTargetStatus === 'FAILED' && (
                  <button
                    type="button"
                    className="small"
                    disabled={busy !== null || viewerWhy !== null}
                    title={viewerWhy ?? undefined}
                    aria-label={`Retry catalog target ${t.catalogTargetName}`}
                    onClick={() => void act(t.catalogTargetName, 'retry')}
                  >
                    Retry
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
