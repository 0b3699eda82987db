// Reads a status answer from any daemon the console may attach to: ours and Egeria 2.x/3.x (the seed's shape,
// `integrationServiceSummaries` at the top) or Egeria 4.x (`integrationDaemonStatus` wrapper with service
// summaries, integration groups and/or connector reports) into our one `IntegrationDaemonStatusResponse`.
import { z } from 'zod';
import {
  BREAKER_STATES,
  CONNECTOR_STATUSES,
  ERROR_CATEGORIES,
  ERROR_SOURCES,
  type ConnectorStatus,
  type IntegrationConnectorReport,
  type IntegrationDaemonStatusResponse,
  type IntegrationServiceSummary,
} from '../api/types.js';
import { redactText } from '../api/redact.js';
import { INTEGRATION_GROUP_STATUSES, type IntegrationGroupStatus, type IntegrationGroupSummary } from '../api/egeria5.js';
import { diagnoseEgeriaMessage } from '../logic/egeria-diagnosis.js';
import { lazily } from '../logic/lazily.js';
import { PREVIOUS_BREAKER_STATES } from './previous-version.js';

/** The schemas of a status answer, built when the first answer arrives (see lazily). */
const schemas = lazily(() => {
  const text = z.string();
  const optionalText = z
    .string()
    .nullish()
    .transform((v) => v ?? undefined);

  /** Egeria serializes java.util.Date as epoch milliseconds unless its mapper is told otherwise; ours sends ISO-8601. */
  const time = z
    .union([z.string(), z.number().transform((ms) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms)))])
    .nullish()
    .transform((v) => v ?? undefined);

  const retrySchema = z.looseObject({
    attempt: z.number(),
    retryLimit: z.number().nullable(),
    nextRetryAt: text,
    reason: text,
    waitingFor: z.literal('metadataServer').optional(),
  });

  const statisticsSchema = z.looseObject({
    elementsCreated: z.number(),
    elementsUpdated: z.number(),
    elementsArchived: z.number(),
    errors: z.number(),
  });

  const reportSchema = z.looseObject({
    connectorName: text,
    connectorStatus: text,
    lastStatusChange: time,
    lastRefreshTime: time,
    minMinutesBetweenRefresh: z.number().nullish(),
    failingExceptionMessage: optionalText,
    connectorId: optionalText,
    connectorInstanceId: optionalText,
    failingExceptionMessageId: optionalText,
    errorSource: z.enum(ERROR_SOURCES).optional().catch(undefined),
    errorCategory: z.enum(ERROR_CATEGORIES).optional().catch(undefined),
    userAction: optionalText,
    retry: retrySchema.optional().catch(undefined),
    nextRefreshAt: optionalText,
    lastSuccessfulRefreshTime: optionalText,
    pendingObjectRetries: z.number().optional().catch(undefined),
    statistics: statisticsSchema.optional().catch(undefined),
    elementCount: z.number().optional().catch(undefined),
    connectorProvider: optionalText,
    endpointAddress: optionalText,
    integrationGroupName: optionalText,
  });

  /**
   * The status answer's shape with its connector reports checked by `reports`: every report at once, or (for a
   * status answer checked in slices) left unchecked for the slices to check.
   */
  function statusShape<R extends z.ZodType>(reports: R) {
    const serviceSchema = z.looseObject({
      integrationServiceId: z.number().nullish(),
      integrationServiceFullName: optionalText,
      integrationServiceURLMarker: optionalText,
      integrationServiceDescription: optionalText,
      integrationServiceWiki: optionalText,
      integrationConnectorReports: reports,
    });
    const groupSchema = z.looseObject({
      integrationGroupName: text,
      integrationGroupDescription: optionalText,
      integrationGroupStatus: optionalText,
      integrationConnectorReports: reports,
    });
    return z.looseObject({
      class: z.string().optional(),
      relatedHTTPCode: z.number().optional(),
      integrationServiceSummaries: z.array(serviceSchema).nullish(),
      integrationDaemonStatus: z
        .looseObject({
          integrationServiceSummaries: z.array(serviceSchema).nullish(),
          integrationGroupSummaries: z.array(groupSchema).nullish(),
          integrationConnectorReports: reports,
        })
        .nullish(),
      serverName: optionalText,
      serverTime: optionalText,
      metadataServers: z.array(metadataServerSchema).nullish(),
      /** Ours: the groups at the top, their connectors already in the service summaries (tagged with the group). */
      integrationGroupSummaries: z.array(groupSchema).nullish(),
    });
  }

  const metadataServerSchema = z.looseObject({
    metadataServerName: text,
    breakerState: z
      .enum(BREAKER_STATES)
      .or(
        z.enum(Object.keys(PREVIOUS_BREAKER_STATES) as [keyof typeof PREVIOUS_BREAKER_STATES]).transform((s) => PREVIOUS_BREAKER_STATES[s]),
      ),
    since: text,
    unavailableSince: optionalText,
    nextProbeAt: optionalText,
    waitingConnectors: z.number(),
    lastErrorMessage: optionalText,
  });

  const reportsSchema = z.array(reportSchema);
  return {
    reportsSchema,
    statusSchema: statusShape(reportsSchema.nullish()),
    /** The same shape with its reports left for checking a slice at a time. */
    statusEnvelopeSchema: statusShape(z.array(z.unknown()).nullish()),
  };
});
type RawReport = z.infer<ReturnType<typeof schemas>['reportsSchema']>[number];
type RawStatus = z.infer<ReturnType<typeof schemas>['statusSchema']>;
type RawService = NonNullable<RawStatus['integrationServiceSummaries']>[number];
type RawGroup = NonNullable<RawStatus['integrationGroupSummaries']>[number];

