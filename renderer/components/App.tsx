// The console's one page: the worst state at the top, the daemons in a sidebar, the selected daemon's connectors,
// catalogue and audit log in tabs, a connector's details beside them, the notices, and the daemon form.
import { useState, type KeyboardEvent } from 'react';
import type { DaemonEntry } from '../../shared/console-backend.js';
import { HEALTH_WORDS } from '../../shared/logic/aggregate.js';
import { HEALTH_SYMBOL } from '../logic/health.js';
import type { ViewName } from '../store/model.js';
import { consoleHealth } from '../store/selectors.js';
import { AuditLog } from './AuditLog.js';
import { ConfirmProvider } from './ConfirmDialog.js';
import { ConnectorDetails } from './ConnectorDetails.js';
import { ConnectorList } from './ConnectorList.js';
import { useConsoleContext, useModel } from './context.js';
import { Catalogue } from './Catalogue.js';
import { DaemonForm } from './DaemonForm.js';
import { DaemonHeader } from './DaemonHeader.js';
import { DaemonTimeline } from './charts/DaemonTimeline.js';
import { Notices, StatusAnnouncer } from './Notices.js';
import { Sidebar } from './Sidebar.js';
import { ThemeToggle } from './ThemeToggle.js';

const TABS: { id: ViewName; label: string }[] = [
  { id: 'connectors', label: 'Connectors' },
  { id: 'catalogue', label: 'Catalogue' },
  { id: 'audit', label: 'Audit log' },
];

export function App() {
  const selectedId = useModel((s) => s.model.selectedDaemonId);
  const daemon = useModel((s) => (s.model.selectedDaemonId ? s.model.daemons[s.model.selectedDaemonId] : undefined));
  const focus = useModel((s) => s.model.focus);
  const overall = useModel((s) => consoleHealth(s.model));
  const { store } = useConsoleContext();
  const tab = useModel((s) => s.model.view);
  const catalogueOf = useModel((s) => s.model.catalogueOf);
  const setTab = (view: ViewName) => store.getState().dispatch({ type: 'show-view', view });
  const [form, setForm] = useState<{ editing: DaemonEntry | null } | null>(null);

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    if (next) {
      setTab(next.id);
      document.getElementById(`tab-${next.id}`)?.focus();
    }
  };

  return (
    <ConfirmProvider>
      <div className={`app${focus ? ' with-details' : ''}`} data-app-state="ready">
        <a className="skip-link" href="#main">
          Skip to connectors
        </a>
        <header className="topbar">
          <span className="product">Integration Daemon console</span>
          <span className={`overall health-${overall}`} data-testid="overall-health">
            <span aria-hidden="true">{HEALTH_SYMBOL[overall]}</span> overall: {HEALTH_WORDS[overall]}
          </span>
          <ThemeToggle />
        </header>
        <Sidebar onAdd={() => setForm({ editing: null })} />
        <main id="main" className="main">
          {daemon && selectedId ? (
            <>
              <DaemonHeader daemon={daemon} onEdit={() => setForm({ editing: daemon.entry })} />
              <DaemonTimeline key={selectedId} entry={daemon.entry} />
              <div role="tablist" aria-label="Views" className="tabs">
                {TABS.map((t) => (
                  <button
                    key={t.id}
                    id={`tab-${t.id}`}
                    type="button"
                    role="tab"
                    aria-selected={tab === t.id}
                    aria-controls={`panel-${t.id}`}
                    tabIndex={tab === t.id ? 0 : -1}
                    onClick={() => setTab(t.id)}
                    onKeyDown={onTabKey}
                  >
                    {t.label}
                  </button>
                ))}
              </div>
              <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} className="tabpanel">
                {tab === 'connectors' ? (
                  <ConnectorList key={selectedId} daemonId={selectedId} />
                ) : tab === 'catalogue' ? (
                  <Catalogue
                    key={`${selectedId}|${catalogueOf?.seq ?? 0}`}
                    daemonId={selectedId}
                    connectorName={catalogueOf?.connectorName}
                  />
                ) : (
                  <AuditLog daemonId={selectedId} />
                )}
              </div>
            </>
          ) : (
            <p className="empty">No daemon yet. Add one with “Add remote daemon”.</p>
          )}
        </main>
        {focus && (
          <ConnectorDetails key={`${focus.daemonId}/${focus.connectorKey}`} daemonId={focus.daemonId} connectorKey={focus.connectorKey} />
        )}
        <Notices />
        <StatusAnnouncer />
        {form && <DaemonForm editing={form.editing} onClose={() => setForm(null)} />}
      </div>
    </ConfirmProvider>
  );
}
