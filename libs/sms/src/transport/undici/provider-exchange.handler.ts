import { type Dispatcher, util } from 'undici';
import {
  claimCurrentConnection,
  connectionFailedWith,
  type ConnectionClaimant,
  type ProviderConnection,
} from '../provider-connection.tracker.js';
import { ExchangeProgress } from '../exchange-progress.js';
import type { ExchangeEnd } from '../sms-http.transport.js';

/**
 * One request to a provider, as an undici dispatch handler: it follows the exchange's progress
 * (connection, request written, answer started), reads the answer up to a size limit and settles
 * `ended` once. A low-level failure rejects `ended` with undici's or the socket's error.
 */
export class ProviderExchange
  implements Dispatcher.DispatchHandler, ConnectionClaimant
{
  /** How far the exchange got; complete once `ended` has settled. */
  readonly progress = new ExchangeProgress();
  /** True when {@link expire} ended the exchange. */
  expired = false;
  readonly ended: Promise<ExchangeEnd>;
  private resolveEnd!: (end: ExchangeEnd) => void;
  private rejectEnd!: (error: unknown) => void;
  private settled = false;
  private abortRequest?: (error?: Error) => void;
  private connection?: ProviderConnection;
  private status = 0;
  private rawHeaders: Buffer[] = [];
  private readonly chunks: Buffer[] = [];
  private size = 0;

  /** @param maxResponseBytes the largest answer body read */
  constructor(private readonly maxResponseBytes: number) {
    this.ended = new Promise<ExchangeEnd>((resolve, reject) => {
      this.resolveEnd = resolve;
      this.rejectEnd = reject;
    });
  }

  /** Ends the exchange because its time ran out, closing its connection if it has one. */
  expire(timeoutMs: number): void {
    if (this.settled) return;
    this.expired = true;
    this.cancel(new Error(`No answer within ${timeoutMs} ms.`));
  }

  /** Ends the exchange with `error`, closing its connection if it has one. */
  cancel(error: Error): void {
    if (this.settled) return;
    this.fail(error);
    this.abortRequest?.(error);
  }

  /** @inheritdoc */
  onConnect(abort: (error?: Error) => void): void {
    if (this.settled) {
      abort();
      return;
    }
    this.abortRequest = abort;
    // undici writes a request only on a connection whose TLS handshake is complete.
    this.progress.connected = this.progress.secured = true;
    claimCurrentConnection(this);
  }

  /** @inheritdoc */
  onConnection(connection: ProviderConnection | undefined): void {
    if (!connection) return;
    this.connection = connection;
    connection.exchanges += 1;
    this.progress.reused = connection.exchanges > 1;
  }

  /** @inheritdoc */
  onRequestSent(): void {
    this.progress.written = true;
  }

  /** @inheritdoc */
  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    this.progress.answered = true;
    this.status = status;
    this.rawHeaders = rawHeaders;
    if (status >= 300 && status < 400) {
      this.stop({ kind: 'redirect', status });
      return false;
    }
    return true;
  }

  /** @inheritdoc */
  onData(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > this.maxResponseBytes) {
      this.stop({ kind: 'too-large', status: this.status });
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  /** @inheritdoc */
  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    const answer: ExchangeEnd = {
      kind: 'answer',
      status: this.status,
      headers: util.parseHeaders(this.rawHeaders),
      body: Buffer.concat(this.chunks, this.size),
    };
    // undici hands a kept-alive connection back to its pool one event-loop turn after the answer
    // (a server that closes it has then been seen). Settling after that turn lets the caller's next
    // send take this connection instead of opening another: at most one connection per send in
    // flight.
    process.nextTick(() => setImmediate(() => this.resolveEnd(answer)));
  }

  /** @inheritdoc */
  onError(error: Error): void {
    if (this.settled) return;
    if (!this.progress.connected) {
      // The connection could not be opened: how far its opening got.
      const connection = connectionFailedWith(error);
      this.progress.connected = connection?.connected ?? false;
      this.progress.secured = connection?.secured ?? false;
    }
    this.fail(error);
  }

  /** Settles with an answer that is not read further, and closes the connection. */
  private stop(end: ExchangeEnd): void {
    this.settled = true;
    this.resolveEnd(end);
    this.abortRequest?.();
  }

  private fail(error: Error): void {
    this.settled = true;
    const connection = this.connection;
    if (!connection) {
      this.rejectEnd(error);
      return;
    }
    this.progress.tls13 = connection.tls13;
    this.progress.ticketReceived = connection.ticketReceived;
    const closedByPeer =
      (error as NodeJS.ErrnoException).code === 'UND_ERR_SOCKET';
    this.rejectEnd(closedByPeer ? (connection.firstError ?? error) : error);
  }
}
