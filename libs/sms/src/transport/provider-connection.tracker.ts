import { subscribe } from 'node:diagnostics_channel';
import type { TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';

/** What is known of one connection to a provider, from its socket's events. */
export class ProviderConnection {
  /** The TCP connection was established. */
  connected = false;
  /** The TLS handshake completed. */
  secured = false;
  /** The connection speaks TLS 1.3. */
  tls13 = false;
  /** The server sent a TLS 1.3 session ticket after the handshake. */
  ticketReceived = false;
  /** Requests written on this connection so far. */
  exchanges = 0;
  /**
   * The socket's first error. undici reports a connection the server closed as "other side
   * closed", even when the socket had failed first with the reason (a TLS alert, say).
   */
  firstError?: Error;
}

/** An exchange that wants to know the connection its request is being written on. */
export interface ConnectionClaimant {
  onConnection(connection: ProviderConnection | undefined): void;
}

const bySocket = new WeakMap<object, ProviderConnection>();
const byConnectError = new WeakMap<object, ProviderConnection>();
let claimant: ConnectionClaimant | undefined;

// undici announces each request it writes, with the socket, synchronously after the request's
// `onConnect`; the claimant registered there is the request being written.
subscribe('undici:client:sendHeaders', (message) => {
  const waiting = claimant;
  claimant = undefined;
  waiting?.onConnection(bySocket.get((message as { socket: object }).socket));
});

/**
 * Wraps an undici connector so that every connection it opens is followed: TCP connected, TLS
 * handshake done, protocol version, session ticket, requests written. undici's connector returns
 * the socket it opens (its type declarations say `void`); a connection it does not return is simply
 * not followed.
 */
export function followConnections(
  connect: buildConnector.connector,
): buildConnector.connector {
  const open = connect as (
    ...args: Parameters<buildConnector.connector>
  ) => TLSSocket | undefined;
  return (options, callback) => {
    const connection = new ProviderConnection();
    const socket = open(options, (...result) => {
      if (result[0]) byConnectError.set(result[0], connection);
      callback(...result);
    });
    if (socket) followSocket(socket, connection);
  };
}

/**
 * Follows one TLS socket to a provider (TCP connected, TLS handshake done, protocol version,
 * session ticket, first error) and remembers it; {@link connectionOfSocket} finds it again.
 */
export function followSocket(
  socket: TLSSocket,
  connection = new ProviderConnection(),
): ProviderConnection {
  bySocket.set(socket, connection);
  socket.once('connect', () => (connection.connected = true));
  socket.once('secureConnect', () => {
    connection.connected = connection.secured = true;
    connection.tls13 = socket.getProtocol() === 'TLSv1.3';
  });
  socket.once('session', () => (connection.ticketReceived = true));
  socket.once('error', (error) => (connection.firstError = error));
  return connection;
}

/** The connection of a socket that {@link followSocket} follows. */
export function connectionOfSocket(
  socket: object,
): ProviderConnection | undefined {
  return bySocket.get(socket);
}

/**
 * Asks for the connection of the request undici is writing right now: call it from the request's
 * `onConnect`, and `claimant.onConnection` is called before the first byte is written.
 */
export function claimCurrentConnection(waiting: ConnectionClaimant): void {
  claimant = waiting;
}

/** The connection whose opening failed with `error`, when a followed connector opened it. */
export function connectionFailedWith(
  error: unknown,
): ProviderConnection | undefined {
  return typeof error === 'object' && error !== null
    ? byConnectError.get(error)
    : undefined;
}
