import { Agent, buildConnector } from 'undici';
import { followConnections } from '../provider-connection.tracker.js';
import type { TransportAgentOptions } from '../sms-http.transport.js';
import { createTlsContext } from '../tls-context.factory.js';

// Below the 5 s keep-alive timeout of common servers, so that an idle connection is closed by us
// rather than reused at the moment the server closes it (which would make a send look maybe-sent).
const IDLE_SOCKET_TIMEOUT_MS = 4_000;

/**
 * Builds a keep-alive HTTPS agent (undici's `Agent`) with the TLS context of
 * {@link createTlsContext}, whose connections are followed for the failure classifier. With
 * `lookup`, every new connection resolves its host through it (to pin the addresses a policy
 * allowed). Opening a connection, handshake included, takes at most `connectTimeoutMs`.
 *
 * @throws SmsError when the CA certificates, the client certificate or its key cannot be loaded.
 */
export function createUndiciHttpsAgent(options: TransportAgentOptions): Agent {
  const connect = buildConnector({
    secureContext: createTlsContext(options),
    timeout: options.connectTimeoutMs,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  return new Agent({
    keepAliveTimeout: IDLE_SOCKET_TIMEOUT_MS,
    keepAliveMaxTimeout: IDLE_SOCKET_TIMEOUT_MS,
    connect: followConnections(connect),
  });
}