const KNOWN_STATUSES = new Set<string>(CONNECTOR_STATUSES);

/** Egeria prints some statuses with spaces ("INITIALIZE FAILED" in pyegeria); anything unknown counts as FAILED. */
function connectorStatus(raw: string): { status: ConnectorStatus; unknown?: string } {
  const canonical = raw
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  return KNOWN_STATUSES.has(canonical) ? { status: canonical as ConnectorStatus } : { status: 'FAILED', unknown: raw };
}

function report(raw: RawReport): IntegrationConnectorReport {
  const { status, unknown } = connectorStatus(raw.connectorStatus);
  const out: IntegrationConnectorReport = {
    connectorName: raw.connectorName,
    connectorStatus: status,
    minMinutesBetweenRefresh: raw.minMinutesBetweenRefresh ?? 0,
    // Egeria 2.x reports carry no connectorId; the name is the routing key there, so it stands in.
    connectorId: raw.connectorId ?? raw.connectorName,
  };
  const copy = <K extends keyof IntegrationConnectorReport>(key: K, value: IntegrationConnectorReport[K] | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  copy('lastStatusChange', raw.lastStatusChange);
  copy('lastRefreshTime', raw.lastRefreshTime);
  copy(
    'failingExceptionMessage',
    raw.failingExceptionMessage ?? (unknown !== undefined ? `The daemon reported an unrecognized connector status: ${unknown}` : undefined),
  );
  copy('connectorInstanceId', raw.connectorInstanceId);
  copy('failingExceptionMessageId', raw.failingExceptionMessageId ?? messageIdOf(raw.failingExceptionMessage));
  copy('errorSource', raw.errorSource);
  copy('errorCategory', raw.errorCategory);
  copy('userAction', raw.userAction);
  copy(
    'retry',
    raw.retry === undefined ? undefined : { ...raw.retry, ...(raw.retry.waitingFor ? { waitingFor: raw.retry.waitingFor } : {}) },
  );
  copy('nextRefreshAt', raw.nextRefreshAt);
  copy('lastSuccessfulRefreshTime', raw.lastSuccessfulRefreshTime);
  copy('pendingObjectRetries', raw.pendingObjectRetries);
  copy('statistics', raw.statistics);
  copy('elementCount', raw.elementCount);
  copy('connectorProvider', raw.connectorProvider);
  // Redacted again on arrival: a daemon of an older version may send a connection string with its password.
  copy('endpointAddress', raw.endpointAddress === undefined ? undefined : redactText(raw.endpointAddress));
  copy('integrationGroupName', raw.integrationGroupName);
  return withDiagnosis(out);
}

/** A foreign daemon says nothing of who is at fault: Egeria's message id tells it, as our reports do themselves. */
function withDiagnosis(out: IntegrationConnectorReport): IntegrationConnectorReport {
  if (out.errorSource !== undefined || out.failingExceptionMessage === undefined) return out;
  const diagnosis = diagnoseEgeriaMessage(out.failingExceptionMessageId, out.failingExceptionMessage);
  if (diagnosis === undefined) return out;
  return {
    ...out,
    failingExceptionMessageId: out.failingExceptionMessageId ?? diagnosis.messageId,
    errorSource: diagnosis.errorSource,
    errorCategory: out.errorCategory ?? diagnosis.errorCategory,
    userAction: out.userAction ?? diagnosis.userAction,
  };
}

/** Egeria messages start with their id (`OMAG-MULTI-TENANT-404-001 The OMAG Server …`). */
function messageIdOf(message: string | undefined): string | undefined {
  const match = message === undefined ? null : /^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3,4}(?:-\d{3})?)\s/.exec(message);
  return match?.[1];
}

