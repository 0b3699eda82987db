// The integration groups a daemon runs, in its header: each group with Egeria's status (ASSIGNED, CONFIGURING,
// RUNNING, FAILED), kept current from its connectors' status events between snapshots, and why when it is not running.
// The operator creates and deletes groups here, and adds a connector to one through the connector form.
import { useState } from 'react';
import { errorTextWithFix } from '../../shared/logic/error-text.js';
import type { IntegrationGroupStatus } from '../../shared/api/egeria5.js';
import type { DaemonModel } from '../store/model.js';
import { refusalText } from '../logic/connector-form.js';
import { changeUnavailable, groupStatuses } from '../store/selectors.js';
import { HealthMark } from './HealthBadge.js';
import type { HealthLevel } from '../../shared/logic/aggregate.js';
import { useConfirm } from './ConfirmDialog.js';
import { ConnectorForm } from './ConnectorForm.js';
import { useConsoleContext } from './context.js';
import { GroupForm } from './GroupForm.js';

const HEALTH: Record<IntegrationGroupStatus, HealthLevel> = {
  ASSIGNED: 'disconnected',
  CONFIGURING: 'retrying',
  RUNNING: 'healthy',
  FAILED: 'failed',
  DISABLED: 'disconnected',
};

export function GroupList({ daemon }: { daemon: DaemonModel }) {
  const { store, backend } = useConsoleContext();
  const confirm = useConfirm();
  const [creating, setCreating] = useState(false);
  const [addingTo, setAddingTo] = useState<string | null>(null);
  const groups = groupStatuses(daemon);
  const daemonId = daemon.entry.id;
  // A viewer token may watch groups but not change them: the changing links are not offered, as + Add connector is not.
  const mayChange = changeUnavailable(daemon) === null;

  const remove = async (group: string, connectors: number) => {
    const ok = await confirm(
      `Delete integration group ${group}?`,
      `Every daemon that runs ${group} stops its ${connectors === 1 ? 'connector' : `${connectors} connectors`} and the group's definition is deleted from the metadata server. What they catalogued stays there.`,
      'Delete group',
    );
    if (!ok) return;
    try {
      const result = await backend.deleteIntegrationGroup(daemonId, group);
      if (result.saved) store.getState().notify('info', `Integration group ${group} deleted`);
      else store.getState().notify('error', `Delete ${group}: ${refusalText(result)}`);
    } catch (error) {
      store.getState().notify('error', `Delete ${group}: ${errorTextWithFix(error)}`);
    }
  };

  return (
    <div className="integration-groups" data-testid="integration-groups">
      <span>integration groups:</span>
      {groups.length === 0 && <span className="muted">none named in this daemon’s configuration</span>}
      {groups.map((g) => (
        <span key={g.name} className="integration-group-entry">
          <span className="integration-group" data-testid="integration-group" data-group={g.name} title={g.problem}>
            <HealthMark health={HEALTH[g.status]} label={`${g.name} ${g.status}`} />
            {g.connectors > 0 && (
              <span className="muted">
                {' '}
                ({g.connectors} connector{g.connectors === 1 ? '' : 's'})
              </span>
            )}
            {g.pausedSince !== undefined && <span className="muted"> — changes wait for the metadata server</span>}
          </span>
          {mayChange && (
            <>
              <button type="button" className="link" aria-label={`Add connector to group ${g.name}`} onClick={() => setAddingTo(g.name)}>
                + Add connector to group
              </button>
              <button
                type="button"
                className="link danger"
                aria-label={`Delete group ${g.name}`}
                onClick={() => void remove(g.name, g.connectors)}
              >
                Delete…
              </button>
            </>
          )}
        </span>
      ))}
      {mayChange && (
        <button type="button" className="link" onClick={() => setCreating(true)}>
          New integration group…
        </button>
      )}
      {creating && <GroupForm daemonId={daemonId} onClose={() => setCreating(false)} />}
      {addingTo !== null && (
        <ConnectorForm
          daemonId={daemonId}
          target={{ urlMarker: daemon.services[0]?.urlMarker ?? '', groupName: addingTo }}
          onClose={() => setAddingTo(null)}
        />
      )}
    </div>
  );
}
