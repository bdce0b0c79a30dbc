import { Agent, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { createTlsContext } from '../tls-context.factory.js';
import { followSocket } from '../provider-connection.tracker.js';
import type { TransportAgentOptions } from '../sms-http.transport.js';

// Below the 5 s keep-alive timeout of common servers, so that an idle connection is closed by us
// rather than reused at the moment the server closes it (which would make a send look maybe-sent).
const IDLE_SOCKET_TIMEOUT_MS = 4_000;

/**
 * Node's keep-alive `https.Agent` whose every socket is followed for the failure classifier
 * (TCP connected, handshake done, protocol, session ticket, first error).
 */
export class FollowedHttpsAgent extends Agent {
  override createConnection(
    options: RequestOptions,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (socket) followSocket(socket as TLSSocket);
    return socket;
  }
}

/**
 * Builds a Node keep-alive `https.Agent` with the TLS context of {@link createTlsContext}
 * (certificate checks always on, TLS 1.2 or newer, extra CAs, the client certificate when given).
 * With `lookup`, every new connection resolves its host through it (to pin the addresses a policy
 * allowed). Idle connections are closed after 4 s.
 *
 * @throws SmsError when the CA certificates, the client certificate or its key cannot be loaded.
 */
export function createNodeHttpsAgent(
  options: TransportAgentOptions,
): FollowedHttpsAgent {
  return new FollowedHttpsAgent({
    keepAlive: true,
    timeout: IDLE_SOCKET_TIMEOUT_MS,
    scheduling: 'lifo',
    secureContext: createTlsContext(options),
    rejectUnauthorized: true,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
}
