// Operator-facing words for the wire enums, so the UI never shows `thirdParty` or `metadataServer`.
import type { ErrorSource, RunTrigger } from '../../shared/api/types.js';
import { lazily } from '../../shared/logic/lazily.js';

const ERROR_SOURCE_WORDS: Record<ErrorSource, string> = {
  connector: 'connector or its configuration',
  thirdParty: 'third-party technology',
  metadataServer: 'metadata server',
};

export const RUN_TRIGGER_WORDS: Record<RunTrigger, string> = {
  start: 'start',
  schedule: 'scheduled refresh',
  request: 'operator request',
  retry: 'automatic retry',
  change: 'change detected',
};

export function errorSourceWords(source: ErrorSource | undefined): string {
  return source ? ERROR_SOURCE_WORDS[source] : '';
}

// Made once: an Intl formatter costs far more to build than to use, and a windowed list formats three times a row.
// Made on first use, not while the page's scripts evaluate: see renderer/intl-warmup.ts.
const timeFormat = lazily(
  () => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }),
);
const dateFormat = lazily(() => new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'numeric', day: 'numeric' }));

/** Local wall-clock time for a daemon timestamp (with the date unless it is today); the full ISO string goes in the title for precision. */
export function formatTime(iso: string | undefined, now: Date = new Date()): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  const time = timeFormat().format(d);
  return sameDay ? time : `${dateFormat().format(d)} ${time}`;
}

/** Egeria messages repeat their id at the start ("OMAG-MULTI-TENANT-404-001 The OMAG Server…"); shown beside the id, it is noise. */
export function messageWithoutId(message: string | undefined, messageId: string | undefined): string {
  if (!message) return '';
  if (messageId && message.startsWith(messageId)) return message.slice(messageId.length).trimStart();
  return message;
}
