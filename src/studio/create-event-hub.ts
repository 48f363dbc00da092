import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StudioEvent } from './types.js';

/** Comment line sent this often so proxies and the browser keep an idle stream open. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/** Options of `createEventHub`. */
export type CreateEventHubOptions = { heartbeatMs?: number };

/** Fans studio events out to every open `GET /api/events` stream (Server-Sent Events). */
export interface EventHub {
  /** Sends one event to every connected page. */
  send(event: StudioEvent): void;
  /** Takes over a request as an event stream; it stays open until the page goes or `close()`. */
  attach(request: IncomingMessage, response: ServerResponse): void;
  /** Number of open streams. */
  readonly size: number;
  /** Ends every stream. */
  close(): void;
}

/**
 * Creates the hub behind `GET /api/events`: each event is one `data:` line of JSON; a `hello` event greets each
 * new stream, and a comment heartbeat keeps idle streams alive.
 *
 * @example
 * const hub = createEventHub();
 * hub.send({ type: 'dataset', ref: 'datasets/welcome.csv' });
 */
export function createEventHub(options: CreateEventHubOptions = {}): EventHub {
  const clients = new Set<ServerResponse>();
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': ping\n\n');
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  const write = (client: ServerResponse, event: StudioEvent) => client.write(`data: ${JSON.stringify(event)}\n\n`);

  return {
    send(event) {
      for (const client of clients) write(client, event);
    },
    attach(request, response) {
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
      });
      // Reconnect quickly after the studio restarts.
      response.write('retry: 1000\n\n');
      clients.add(response);
      write(response, { type: 'hello' });
      const drop = () => clients.delete(response);
      request.on('close', drop);
      response.on('close', drop);
    },
    get size() {
      return clients.size;
    },
    close() {
      clearInterval(heartbeat);
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}
