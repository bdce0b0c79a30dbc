import type { LookupAddress } from 'node:dns';
import { connect as tcpConnect, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { within } from './check-deadline.js';

/** Connects to the first address that answers, in the resolver's order. */
export async function connectToFirst(
  addresses: LookupAddress[],
  port: number,
  deadline: number,
): Promise<Socket> {
  let lastError: unknown;
  for (const { address, family } of addresses) {
    const socket = tcpConnect({ host: address, port, family });
    try {
      await within(
        new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('error', reject);
        }),
        deadline,
      );
      // The TLS socket reports errors from here on; this one is destroyed with it.
      socket.removeAllListeners('error').on('error', () => undefined);
      return socket;
    } catch (error) {
      socket.destroy();
      lastError = error;
    }
  }
  throw lastError;
}

// How long an orderly close may take before the connection is cut.
const CLOSE_GRACE_MS = 1_000;

/**
 * Closes the check's connection: a completed TLS session with a close_notify, so that the provider
 * sees an orderly goodbye rather than a reset, and anything else at once.
 */
export function closeConnection(
  tlsSocket: TLSSocket | undefined,
  socket: Socket | undefined,
): void {
  if (
    !tlsSocket?.encrypted ||
    tlsSocket.destroyed ||
    !tlsSocket.readyState.includes('open')
  ) {
    tlsSocket?.destroy();
    socket?.destroy();
    return;
  }
  const timer = setTimeout(() => tlsSocket.destroy(), CLOSE_GRACE_MS).unref();
  tlsSocket.once('close', () => clearTimeout(timer));
  tlsSocket.on('error', () => undefined);
  // Reading on lets the server's own close arrive and end the socket.
  tlsSocket.resume();
  tlsSocket.end();
}
