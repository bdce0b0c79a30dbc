import type { Server } from 'node:http';
import type { ApiConfig } from '../config/service-config.interface.js';

/**
 * How often the server looks for requests past their timeouts, in milliseconds. Node's default
 * (30 s) would let a slow client stay up to that long past its timeout.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** The server timeouts of `Settings:Api`, in seconds. */
export type ServerTimeouts = Pick<
  ApiConfig,
  'headersTimeoutSeconds' | 'requestTimeoutSeconds' | 'keepAliveTimeoutSeconds'
>;

/**
 * Bounds how long a client may take: to send its headers (`HeadersTimeoutSeconds`), its whole
 * request (`RequestTimeoutSeconds`; the time the service takes to answer is not counted), and how
 * long an idle kept-alive connection stays open (`KeepAliveTimeoutSeconds`). A client too slow gets
 * 408 and its connection is closed, so a slow body cannot hold a connection and a request open.
 * Must be called before the server listens.
 */
export function applyServerTimeouts(
  server: Server,
  timeouts: ServerTimeouts,
): void {
  server.headersTimeout = timeouts.headersTimeoutSeconds * 1000;
  server.requestTimeout = timeouts.requestTimeoutSeconds * 1000;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutSeconds * 1000;
  // Read by Node when the server starts listening.
  (
    server as Server & { connectionsCheckingInterval: number }
  ).connectionsCheckingInterval = TIMEOUT_CHECK_INTERVAL_MS;
}
