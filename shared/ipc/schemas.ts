// Shapes of every IPC argument tuple, checked in main before a handler runs (the renderer is untrusted).
import { z } from 'zod';
import { AUDIT_SEVERITIES } from '../api/types.js';
import type { InvokeChannel } from './channels.js';

const id = z.string().min(1).max(200);
const name = z.string().min(1).max(500);
const limit = z.number().int().min(1).max(10_000);

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

const httpUrl = z
  .string()
  .max(2000)
  .refine((value) => {
    const u = parsedUrl(value);
    return u !== undefined && (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
  }, 'must be an http:// or https:// platform URL without credentials, e.g. https://daemon.example.com:9443')
  // The bearer token goes with every request: over plain HTTP to another machine anyone on the way could take it.
  .refine(
    (value) => parsedUrl(value)?.protocol !== 'http:' || LOOPBACK_HOSTS.test(parsedUrl(value)?.hostname ?? ''),
    'must use https:// for a daemon on another machine, because its token would cross the network in clear text; http:// is accepted for 127.0.0.1, localhost and [::1] (a daemon without TLS can be reached through an SSH tunnel to a local port)',
  );

const daemonInputFields = {
  label: z.string().trim().min(1).max(100),
  url: httpUrl,
  serverName: name,
  userId: name,
  token: z.string().min(1).max(4096).optional(),
};
export const daemonInputSchema = z.strictObject(daemonInputFields);
export const daemonUpdateSchema = z.strictObject(daemonInputFields).partial();

export const consoleActionSchema = z
  .strictObject({
    kind: z.enum(['restart', 'refresh', 'retryNow']),
    scope: z.enum(['connector', 'service', 'daemon']),
    serviceURLMarker: name.optional(),
    connectorName: name.optional(),
  })
  .refine((a) => a.scope !== 'connector' || a.connectorName !== undefined, {
    message: 'a connector action names the connector (connectorName)',
  })
  .refine((a) => a.scope !== 'service' || a.serviceURLMarker !== undefined, {
    message: 'a service action names the service (serviceURLMarker)',
  })
  .refine((a) => a.kind !== 'retryNow' || a.scope === 'connector', {
    message: 'retryNow applies to one connector',
  });

export const invokeArgSchemas = {
  'daemons:list': z.tuple([]),
  'daemons:add': z.tuple([daemonInputSchema]),
  'daemons:update': z.tuple([id, daemonUpdateSchema]),
  'daemons:remove': z.tuple([id]),
  'daemon:action': z.tuple([id, consoleActionSchema]),
  'daemon:audit-log': z.tuple([
    id,
    z.strictObject({
      severity: z.array(z.enum(AUDIT_SEVERITIES)).max(AUDIT_SEVERITIES.length).optional(),
      connectorName: name.optional(),
      limit,
    }),
  ]),
  'daemon:runs': z.tuple([id, z.strictObject({ connectorName: name.optional(), limit })]),
  'daemon:object-retries': z.tuple([id, name.optional()]),
  'daemon:retry-objects': z.tuple([id, name, name.optional()]),
  'notifications:muted': z.tuple([]),
  'notifications:mute': z.tuple([id, name, z.boolean()]),
  'console:ready': z.tuple([]),
} as const satisfies Record<InvokeChannel, z.ZodType>;
