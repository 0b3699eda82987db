// The scroll offset of a windowed list, kept as state for the rows it mounts.
import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * The scroller's offset and the function its scroll handler calls. The browser dispatches scroll events inside
 * its rendering step, and Preact renders a state update in a microtask of the event: the rows a jump mounts, their
 * layout and the paint would all be one task (47 ms of CPU for the connector list's jump to its middle). The
 * update is therefore made in a task after the event, as React's scheduler did; scroll events in between only
 * move the offset that task reads.
 */
export function useScrollTop(): [scrollTop: number, onScrolled: (scrollTop: number) => void] {
  const [scrollTop, setScrollTop] = useState(0);
  const latest = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (pending.current !== null) clearTimeout(pending.current);
      pending.current = null;
    },
    [],
  );
  const onScrolled = useCallback((top: number) => {
    latest.current = top;
    pending.current ??= setTimeout(() => {
      pending.current = null;
      setScrollTop(latest.current);
    }, 0);
  }, []);
  return [scrollTop, onScrolled];
}
