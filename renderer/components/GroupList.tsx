// The integration groups a daemon runs, in its header: each group with Egeria's status (ASSIGNED, CONFIGURING,
// RUNNING, FAILED), kept current from its connectors' status events between snapshots, and why when it is not running.
import type { IntegrationGroupStatus } from '../../shared/api/egeria5.js';
import type { DaemonModel } from '../store/model.js';
import { groupStatuses } from '../store/selectors.js';
import { HealthMark } from './HealthBadge.js';
import type { HealthLevel } from '../../shared/logic/aggregate.js';

const HEALTH: Record<IntegrationGroupStatus, HealthLevel> = {
  ASSIGNED: 'disconnected',
  CONFIGURING: 'retrying',
  RUNNING: 'healthy',
  FAILED: 'failed',
  DISABLED: 'disconnected',
};

export function GroupList({ daemon }: { daemon: DaemonModel }) {
  const groups = groupStatuses(daemon);
  if (groups.length === 0) return null;
  return (
    <p className="integration-groups" data-testid="integration-groups">
      <span>integration groups:</span>
      {groups.map((g) => (
        <span key={g.name} className="integration-group" data-testid="integration-group" data-group={g.name} title={g.problem}>
          <HealthMark health={HEALTH[g.status]} label={`${g.name} ${g.status}`} />
          {g.connectors > 0 && (
            <span className="muted">
              {' '}
              ({g.connectors} connector{g.connectors === 1 ? '' : 's'})
            </span>
          )}
          {g.pausedSince !== undefined && <span className="muted"> — changes wait for the metadata server</span>}
        </span>
      ))}
    </p>
  );
}