function summary(raw: RawService): IntegrationServiceSummary {
  return {
    integrationServiceId: raw.integrationServiceId ?? 0,
    integrationServiceFullName: raw.integrationServiceFullName ?? raw.integrationServiceURLMarker ?? 'Integration service',
    integrationServiceURLMarker: raw.integrationServiceURLMarker ?? '',
    integrationServiceDescription: raw.integrationServiceDescription ?? '',
    integrationServiceWiki: raw.integrationServiceWiki ?? '',
    integrationConnectorReports: (raw.integrationConnectorReports ?? []).map(report),
  };
}

export class StatusShapeError extends Error {
  constructor(readonly problems: string) {
    super(`The status answer is not an integration daemon status: ${problems}`);
    this.name = 'StatusShapeError';
  }
}

/**
 * Integration groups (4.x) become summaries with the group name and an empty URL marker (they cannot be
 * restarted by marker); connector reports listed outside any service or group are gathered in one summary.
 */
export function normalizeStatus(json: unknown): IntegrationDaemonStatusResponse {
  const parsed = schemas().statusSchema.safeParse(json);
  if (!parsed.success) throw new StatusShapeError(problemsOf(parsed.error.issues));
  return fromRaw(parsed.data);
}

/** How many connector reports are checked between two pauses: a few milliseconds of a busy thread. */
export const REPORTS_PER_SLICE = 100;

/**
 * normalizeStatus for a status that may hold thousands of connectors, on a thread that must stay responsive (the
 * console's): the connector reports are checked a slice at a time, with `pause()` awaited before each slice.
 */
