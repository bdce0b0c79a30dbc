import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import { createServer, type Server } from 'node:https';
import { Socket, type AddressInfo } from 'node:net';
import type { SecureVersion, TLSSocket } from 'node:tls';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../sandbox/certificates.js';

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** The request target exactly as sent: the path and the raw query string. */
  url: string;
  /** The path, without the query string. */
  path: string;
  /** The raw query string without its `?`, still percent-encoded; empty when there is none. */
  query: string;
  /** Header names in lower case; repeated headers joined as Node joins them. */
  headers: IncomingHttpHeaders;
  /** Header names and values in the order and case they were sent. */
  rawHeaders: string[];
  /** The body bytes as received. */
  body: Buffer;
  /** The common name of the client certificate, when the client presented one. */
  clientCertificateCommonName?: string;
}

/** How the server answers one request. */
export interface ScriptedAnswer {
  /** The status code. @default 200 */
  status?: number;
  /** Response headers. */
  headers?: OutgoingHttpHeaders;
  /** The body: text or bytes as they are; anything else is sent as JSON. @default empty */
  body?: string | Buffer | object;
  /** Waits this long after reading the request before answering. @default 0 */
  delayMs?: number;
  /** Never answers: the request stays open until the client gives up or the server closes. */
  hold?: boolean;
  /** Reads the whole request, then resets the connection (TCP RST) instead of answering. */
  reset?: boolean;
  /** Sends a body of this many bytes (`x`), streamed in chunks, instead of `body`. */
  bodyBytes?: number;
  /** With `bodyBytes`: sends the body one byte at a time, waiting this long before each. */
  byteDelayMs?: number;
}

/** A fixed answer, or a function that picks one for each request. */
export type AnswerScript =
  ScriptedAnswer | ((request: RecordedRequest) => ScriptedAnswer);

/** Options of {@link HttpsTestServer.start}. */
export interface HttpsTestServerOptions {
  /**
   * PEM of a CA: when set, the server demands a client certificate issued by it and refuses the
   * TLS handshake otherwise (mutual TLS, as Telia's gateway does).
   */
  clientCa?: string;
  /** Lowest TLS version accepted. @default 'TLSv1.2' */
  minVersion?: SecureVersion;
  /** Highest TLS version accepted. @default 'TLSv1.3' */
  maxVersion?: SecureVersion;
  /** The server's certificate authority. @default one generated for this server */
  certificateAuthority?: PemCertificate;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

/**
 * A real HTTPS server on 127.0.0.1 and a free port, with a certificate generated at run time. It
 * records every request (method, target, headers, raw body), answers as the test scripts it (status,
 * headers, body, a delay, a held answer, a reset, a huge body), can demand a client certificate,
 * and counts TLS connections. Give {@link caPem} to the client as `extraCaCertificates`.
 *
 * ```ts
 * const server = await HttpsTestServer.start();
 * server.answer({ status: 200, body: { ids: [1] } });
 * // ... send to server.url ...
 * expect(server.requests[0].headers.authorization).toBe('Token secret');
 * await server.close();
 * ```
 */
export class HttpsTestServer {
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  private connections = 0;
  private handshakeFailures = 0;
  private defaultScript: AnswerScript = {};
  private readonly onceScripts: AnswerScript[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    /** The PEM certificate of the CA that issued the server's certificate. */
    readonly caPem: string,
  ) {
    server.on('secureConnection', () => (this.connections += 1));
    server.on('tlsClientError', () => (this.handshakeFailures += 1));
  }

  /** Starts a server on 127.0.0.1 and a free port. */
  static async start(
    options: HttpsTestServerOptions = {},
  ): Promise<HttpsTestServer> {
    const authority =
      options.certificateAuthority ??
      (await createCertificateAuthority({ commonName: 'Test server CA' }));
    const certificate = await issueCertificate(authority, {
      commonName: 'localhost',
      usage: 'server',
    });
    const server = createServer({
      cert: certificate.certificatePem,
      key: certificate.privateKeyPem,
      minVersion: options.minVersion ?? 'TLSv1.2',
      maxVersion: options.maxVersion ?? 'TLSv1.3',
      ...(options.clientCa
        ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true }
        : {}),
    });
    const instance = new HttpsTestServer(server, authority.certificatePem);
    server.on('request', (request, response) =>
      instance.handle(request, response),
    );
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    return instance;
  }

