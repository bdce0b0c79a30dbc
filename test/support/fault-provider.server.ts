import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { Socket, type AddressInfo } from 'node:net';
import type { SecureVersion, TLSSocket } from 'node:tls';
import {
  issueCertificate,
  type PemCertificate,
} from '../../sandbox/certificates.js';

/**
 * The faults a {@link FaultProviderServer} plays, chosen by the last segment of the request path
 * (`POST /faults/reset-before-answer`).
 */
export const PROVIDER_FAULTS = [
  /** A Gateway API success: 200 with a message id. */
  'ok',
  /** A Telia success: 201 with a resource URL. */
  'telia-ok',
  /** Reads the whole request, then resets the connection without a word. */
  'reset-before-answer',
  /** Sends the status line, the headers and half the body, then resets the connection. */
  'reset-mid-body',
  /** Sends the status line, then the body one byte every 200 ms: slower than any test timeout. */
  'slow-body',
  /** 200 with a body that is not JSON. */
  'malformed-json',
  /** 200 with Smstools' error body. */
  'error-body-200',
  'status-401',
  'status-403',
  'status-422',
  /** 429 with `Retry-After: 1`. */
  'status-429',
  /** 429 with `Retry-After: 0` for the first request of a message, 200 for the next. */
  'status-429-once',
  /** 429 with `Retry-After: 0`. */
  'status-429-retry-now',
  'status-500',
  /** 503 without `Retry-After`. */
  'status-503',
  /** 503 with `Retry-After: 1`. */
  'status-503-retry-after',
  /** Telia's POL3003 rate limit for the first request of a message, 201 for the next. */
  'telia-pol3003-once',
  /** Telia's POL3003 rate limit for every request. */
  'telia-pol3003',
  /** A Telia 500 for the first request of a message, POL3003 for the next. */
  'telia-500-then-pol3003',
  /** A Telia 500 for the first request of a message, 201 for the next. */
  'telia-500-once',
] as const;

/** One of {@link PROVIDER_FAULTS}. */
export type ProviderFault = (typeof PROVIDER_FAULTS)[number];

/** One request as the fault server received it. */
export interface FaultRequest {
  /** The fault played; for `mixed`, the one drawn. */
  fault: string;
  /** The request body, as text. */
  body: string;
  /** The message text of a Gateway API, Smstools or Telia body; what tells one send from another. */
  message?: string;
  /** Telia's clientCorrelator, when the body has one. */
  clientCorrelator?: string;
}

/** Options of {@link FaultProviderServer.start}. */
export interface FaultProviderServerOptions {
  /** The CA that issues the server's certificate. */
  certificateAuthority: PemCertificate;
  /** PEM of the CA whose client certificates are demanded (mutual TLS, as Telia's gateway). */
  clientCa?: string;
  /** @default 'TLSv1.3' */
  maxVersion?: SecureVersion;
  /**
   * Keeps connections alive between requests; by default every answer closes its connection.
   * @default false
   */
  keepAlive?: boolean;
  /**
   * The faults the path `mixed` draws from, with their weights, e.g. `{ ok: 8, 'status-500': 1 }`.
   * @default { ok: 1 }
   */
  mix?: Partial<Record<ProviderFault, number>>;
  /** The seed of the draws of `mixed`, so that a run can be repeated. @default 1 */
  seed?: number;
}

const ERROR_BODIES: Record<number, object> = {
  401: { code: '0x0101', message: 'Invalid token' },
  403: { code: '0x0216', message: 'Insufficient credit' },
  422: { code: '0x0300', message: 'Invalid recipients' },
  429: { message: 'Too many requests' },
  500: { message: 'Internal error' },
  503: { message: 'Service unavailable' },
};

/**
 * An HTTPS provider on 127.0.0.1 that misbehaves on demand: resets, cut bodies, slow bodies,
 * malformed answers and every error status, chosen per request by its path, or drawn at random
 * (seeded) from a weighted mix for the path `mixed`. Unless `keepAlive` is set, every answer
 * carries `Connection: close`, so that any socket still open after an exchange is a leak, not a
 * kept-alive connection.
 */
export class FaultProviderServer {
  /** Every request received, oldest first. */
  readonly requests: FaultRequest[] = [];
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private handshakes = 0;
  private refusedHandshakes = 0;

  private constructor(
    private readonly server: Server,
    private readonly keepAlive: boolean,
    private readonly draw: () => ProviderFault,
  ) {
    server.on('secureConnection', () => (this.handshakes += 1));
    server.on('tlsClientError', () => (this.refusedHandshakes += 1));
    server.on('request', (request, response) => this.handle(request, response));
  }

