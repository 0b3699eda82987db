// The details panel of one connector: everything in its report, its run history and its object retries.
import { useEffect, useRef, useState } from 'react';
import { formatElapsed } from '../../shared/logic/duration.js';
import { errorSourceWords, formatTime, messageWithoutId, RUN_TRIGGER_WORDS } from '../logic/words.js';
import { connectorAction, eraActionUnavailable } from '../../shared/console-actions.js';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import { runAction } from '../store/store.js';
import { connectorLevel, reportLevel } from '../../shared/logic/aggregate.js';
import { retryNowUnavailable } from '../logic/outcome.js';
import { changeUnavailable } from '../store/selectors.js';
import { refusalText } from '../logic/connector-form.js';
import type { ConnectorTestStep } from '../../shared/api/types.js';
import type { ConnectorEntry } from '../../shared/console-backend.js';
import { CatalogTargets } from './CatalogTargets.js';
import { useConfirm } from './ConfirmDialog.js';
import { ConnectorForm } from './ConnectorForm.js';
import { ConnectorHeldArchive } from './HeldArchive.js';
import { TestSteps } from './TestSteps.js';
import { RunHistoryChart } from './charts/RunHistoryChart.js';
import { RefreshCountdown, RetryCountdown } from './Countdown.js';
import { useConsoleContext, useModel } from './context.js';
import { StatusBadge } from './HealthBadge.js';

const RUN_LIMIT = 20;
const ACTION_WORDS = { restart: 'Restart', refresh: 'Refresh', retryNow: 'Retry now' } as const;

