// GET /status in each Egeria era's shape, built whole from a daemon's status() as the route did before the daemon
// kept the answer up to date (daemon/status-cache.ts): the reference the kept answer is compared with, and what the
// in-memory test daemon answers.
import type { IntegrationDaemonStatus, IntegrationGroupSummary } from '../../shared/api/egeria5.js';
import type { IntegrationDaemonStatusResponse } from '../../shared/api/types.js';
import type { StatusShape } from '../../electron/engine/daemon/status-cache.js';
import { egeriaReport } from '../../electron/engine/lifecycle/status-report.js';

function integrationDaemonStatus(groups: IntegrationGroupSummary[], status: IntegrationDaemonStatusResponse): IntegrationDaemonStatus {
  return {
    integrationServiceSummaries: status.integrationServiceSummaries,
    integrationGroupSummaries: groups,
    integrationConnectorReports: status.integrationServiceSummaries.flatMap((s) => s.integrationConnectorReports.map(egeriaReport)),
  };
}

/** Under `/users/{u}` the seed's answer with Egeria 5's wrapper after it; without, the wrapper and our extensions. */
export function statusInShape(shape: StatusShape, status: IntegrationDaemonStatusResponse, groups: IntegrationGroupSummary[]): unknown {
  if (shape === 'users') return { ...status, integrationDaemonStatus: integrationDaemonStatus(groups, status) };
  const {
    integrationServiceSummaries: _summaries,
    integrationGroupSummaries: _groups,
    class: responseClass,
    relatedHTTPCode,
    ...extensions
  } = status;
  return { class: responseClass, relatedHTTPCode, integrationDaemonStatus: integrationDaemonStatus(groups, status), ...extensions };
}
