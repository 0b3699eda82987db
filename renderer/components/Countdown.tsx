// The only components that subscribe to the 1 s ticker. A retry or refresh of a daemon the console cannot reach is
// not counted down, and its cell does not subscribe.
import { memo } from 'react';
import type { ErrorSource, RetryInfo } from '../../shared/api/types.js';
import {
  probeText,
  reconnectText,
  refreshText,
  retryText,
  retryTextWhileDisconnected,
  TIME_UNKNOWN_WHILE_DISCONNECTED,
} from '../logic/countdown.js';
import { useNow } from '../store/ticker.js';

export const RetryCountdown = memo(function RetryCountdown({
  retry,
  clockSkewMs,
  errorSource,
  connected,
}: {
  retry: RetryInfo;
  clockSkewMs: number;
  errorSource?: ErrorSource | undefined;
  connected: boolean;
}) {
  if (!connected) {
    return (
      <span className="countdown" data-testid="retry-countdown">
        {retryTextWhileDisconnected(retry, errorSource)}
      </span>
    );
  }
  return <LiveRetryCountdown retry={retry} clockSkewMs={clockSkewMs} errorSource={errorSource} />;
});

function LiveRetryCountdown({
  retry,
  clockSkewMs,
  errorSource,
}: {
  retry: RetryInfo;
  clockSkewMs: number;
  errorSource: ErrorSource | undefined;
}) {
  const now = useNow();
  return (
    <span className="countdown" data-testid="retry-countdown">
      {retryText(retry, now, clockSkewMs, errorSource)}
    </span>
  );
}

export const RefreshCountdown = memo(function RefreshCountdown({
  at,
  clockSkewMs,
  connected,
}: {
  at: string | undefined;
  clockSkewMs: number;
  connected: boolean;
}) {
  if (!connected) {
    return (
      <span className="countdown" data-testid="refresh-countdown">
        {TIME_UNKNOWN_WHILE_DISCONNECTED}
      </span>
    );
  }
  return <LiveRefreshCountdown at={at} clockSkewMs={clockSkewMs} />;
});

function LiveRefreshCountdown({ at, clockSkewMs }: { at: string | undefined; clockSkewMs: number }) {
  const now = useNow();
  return (
    <span className="countdown" data-testid="refresh-countdown">
      {refreshText(at, now, clockSkewMs)}
    </span>
  );
}

export const ReconnectCountdown = memo(function ReconnectCountdown({ at }: { at: string | undefined }) {
  const now = useNow();
  return (
    <span className="countdown" data-testid="reconnect-countdown">
      {reconnectText(at, now)}
    </span>
  );
});

export const ProbeCountdown = memo(function ProbeCountdown({ at, clockSkewMs }: { at: string | undefined; clockSkewMs: number }) {
  const now = useNow();
  return (
    <span className="countdown" data-testid="probe-countdown">
      {probeText(at, now, clockSkewMs)}
    </span>
  );
});
