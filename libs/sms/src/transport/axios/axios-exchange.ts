import type { ClientRequest, IncomingMessage } from 'node:http';
import { util } from 'undici';
import { ExchangeProgress } from '../exchange-progress.js';
import {
  connectionOfSocket,
  type ProviderConnection,
} from '../provider-connection.tracker.js';
import { ExchangeFailure, type ExchangeEnd } from '../sms-http.transport.js';

/** The limits of one exchange. */
export interface AxiosExchangeLimits {
  /** The most time the whole exchange may take, in milliseconds. */
  timeoutMs: number;
  /** The largest answer body read. */
  maxResponseBytes: number;
}

/**
 * One request to a provider through axios: it follows the `ClientRequest` axios makes (the socket
 * it gets, its last byte written, its answer), reads the answer up to a size limit and settles
 * `ended` once, within the timeout. The timer starts when the exchange is created. A low-level
 * failure rejects `ended` with an {@link ExchangeFailure} saying how far the exchange got.
 */
export class AxiosExchange {
  /** How far the exchange got; complete once `ended` has settled. */
  readonly progress = new ExchangeProgress();
  readonly ended: Promise<ExchangeEnd>;
  private resolveEnd!: (end: ExchangeEnd) => void;
  private rejectEnd!: (failure: ExchangeFailure) => void;
  private settled = false;
  private expired = false;
  private outgoing?: ClientRequest;
  private connection?: ProviderConnection;
  private answer?: IncomingMessage;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly limits: AxiosExchangeLimits) {
    this.ended = new Promise<ExchangeEnd>((resolve, reject) => {
      this.resolveEnd = resolve;
      this.rejectEnd = reject;
    });
    this.timer = setTimeout(() => this.expire(), limits.timeoutMs);
  }

  /** Follows the request axios makes: the socket it gets, its last byte written, its answer. */
  follow(request: ClientRequest): void {
    this.outgoing = request;
    if (this.settled) {
      request.destroy();
      return;
    }
    request.once('socket', (socket) => {
      this.connection = connectionOfSocket(socket);
      if (this.connection) this.connection.exchanges += 1;
      this.progress.reused = request.reusedSocket;
      if (this.progress.reused) {
        this.progress.connected = this.progress.secured = true;
      }
    });
    request.once('finish', () => (this.progress.written = true));
    request.once('response', (response: IncomingMessage) => {
      this.progress.answered = true;
      this.answer = response;
    });
  }

  /** Reads the answer axios hands over up to the size limit; a redirect is not read at all. */
  read(response: IncomingMessage): void {
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400) {
      this.stop({ kind: 'redirect', status });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.limits.maxResponseBytes) {
        this.stop({ kind: 'too-large', status });
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () =>
      this.finish({
        kind: 'answer',
        status,
        // By lower-case name, a repeated header as a list: as the undici transport reads them.
        headers: util.parseHeaders(response.rawHeaders),
        body: Buffer.concat(chunks, size),
      }),
    );
    response.once('error', (error) => this.fail(error));
    response.once('close', () => {
      if (!response.complete) this.fail(incompleteAnswerError());
    });
  }

  /** Ends the exchange with a low-level failure, with what its connection had achieved. */
  fail(error: unknown): void {
    if (!this.settle()) return;
    const connection = this.connection;
    if (connection) {
      this.progress.connected ||= connection.connected;
      this.progress.secured ||= connection.secured;
      this.progress.tls13 = connection.tls13;
      this.progress.ticketReceived = connection.ticketReceived;
    }
    this.rejectEnd(new ExchangeFailure(error, this.progress, this.expired));
  }

  /** Ends the exchange because its time ran out, closing its connection. */
  private expire(): void {
    if (this.settled) return;
    this.expired = true;
    this.fail(new Error(`No answer within ${this.limits.timeoutMs} ms.`));
    // Closes the connection; axios then rejects, after the exchange has settled.
    this.outgoing?.destroy();
    this.answer?.destroy();
  }

  /** Settles with an answer that is not read further: its connection is closed. */
  private stop(end: ExchangeEnd): void {
    if (!this.settle()) return;
    this.answer?.destroy();
    this.resolveEnd(end);
  }

  /** Settles with the whole answer. */
  private finish(end: ExchangeEnd): void {
    // Node hands a kept-alive socket back to its agent's pool once the answer has ended; settling
    // a turn later lets the caller's next send take it instead of opening another: at most one
    // connection per send in flight.
    setImmediate(() => {
      if (this.settle()) this.resolveEnd(end);
    });
  }

  /** Marks the exchange settled and stops its timer; false when it had already settled. */
  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    return true;
  }
}

/** The error of an answer whose connection closed before its end. */
function incompleteAnswerError(): Error {
  return Object.assign(
    new Error('The connection closed before the answer was complete.'),
    { code: 'ECONNRESET' },
  );
}