export async function normalizeStatusInSlices(json: unknown, pause: () => Promise<void>): Promise<IntegrationDaemonStatusResponse> {
  // The task that read the answer has spent its time on reading it; building the schemas (the first answer's) and
  // checking the envelope are slices of their own.
  await pause();
  const { statusEnvelopeSchema, reportsSchema } = schemas();
  await pause();
  const envelope = statusEnvelopeSchema.safeParse(json);
  if (!envelope.success) throw new StatusShapeError(problemsOf(envelope.error.issues));
  const e = envelope.data;
  const wrapped = e.integrationDaemonStatus ?? undefined;
  const problems: z.core.$ZodIssue[] = [];
  let sinceLastPause = REPORTS_PER_SLICE;
  // A slice is checked as one array: each parse call has a set-up cost that 1,000 calls of one report would pay 1,000 times.
  const check = async (list: unknown[] | null | undefined, path: PropertyKey[]): Promise<RawReport[] | null | undefined> => {
    if (list == null) return list;
    const out: RawReport[] = [];
    for (let start = 0; start < list.length;) {
      if (sinceLastPause >= REPORTS_PER_SLICE) {
        sinceLastPause = 0;
        await pause();
      }
      const end = Math.min(list.length, start + REPORTS_PER_SLICE - sinceLastPause);
      const slice = reportsSchema.safeParse(list.slice(start, end));
      if (slice.success) out.push(...slice.data);
      else {
        problems.push(
          ...slice.error.issues.map((issue) => {
            const [index, ...rest] = issue.path;
            return { ...issue, path: [...path, start + Number(index), ...rest] };
          }),
        );
      }
      sinceLastPause += end - start;
      start = end;
    }
    return out;
  };
  // One summary after another, so the problems come in the order of the answer.
  const withCheckedReports = async <S extends { integrationConnectorReports?: unknown[] | null | undefined }>(
    list: S[] | null | undefined,
    path: PropertyKey[],
  ): Promise<WithCheckedReports<S>[] | null | undefined> => {
    if (list == null) return list;
    const out: WithCheckedReports<S>[] = [];
    for (const [i, summary] of list.entries()) {
      out.push({
        ...summary,
        integrationConnectorReports: await check(summary.integrationConnectorReports, [...path, i, 'integrationConnectorReports']),
      } as WithCheckedReports<S>);
    }
    return out;
  };
  const raw: RawStatus = {
    ...e,
    integrationServiceSummaries: await withCheckedReports(e.integrationServiceSummaries, ['integrationServiceSummaries']),
    integrationGroupSummaries: await withCheckedReports(e.integrationGroupSummaries, ['integrationGroupSummaries']),
    integrationDaemonStatus:
      wrapped === undefined
        ? undefined
        : {
            ...wrapped,
            integrationServiceSummaries: await withCheckedReports(wrapped.integrationServiceSummaries, [
              'integrationDaemonStatus',
              'integrationServiceSummaries',
            ]),
            integrationGroupSummaries: await withCheckedReports(wrapped.integrationGroupSummaries, [
              'integrationDaemonStatus',
              'integrationGroupSummaries',
            ]),
            integrationConnectorReports: await check(wrapped.integrationConnectorReports, [
              'integrationDaemonStatus',
              'integrationConnectorReports',
            ]),
          },
  };
  if (problems.length > 0) throw new StatusShapeError(problemsOf(problems));
  return fromRaw(raw);
}

/** A summary as the envelope holds it, with its connector reports checked. */
type WithCheckedReports<S> = { [K in keyof S]: K extends 'integrationConnectorReports' ? RawReport[] | null | undefined : S[K] };

function problemsOf(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ');
}