  /** Starts a server on 127.0.0.1 and a free port. */
  static async start(
    options: FaultProviderServerOptions,
  ): Promise<FaultProviderServer> {
    const certificate = await issueCertificate(options.certificateAuthority, {
      commonName: 'localhost',
      usage: 'server',
    });
    const server = createServer({
      cert: certificate.certificatePem,
      key: certificate.privateKeyPem,
      minVersion: 'TLSv1.2',
      maxVersion: options.maxVersion ?? 'TLSv1.3',
      ...(options.clientCa
        ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true }
        : {}),
    });
    const instance = new FaultProviderServer(
      server,
      options.keepAlive ?? false,
      weightedDraw(options.mix ?? { ok: 1 }, options.seed ?? 1),
    );
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    return instance;
  }

  /** `https://127.0.0.1:<port>`. */
  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Completed TLS handshakes. */
  get tlsConnections(): number {
    return this.handshakes;
  }

  /** TLS handshakes that failed, e.g. over a refused client certificate. */
  get tlsHandshakeFailures(): number {
    return this.refusedHandshakes;
  }

  /** The requests that asked for the given fault. */
  requestsFor(fault: string): FaultRequest[] {
    return this.requests.filter((request) => request.fault === fault);
  }

  /** Connections open right now. */
  openConnections(): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.getConnections((error, count) =>
        error ? reject(error) : resolve(count),
      ),
    );
  }

  /** Forgets the recorded requests and which messages were seen. */
  clear(): void {
    this.requests.length = 0;
    this.seen.clear();
  }

  /** Stops the server and cuts every open connection. */
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
      const body = Buffer.concat(chunks).toString('utf8');
      const asked = (request.url ?? '').split('?')[0].split('/').pop() ?? '';
      const fault = asked === 'mixed' ? this.draw() : asked;
      const recorded = { fault, body, ...identify(body) };
      this.requests.push(recorded);
      const key = `${fault}|${recorded.clientCorrelator ?? recorded.message}`;
      const first = !this.seen.has(key);
      this.seen.add(key);
      if (!this.keepAlive) response.setHeader('connection', 'close');
      this.play(fault, first, request, response);
    });
  }

  private play(
    fault: string,
    first: boolean,
    request: IncomingMessage,
    response: ServerResponse,
  ): void {
    const socket = request.socket as TLSSocket;
    switch (fault) {
      case 'ok':
        return json(response, 200, { ids: [this.requests.length] });
      case 'telia-ok':
        return teliaCreated(response, this.requests.length);
      case 'reset-before-answer':
        return reset(socket);
      case 'reset-mid-body': {
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': '64',
        });
        response.write('{"ids":[1,2,3');
        const timer = this.later(() => reset(socket), 20);
        socket.once('close', () => clearTimeout(timer));
        return;
      }
      case 'slow-body':
        return this.trickle(response, socket);
      case 'malformed-json':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ids":[42,');
        return;
      case 'error-body-200':
        return json(response, 200, {
          error: '104',
          errorMsg: 'Invalid credentials',
        });
      case 'status-429':
        response.setHeader('retry-after', '1');
        return json(response, 429, ERROR_BODIES[429]);
      case 'status-429-once':
        if (!first) return json(response, 200, { ids: [7] });
        response.setHeader('retry-after', '0');
        return json(response, 429, ERROR_BODIES[429]);
      case 'status-429-retry-now':
        response.setHeader('retry-after', '0');
        return json(response, 429, ERROR_BODIES[429]);
      case 'status-503-retry-after':
        response.setHeader('retry-after', '1');
        return json(response, 503, ERROR_BODIES[503]);
      case 'telia-500-then-pol3003':
        if (first) return json(response, 500, { message: 'gateway error' });
        return teliaPolicyException(response);
      case 'telia-pol3003':
      case 'telia-pol3003-once':
        if (fault === 'telia-pol3003-once' && !first)
          return teliaCreated(response, this.requests.length);
        return teliaPolicyException(response);
      case 'telia-500-once':
        if (!first) return teliaCreated(response, this.requests.length);
        return json(response, 500, { message: 'gateway error' });
      default: {
        const status = Number(/^status-(\d{3})$/.exec(fault)?.[1] ?? 404);
        return json(response, status, ERROR_BODIES[status] ?? {});
      }
    }
  }

  private trickle(response: ServerResponse, socket: TLSSocket): void {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.on('error', () => undefined);
    const next = (): void => {
      const timer = this.later(() => {
        if (response.destroyed || socket.destroyed) return;
        response.write(' ');
        next();
      }, 200);
      socket.once('close', () => clearTimeout(timer));
    };
    next();
  }

  private later(work: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
    return timer;
  }
}

/** Draws faults by weight with a small seeded generator (mulberry32). */
function weightedDraw(
  mix: Partial<Record<ProviderFault, number>>,
  seed: number,
): () => ProviderFault {
  const entries = Object.entries(mix) as [ProviderFault, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return () => {
    let pick = random() * total;
    for (const [fault, weight] of entries) {
      pick -= weight;
      if (pick < 0) return fault;
    }
    return entries[entries.length - 1][0];
  };
}

function json(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Telia's POL3003 rate limit: nothing was sent. */
function teliaPolicyException(response: ServerResponse): void {
  json(response, 403, {
    requestError: {
      policyException: {
        messageId: 'POL3003',
        text: 'Too many requests; try again later',
      },
    },
  });
}

function teliaCreated(response: ServerResponse, id: number): void {
  json(response, 201, {
    resourceReference: {
      resourceURL: `https://127.0.0.1/messaging/v1/outbound/12345/requests/r-${id}`,
    },
  });
}

/** Cuts the connection with a TCP reset: the TCP socket under the TLS one is reset. */
function reset(socket: TLSSocket): void {
  const tcp = (socket as TLSSocket & { _parent?: unknown })._parent;
  if (tcp instanceof Socket) tcp.resetAndDestroy();
  else socket.destroy();
}

/** The message text and Telia's clientCorrelator of a provider request body. */
function identify(body: string): {
  message?: string;
  clientCorrelator?: string;
} {
  try {
    const parsed = JSON.parse(body) as {
      message?: string;
      outboundMessageRequest?: {
        clientCorrelator?: string;
        outboundSMSTextMessage?: { message?: string };
      };
    };
    const telia = parsed.outboundMessageRequest;
    return {
      message: telia?.outboundSMSTextMessage?.message ?? parsed.message,
      clientCorrelator: telia?.clientCorrelator,
    };
  } catch {
    return {};
  }
}