  /** The port the server listens on. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The server's base URL, `https://127.0.0.1:<port>`. */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** TLS connections accepted so far (completed handshakes). */
  get tlsConnections(): number {
    return this.connections;
  }

  /** TLS handshakes that failed, e.g. because a client certificate was missing or untrusted. */
  get tlsHandshakeFailures(): number {
    return this.handshakeFailures;
  }

  /** Connections open right now (kept-alive ones included). */
  openConnections(): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.getConnections((error, count) =>
        error ? reject(error) : resolve(count),
      ),
    );
  }

  /** Sets how every following request is answered (unless a one-time answer is queued). */
  answer(script: AnswerScript): this {
    this.defaultScript = script;
    return this;
  }

  /** Queues an answer for the next request only; queued answers are used in order. */
  answerOnce(script: AnswerScript): this {
    this.onceScripts.push(script);
    return this;
  }

  /** Forgets the recorded requests and every scripted answer (the default becomes an empty 200). */
  clear(): this {
    this.requests.length = 0;
    this.onceScripts.length = 0;
    this.defaultScript = {};
    return this;
  }

  /** Stops the server and cuts every open connection, held answers included. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) =>
      this.server.close(() => resolve()),
    );
    this.server.closeAllConnections();
    await closed;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = request.url ?? '';
      const queryStart = target.indexOf('?');
      const peer = (request.socket as TLSSocket).getPeerCertificate();
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        url: target,
        path: queryStart < 0 ? target : target.slice(0, queryStart),
        query: queryStart < 0 ? '' : target.slice(queryStart + 1),
        headers: request.headers,
        rawHeaders: request.rawHeaders,
        body: Buffer.concat(chunks),
        clientCertificateCommonName: [peer?.subject?.CN].flat()[0],
      };
      this.requests.push(recorded);
      const script = this.onceScripts.shift() ?? this.defaultScript;
      const answer = typeof script === 'function' ? script(recorded) : script;
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.respond(request, response, answer);
        }, answer.delayMs);
        this.timers.add(timer);
      } else {
        this.respond(request, response, answer);
      }
    });
  }

  private respond(
    request: IncomingMessage,
    response: ServerResponse,
    answer: ScriptedAnswer,
  ): void {
    if (answer.hold) return;
    if (answer.reset) {
      resetConnection(request.socket as TLSSocket);
      return;
    }
    response.statusCode = answer.status ?? 200;
    for (const [name, value] of Object.entries(answer.headers ?? {})) {
      if (value !== undefined) response.setHeader(name, value);
    }
    if (answer.bodyBytes !== undefined && answer.byteDelayMs !== undefined) {
      this.trickleBytes(response, answer.bodyBytes, answer.byteDelayMs);
      return;
    }
    if (answer.bodyBytes !== undefined) {
      streamBytes(response, answer.bodyBytes);
      return;
    }
    const { body } = answer;
    if (
      body === undefined ||
      typeof body === 'string' ||
      Buffer.isBuffer(body)
    ) {
      response.end(body);
      return;
    }
    if (!response.hasHeader('content-type')) {
      response.setHeader('content-type', 'application/json');
    }
    response.end(JSON.stringify(body));
  }

  private trickleBytes(
    response: ServerResponse,
    total: number,
    delayMs: number,
  ): void {
    response.on('error', () => undefined);
    response.flushHeaders();
    let left = total;
    const next = (): void => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (response.destroyed) return;
        left -= 1;
        if (left > 0) {
          response.write('x');
          next();
        } else {
          response.end('x');
        }
      }, delayMs);
      this.timers.add(timer);
    };
    next();
  }
}

/** Writes `total` bytes, waiting for the client to drain, and stops quietly if it goes away. */
function streamBytes(response: ServerResponse, total: number): void {
  response.on('error', () => undefined);
  let left = total;
  const pump = (): void => {
    while (left > 0 && !response.destroyed) {
      const chunk = CHUNK.subarray(0, Math.min(left, CHUNK.length));
      left -= chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    if (!response.destroyed) response.end();
  };
  pump();
}

/** Cuts the connection with a TCP reset, not a TLS close: the TCP socket under the TLS one is reset. */
function resetConnection(socket: TLSSocket): void {
  const tcp = (socket as TLSSocket & { _parent?: unknown })._parent;
  if (tcp instanceof Socket) tcp.resetAndDestroy();
  else socket.destroy();
}
