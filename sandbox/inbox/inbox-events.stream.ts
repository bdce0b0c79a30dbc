import type { ServerResponse } from 'node:http';
import { renderMessageCard } from './inbox-message.view.js';
import type {
  SandboxMessageStore,
  SandboxStoreEvent,
} from '../messages/sandbox-message.store.js';
import {
  headerOf,
  type SandboxRequest,
} from '../server/sandbox-request.interface.js';

/**
 * The inbox's Server-Sent Events: `message` events carry `{"message":{...},"html":"..."}`,
 * `clear` events an empty object; each event's id is the store's sequence, so a reader that
 * reconnects with `Last-Event-ID` (or opens with `?after=`) misses nothing.
 */
export class InboxEventStream {
  private readonly readers = new Set<ServerResponse>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: SandboxMessageStore) {
    this.unsubscribe = store.subscribe((event) => {
      for (const reader of this.readers) reader.write(formatEvent(event));
    });
  }

  /** Starts a stream on the response, first sending what happened after the reader's position. */
  open(request: SandboxRequest, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    response.write('retry: 2000\n\n');
    for (const event of this.store.eventsAfter(this.positionOf(request))) {
      response.write(formatEvent(event));
    }
    this.readers.add(response);
    response.on('close', () => this.readers.delete(response));
  }

  /** Ends every open stream and stops listening to the store. */
  close(): void {
    this.unsubscribe();
    for (const reader of this.readers) reader.end();
    this.readers.clear();
  }

  private positionOf(request: SandboxRequest): number {
    const position = Number(
      headerOf(request, 'last-event-id') ??
        request.url.searchParams.get('after') ??
        NaN,
    );
    return Number.isSafeInteger(position) && position >= 0
      ? position
      : this.store.lastSequence;
  }
}

function formatEvent(event: SandboxStoreEvent): string {
  const data =
    event.type === 'added'
      ? { message: event.message, html: renderMessageCard(event.message) }
      : {};
  const name = event.type === 'added' ? 'message' : 'clear';
  // JSON.stringify escapes line breaks, so the data is always a single `data:` line.
  return `id: ${event.sequence}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
