import { useEffect, useRef } from 'react';
import type { StudioEvent } from '../types.js';

/**
 * Listens to the studio's Server-Sent Events (`/api/events`) for the page's lifetime; the browser reconnects on
 * its own when the studio restarts. `onEvent` may change between renders.
 */
export function useStudioEvents(onEvent: (event: StudioEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const source = new EventSource('/api/events');
    source.onmessage = (message: MessageEvent<string>) => {
      let event: StudioEvent;
      try {
        event = JSON.parse(message.data) as StudioEvent;
      } catch {
        return;
      }
      handler.current(event);
    };
    return () => source.close();
  }, []);
}
