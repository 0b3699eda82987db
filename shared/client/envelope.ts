// The error envelope a daemon answers a refused call with, as the client checks it. Apart from errors.ts so that
// what only reports errors (the CLI's --help and its error printing) does not load zod.
import { z } from 'zod';
import { lazily } from '../logic/lazily.js';

/** The error envelope a daemon answers a refused call with; built on first use (see lazily). */
export const envelopeSchema = lazily(() =>
  z.looseObject({
    class: z.string().optional(),
    relatedHTTPCode: z.number(),
    exceptionClassName: z.string().optional(),
    actionDescription: z.string().optional(),
    exceptionErrorMessage: z.string().optional(),
    exceptionErrorMessageId: z.string().optional(),
    exceptionErrorMessageParameters: z.array(z.string()).nullish(),
    exceptionSystemAction: z.string().optional(),
    exceptionUserAction: z.string().optional(),
    exceptionProperties: z.record(z.string(), z.string()).nullish(),
    problems: z.array(z.looseObject({ path: z.string(), messageId: z.string(), message: z.string(), fix: z.string() })).nullish(),
  }),
);
export type Envelope = z.infer<ReturnType<typeof envelopeSchema>>;
