// Imported first by the entry point. Zod probes `new Function` to speed up parsing; under the console's CSP (no
// 'unsafe-eval') the probe is a violation report, so zod is told not to try before any schema is used.
import { z } from 'zod';

z.config({ jitless: true });