export function ConnectorDetails({ daemonId, connectorKey }: { daemonId: string; connectorKey: string }) {
  const { store, backend } = useConsoleContext();
  const confirm = useConfirm();
  const entry = useModel((s) => s.model.daemons[daemonId]?.connectors[connectorKey]);
  const skew = useModel((s) => s.model.daemons[daemonId]?.clockSkewMs ?? 0);
  const connected = useModel((s) => s.model.daemons[daemonId]?.connection === 'connected');
  const era = useModel((s) => s.model.daemons[daemonId]?.entry.era);
  const viewerWhy = useModel((s) => changeUnavailable(s.model.daemons[daemonId]));
  const name = entry?.report.connectorName;
  const runs = useModel((s) => (name ? s.model.daemons[daemonId]?.runs[name] : undefined));
  const objectRetries = useModel((s) => (name ? s.model.daemons[daemonId]?.objectRetries[name] : undefined));
  const heading = useRef<HTMLHeadingElement>(null);
  // Desktop only: the main process keeps a per-connector notification mute (the tray shows the same list).
  const canMute = backend.muteConnector !== undefined && backend.mutedConnectors !== undefined;
  const [muted, setMuted] = useState<boolean | null>(null);
  const [testSteps, setTestSteps] = useState<ConnectorTestStep[] | null>(null);
  const [testing, setTesting] = useState(false);
  /** The configured entry the edit form opens with (null: it could not be read, the form starts from the name). */
  const [editing, setEditing] = useState<{ entry: ConnectorEntry | null } | null>(null);

  useEffect(() => {
    if (!name || !backend.mutedConnectors) return;
    let current = true;
    backend.mutedConnectors().then(
      (list) => current && setMuted(list.some((c) => c.daemonId === daemonId && c.connectorName === name)),
      (error: unknown) => current && store.getState().notify('error', `Notification settings: ${errorTextWithFix(error)}`),
    );
    return () => {
      current = false;
    };
  }, [daemonId, name, backend, store]);

  useEffect(() => {
    heading.current?.focus();
  }, [connectorKey]);

  useEffect(() => {
    if (!name) return;
    let current = true;
    const { dispatch, notify } = store.getState();
    backend.runs(daemonId, { connectorName: name, limit: RUN_LIMIT }).then(
      (list) => current && dispatch({ type: 'runs-loaded', daemonId, connectorName: name, runs: list }),
      (error: unknown) => current && notify('error', `Run history of ${name}: ${errorTextWithFix(error)}`),
    );
    backend.objectRetries(daemonId, name).then(
      (list) => current && dispatch({ type: 'object-retries-loaded', daemonId, connectorName: name, objectRetries: list }),
      (error: unknown) => current && notify('error', `Object retries of ${name}: ${errorTextWithFix(error)}`),
    );
    return () => {
      current = false;
    };
  }, [daemonId, name, backend, store]);

  const close = () => store.getState().dispatch({ type: 'focus-connector', daemonId, connectorKey: null });
  if (!entry || !name) return null;
  const r = entry.report;
  // A viewer token first, then what the daemon's era lacks (Egeria has no retry now), then this connector's state.
  const whyNot = (kind: 'restart' | 'refresh' | 'retryNow') =>
    viewerWhy ?? eraActionUnavailable(era, { kind, scope: 'connector' }) ?? (kind === 'retryNow' ? retryNowUnavailable(r) : null);
  const retryWhy = whyNot('retryNow');
  // Said in words on a failed connector, where an operator would otherwise wonder why it cannot be retried.
  const explainRetry = retryWhy !== null && connectorLevel(r.connectorStatus) === 'failed';

  const toggleMute = async () => {
    if (!backend.muteConnector || muted === null) return;
    try {
      await backend.muteConnector(daemonId, name, !muted);
      setMuted(!muted);
      store.getState().notify('info', `Notifications for ${name} ${muted ? 'resumed' : 'muted'}`);
    } catch (error) {
      store.getState().notify('error', `Notification settings of ${name}: ${errorTextWithFix(error)}`);
    }
  };

  const testConnection = async () => {
    setTesting(true);
    setTestSteps([]);
    try {
      const answer = await backend.testConnector(daemonId, name, (step) => setTestSteps((s) => [...(s ?? []), step]));
      setTestSteps(answer.steps);
      store
        .getState()
        .notify(answer.passed ? 'info' : 'error', `Test connection of ${name}: ${answer.passed ? 'every check passed' : 'a check failed'}`);
    } catch (error) {
      store.getState().notify('error', `Test connection of ${name} failed: ${errorTextWithFix(error)}`);
    } finally {
      setTesting(false);
    }
  };

  const edit = async () => {
    try {
      setEditing({ entry: await backend.connectorEntry(daemonId, name) });
    } catch (error) {
      store.getState().notify('error', `Configuration of ${name}: ${errorTextWithFix(error)}`);
      setEditing({ entry: null });
    }
  };

  // A group's connector lives in the group's definition, not in the configuration document: it is taken out there,
  // and every daemon running the group stops it.
  const removeFromGroup = async (group: string) => {
    const ok = await confirm(
      `Remove connector ${name} from integration group ${group}?`,
      `Every daemon that runs ${group} stops it and the group's definition no longer lists it. What it catalogued stays in the metadata server.`,
      'Remove from group',
    );
    if (!ok) return;
    try {
      const result = await backend.removeIntegrationGroupConnector(daemonId, group, name);
      if (!result.saved) {
        store.getState().notify('error', `Remove ${name} from ${group}: ${refusalText(result)}`);
        return;
      }
      // Its shutdown may still name the group, so the row goes now rather than when its last event arrives.
      store.getState().dispatch({ type: 'connector-removed', daemonId, connectorName: name });
      store.getState().notify('info', `Connector ${name} removed from integration group ${group}`);
      close();
    } catch (error) {
      store.getState().notify('error', `Remove ${name} from ${group}: ${errorTextWithFix(error)}`);
    }
  };

  const retryObjectsNow = async (objectKey?: string) => {
    try {
      await backend.retryObjectsNow(daemonId, name, objectKey);
      store.getState().notify('info', `Retry objects now (${objectKey ?? 'every object'}) of ${name}: requested`);
      const list = await backend.objectRetries(daemonId, name);
      store.getState().dispatch({ type: 'object-retries-loaded', daemonId, connectorName: name, objectRetries: list });
    } catch (error) {
      store.getState().notify('error', `Retry objects now of ${name} failed: ${errorTextWithFix(error)}`);
    }
  };

  return (
    <aside className="details" aria-labelledby="details-title" data-testid="connector-details">
      <div className="details-head">
        <h2 id="details-title" ref={heading} tabIndex={-1} title={name}>
          {name}
        </h2>
        <button type="button" onClick={close} aria-label="Close connector details">
          Close
        </button>
      </div>
      <div className="toolbar" role="group" aria-label={`Actions for connector ${name}`}>
        {(['restart', 'refresh', 'retryNow'] as const).map((kind) => (
          <button
            key={kind}
            type="button"
            disabled={whyNot(kind) !== null}
            title={whyNot(kind) ?? undefined}
            aria-describedby={kind === 'retryNow' && explainRetry ? 'retry-now-why' : undefined}
            onClick={() =>
              void runAction(
                store,
                backend,
                daemonId,
                connectorAction(kind, { daemonId, connectorName: name, urlMarker: entry.urlMarker }),
                `${ACTION_WORDS[kind]} ${name}`,
              )
            }
          >
            {ACTION_WORDS[kind]}
          </button>
        ))}
        <button type="button" disabled={testing || viewerWhy !== null} title={viewerWhy ?? undefined} onClick={() => void testConnection()}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        {r.integrationGroupName === undefined ? (
          <button type="button" disabled={viewerWhy !== null} title={viewerWhy ?? undefined} onClick={() => void edit()}>
            Edit…
          </button>
        ) : (
          <button
            type="button"
            className="danger"
            disabled={viewerWhy !== null}
            title={viewerWhy ?? undefined}
            onClick={() => void removeFromGroup(r.integrationGroupName ?? '')}
          >
            Remove from group…
          </button>
        )}
        {canMute && (
          <button type="button" aria-pressed={muted === true} disabled={muted === null} onClick={() => void toggleMute()}>
            {muted ? 'Notifications muted' : 'Mute notifications'}
          </button>
        )}
      </div>
      {explainRetry && (
        <p id="retry-now-why" className="hint" data-testid="retry-now-why">
          {retryWhy}
        </p>
      )}
      {r.heldArchive && <ConnectorHeldArchive daemonId={daemonId} connectorName={name} heldAt={r.heldArchive.heldAt} />}
      {testSteps !== null && <TestSteps declared={[]} steps={testSteps} running={testing} />}
      {editing && viewerWhy === null && (
        <ConnectorForm
          daemonId={daemonId}
          target={{ connectorName: name, urlMarker: entry.urlMarker, entry: editing.entry }}
          onClose={() => setEditing(null)}
        />
      )}
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={r.connectorStatus} health={reportLevel(r)} />
        </dd>
        <dt>Integration service</dt>
        <dd>{entry.urlMarker}</dd>
        {r.errorSource && (
          <>
            <dt>Cause</dt>
            <dd>
              {errorSourceWords(r.errorSource)}
              {r.errorCategory ? ` (${r.errorCategory})` : ''}
            </dd>
          </>
        )}
        {(r.failingExceptionMessageId || r.failingExceptionMessage) && (
          <>
            <dt>Message</dt>
            <dd>
              <code>{r.failingExceptionMessageId}</code> {messageWithoutId(r.failingExceptionMessage, r.failingExceptionMessageId)}
            </dd>
          </>
        )}
        {r.userAction && (
          <>
            <dt>What to do</dt>
            <dd>{r.userAction}</dd>
          </>
        )}
        {r.retry && (
          <>
            <dt>Automatic retry</dt>
            <dd>
              <RetryCountdown retry={r.retry} clockSkewMs={skew} errorSource={r.errorSource} connected={connected} />
            </dd>
          </>
        )}
        <dt>Last status change</dt>
        <dd title={r.lastStatusChange}>{formatTime(r.lastStatusChange)}</dd>
        <dt>Last refresh</dt>
        <dd title={r.lastRefreshTime}>{formatTime(r.lastRefreshTime)}</dd>
        <dt>Next refresh</dt>
        <dd>
          <RefreshCountdown at={r.nextRefreshAt} clockSkewMs={skew} connected={connected} />
          {r.minMinutesBetweenRefresh > 0 ? ` (every ${r.minMinutesBetweenRefresh} min)` : ' (only at start and on request)'}
        </dd>
        {r.statistics && (
          <>
            <dt>Elements</dt>
            <dd>
              {r.statistics.elementsCreated} created, {r.statistics.elementsUpdated} updated, {r.statistics.elementsArchived} archived,{' '}
              {r.statistics.errors} errors
            </dd>
          </>
        )}
        <dt>Catalogued</dt>
        <dd>
          {r.elementCount !== undefined && `${r.elementCount.toLocaleString()} element${r.elementCount === 1 ? '' : 's'} · `}
          <button
            type="button"
            className="link"
            onClick={() => store.getState().dispatch({ type: 'show-catalogue', daemonId, connectorName: name })}
          >
            Show its elements in the catalogue
          </button>
        </dd>
        <dt>Connector id</dt>
        <dd>
          <code>{r.connectorId}</code>
        </dd>
      </dl>

      {r.catalogTargets && r.catalogTargets.length > 0 && (
        <CatalogTargets daemonId={daemonId} connectorName={name} targets={r.catalogTargets} clockSkewMs={skew} viewerWhy={viewerWhy} />
      )}

      <h3>Run history</h3>
      {runs && runs.length > 0 && <RunHistoryChart connectorName={name} runs={runs} />}
      {runs && runs.length > 0 ? (
        <ol className="runs" data-testid="run-history">
          {runs.slice(0, RUN_LIMIT).map((run) => (
            <li key={run.runId}>
              <span title={run.startedAt}>{formatTime(run.startedAt)}</span> · {RUN_TRIGGER_WORDS[run.trigger] ?? run.trigger} ·{' '}
              {run.durationMs === undefined ? '—' : formatElapsed(run.durationMs)} ·{' '}
              <strong className={`run-${run.state.toLowerCase()}`}>{run.state}</strong>
              {run.failingExceptionMessageId && <code> {run.failingExceptionMessageId}</code>}
              <div className="muted">
                {run.counts.discovered} found: {run.counts.created} new, {run.counts.updated} changed, {run.counts.unchanged} unchanged,{' '}
                {run.counts.archived} archived, {run.counts.failed} failed
              </div>
              {run.failingExceptionMessage && (
                <div className="muted">{messageWithoutId(run.failingExceptionMessage, run.failingExceptionMessageId)}</div>
              )}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No runs recorded yet.</p>
      )}

      <h3>Object retries</h3>
      {objectRetries && objectRetries.length > 0 ? (
        <>
          <ul className="object-retries">
            {objectRetries.map((o) => (
              <li key={o.objectKey}>
                <code>{o.objectKey}</code> —{' '}
                {o.state === 'GAVE_UP' ? 'gave up' : `attempt ${o.attempt}${o.retryLimit === null ? '' : ` of ${o.retryLimit}`}`}:{' '}
                <code>{o.lastErrorMessageId}</code> {o.lastErrorMessage}{' '}
                <button
                  type="button"
                  className="small"
                  disabled={viewerWhy !== null}
                  title={viewerWhy ?? undefined}
                  onClick={() => void retryObjectsNow(o.objectKey)}
                  aria-label={`Retry object ${o.objectKey} now`}
                >
                  Retry object now
                </button>
              </li>
            ))}
          </ul>
          <button type="button" disabled={viewerWhy !== null} title={viewerWhy ?? undefined} onClick={() => void retryObjectsNow()}>
            Retry objects now
          </button>
        </>
      ) : (
        <p className="muted">None.</p>
      )}
    </aside>
  );
}
