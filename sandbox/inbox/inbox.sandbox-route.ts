import { randomBytes } from 'node:crypto';
import { InboxEventStream } from './inbox-events.stream.js';
import { renderInboxPage } from './inbox.page.js';
import {
  SandboxFieldError,
  readOrFieldError,
} from '../server/sandbox-body.error.js';
import { parseMessageFilter } from '../messages/sandbox-message.filter.js';
import type { SandboxMessageStore } from '../messages/sandbox-message.store.js';
import { jsonReply, textReply } from '../server/sandbox-reply.js';
import type {
  SandboxReply,
  SandboxRequest,
} from '../server/sandbox-request.interface.js';
import type { SandboxRoute } from '../routes/sandbox-route.interface.js';

/** The inbox's paths. */
export const INBOX_PATHS = {
  page: '/inbox',
  messages: '/api/messages',
  stream: '/api/messages/stream',
} as const;

/**
 * The inbox: the page at `/inbox` (`/` redirects there), `GET`/`DELETE /api/messages` and the live
 * stream at `/api/messages/stream`. `close()` ends the open streams.
 */
export function createInboxRoutes(store: SandboxMessageStore): {
  routes: SandboxRoute[];
  close(): void;
} {
  const stream = new InboxEventStream(store);
  const routes: SandboxRoute[] = [
    {
      methods: ['GET'],
      matches: (pathname) => pathname === '/',
      // One address for the page, the one start-up prints; the filter in the query goes along.
      handle: (request) => ({
        status: 302,
        headers: { location: INBOX_PATHS.page + request.url.search },
      }),
    },
    {
      methods: ['GET'],
      matches: (pathname) => pathname === INBOX_PATHS.page,
      handle: (request) => page(request, store),
    },
    {
      methods: ['GET', 'DELETE'],
      matches: (pathname) => pathname === INBOX_PATHS.messages,
      handle: (request) => messages(request, store),
    },
    {
      methods: ['GET'],
      matches: (pathname) => pathname === INBOX_PATHS.stream,
      handle: (request, response) => {
        stream.open(request, response);
        return undefined;
      },
    },
  ];
  return { routes, close: () => stream.close() };
}

function page(
  request: SandboxRequest,
  store: SandboxMessageStore,
): SandboxReply {
  const filter = readOrFieldError(() =>
    parseMessageFilter(request.url.searchParams),
  );
  if (filter instanceof SandboxFieldError)
    return textReply(400, filter.message);
  const nonce = randomBytes(16).toString('base64');
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "connect-src 'self'",
        'img-src data:',
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
    },
    body: renderInboxPage({
      messages: store.list(),
      filter,
      lastSequence: store.lastSequence,
      nonce,
    }),
  };
}

function messages(
  request: SandboxRequest,
  store: SandboxMessageStore,
): SandboxReply {
  if (request.method === 'DELETE') {
    store.clear();
    return { status: 204 };
  }
  const filter = readOrFieldError(() =>
    parseMessageFilter(request.url.searchParams),
  );
  if (filter instanceof SandboxFieldError)
    return jsonReply(400, { message: filter.message });
  return jsonReply(200, store.list(filter));
}
