// Every lifecycle call runs under a timeout and an AbortSignal. A call that does not return in time is abandoned:
// its signal fires, the caller gets a TimeoutError and moves on, and whatever the connector does later is ignored.
import type { Clock } from '../../../shared/logic/clock.js';
import { errorText } from '../../../shared/api/error-text.js';

export function callWithTimeout<T>(
  clock: Clock,
  timeoutMs: number,
  parent: AbortSignal,
  call: (signal: AbortSignal) => Promise<T>,
  timeoutError: () => Error,
): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      timer.dispose();
      parent.removeEventListener('abort', onParentAbort);
      action();
    };
    const onParentAbort = () => {
      controller.abort(parent.reason);
      finish(() => reject(parent.reason instanceof Error ? parent.reason : new Error(errorText(parent.reason))));
    };
    const timer = clock.setTimeout(() => {
      const error = timeoutError();
      controller.abort(error);
      finish(() => reject(error));
    }, timeoutMs);
    if (parent.aborted) {
      onParentAbort();
      return;
    }
    parent.addEventListener('abort', onParentAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(call(controller.signal));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