function fromRaw(raw: RawStatus): IntegrationDaemonStatusResponse {
  const wrapped = raw.integrationDaemonStatus ?? undefined;
  if (raw.integrationServiceSummaries == null && wrapped === undefined) {
    throw new StatusShapeError('neither integrationServiceSummaries nor integrationDaemonStatus is present');
  }

  // Our daemon (and any that answers every era) sends the service summaries both at the top and in the wrapper.
  const top = raw.integrationServiceSummaries ?? [];
  const topMarkers = new Set(top.map((s) => s.integrationServiceURLMarker));
  const summaries: IntegrationServiceSummary[] = [
    ...top,
    ...(wrapped?.integrationServiceSummaries ?? []).filter((s) => !topMarkers.has(s.integrationServiceURLMarker)),
  ].map(summary);
  // Ours lists each group's connectors in the service summaries already; Egeria's only in the groups.
  const ownGroups = raw.integrationGroupSummaries ?? undefined;
  for (const group of ownGroups === undefined ? (wrapped?.integrationGroupSummaries ?? []) : []) {
    const inServices = new Set(summaries.flatMap((s) => s.integrationConnectorReports.map((r) => r.connectorName)));
    const groupReports = group.integrationConnectorReports ?? [];
    if (groupReports.length > 0 && groupReports.every((r) => inServices.has(r.connectorName))) continue;
    summaries.push({
      integrationServiceId: 0,
      integrationServiceFullName: group.integrationGroupName,
      integrationServiceURLMarker: '',
      integrationServiceDescription: group.integrationGroupDescription ?? '',
      integrationServiceWiki: '',
      integrationConnectorReports: (group.integrationConnectorReports ?? []).map((r) => ({
        ...report(r),
        integrationGroupName: group.integrationGroupName,
      })),
    });
  }
  const listed = new Set(summaries.flatMap((s) => s.integrationConnectorReports.map((r) => r.connectorName)));
  const loose = (wrapped?.integrationConnectorReports ?? []).filter((r) => !listed.has(r.connectorName)).map(report);
  if (loose.length > 0) {
    summaries.push({
      integrationServiceId: 0,
      integrationServiceFullName: 'Integration connectors',
      integrationServiceURLMarker: '',
      integrationServiceDescription: 'Connectors the daemon reports outside any integration service or group.',
      integrationServiceWiki: '',
      integrationConnectorReports: loose,
    });
  }

  const out: IntegrationDaemonStatusResponse = {
    class: 'IntegrationDaemonStatusResponse',
    relatedHTTPCode: raw.relatedHTTPCode ?? 200,
    integrationServiceSummaries: summaries,
  };
  const groups = ownGroups ?? wrapped?.integrationGroupSummaries ?? undefined;
  if (groups != null && groups.length > 0) out.integrationGroupSummaries = groups.map(groupSummary);
  if (raw.serverName !== undefined) out.serverName = raw.serverName;
  if (raw.serverTime !== undefined) out.serverTime = raw.serverTime;
  if (raw.metadataServers != null) {
    out.metadataServers = raw.metadataServers.map((m) => ({
      metadataServerName: m.metadataServerName,
      breakerState: m.breakerState,
      since: m.since,
      waitingConnectors: m.waitingConnectors,
      ...(m.unavailableSince !== undefined ? { unavailableSince: m.unavailableSince } : {}),
      ...(m.nextProbeAt !== undefined ? { nextProbeAt: m.nextProbeAt } : {}),
      ...(m.lastErrorMessage !== undefined ? { lastErrorMessage: m.lastErrorMessage } : {}),
    }));
  }
  return out;
}

const GROUP_STATUSES = new Set<string>(INTEGRATION_GROUP_STATUSES);

/** A group's summary in Egeria 5's shape; a status this client does not know counts as FAILED. */
function groupSummary(raw: RawGroup): IntegrationGroupSummary {
  const status = raw.integrationGroupStatus?.trim().toUpperCase();
  const reported = (raw.integrationConnectorReports ?? []).map(report);
  return {
    integrationGroupName: raw.integrationGroupName,
    ...(typeof raw.integrationGroupGUID === 'string' ? { integrationGroupGUID: raw.integrationGroupGUID } : {}),
    ...(raw.integrationGroupDescription !== undefined ? { integrationGroupDescription: raw.integrationGroupDescription } : {}),
    integrationGroupStatus: status === undefined ? 'ASSIGNED' : GROUP_STATUSES.has(status) ? (status as IntegrationGroupStatus) : 'FAILED',
    integrationConnectorReports: reported.map((r) => ({
      connectorId: r.connectorId,
      connectorName: r.connectorName,
      connectorStatus: r.connectorStatus === 'RETRYING' ? 'INITIALIZE_FAILED' : r.connectorStatus,
      minMinutesBetweenRefresh: r.minMinutesBetweenRefresh,
    })),
    ...(typeof raw.integrationGroupVersion === 'number' ? { integrationGroupVersion: raw.integrationGroupVersion } : {}),
    ...(typeof raw.integrationGroupProblem === 'string' ? { integrationGroupProblem: raw.integrationGroupProblem } : {}),
    ...(typeof raw.pickupPausedSince === 'string' ? { pickupPausedSince: raw.pickupPausedSince } : {}),
  };
}
