/**
 * What one exchange had achieved when it failed: whether the TCP connection was up, the TLS
 * handshake complete, the request fully written, and whether the server had sent anything since the
 * handshake.
 */
export class ExchangeProgress {
  /** The TCP connection was established. */
  connected = false;
  /** The TLS handshake had completed (on this connection or, for a reused one, earlier). */
  secured = false;
  /** The connection speaks TLS 1.3. */
  tls13 = false;
  /** The server sent a TLS 1.3 session ticket after the handshake. */
  ticketReceived = false;
  /** The request had been written out completely. */
  written = false;
  /** The status line and headers of the answer had arrived. */
  answered = false;
  /** The request went out on a kept-alive connection. */
  reused = false;

  /**
   * True when the provider may have received the whole request. A request counts as written only
   * once the handshake had completed and its last byte had been handed to the connection; before
   * that, no complete request can have left this process.
   */
  get requestMayHaveArrived(): boolean {
    return this.answered || (this.secured && this.written);
  }
}
