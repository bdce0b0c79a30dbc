/**
 * The provider side of the benchmarks, run as a child process so that its CPU time is not the
 * client's: two minimal HTTPS servers on 127.0.0.1 that answer the four providers' APIs with fixed
 * success bodies. One serves Access URL, Gateway API and Smstools; the other serves Telia and
 * demands a client certificate. Both count TLS handshakes and requests, and keep the last request
 * of each route as it arrived, so that the raw client can replay the library's exact bytes.
 *
 * Started by {@link startBenchProviderServer}; talks to its parent over IPC only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  BENCH_PROVIDER_ROUTES,
  type CapturedRequest,
  type ProviderServerAnswer,
  type ProviderServerQuery,
  type ProviderServerReadyMessage,
  type ProviderServerStartMessage,
  type ProviderServerStats,
} from './bench-provider.protocol.js';

interface FixedAnswer {
  status: number;
  headers: string[];
  body: Buffer;
}

function fixedAnswer(
  status: number,
  contentType: string,
  body: string,
): FixedAnswer {
  const bytes = Buffer.from(body, 'utf8');
  return {
    status,
    headers: [
      'Content-Type',
      contentType,
      'Content-Length',
      String(bytes.length),
    ],
    body: bytes,
  };
}

const ANSWERS = new Map<string, FixedAnswer>([
  [
    BENCH_PROVIDER_ROUTES.AccessUrl,
    fixedAnswer(200, 'text/plain', 'OK: 1 message queued'),
  ],
  [
    BENCH_PROVIDER_ROUTES.GatewayApi,
    fixedAnswer(
      200,
      'application/json',
      '{"ids":[421332671],"usage":{"countries":{"DK":1},"currency":"EUR","total_cost":0.0351}}',
    ),
  ],
  [
    BENCH_PROVIDER_ROUTES.Smstools,
    fixedAnswer(
      200,
      'application/json',
      '{"messageid":"5f0c9a4e-1b7d-4c6e-9a51-8f2d3b6c7e10"}',
    ),
  ],
  [
    BENCH_PROVIDER_ROUTES.TeliaSmsGateway,
    fixedAnswer(
      201,
      'application/json',
      `{"resourceReference":{"resourceURL":"https://127.0.0.1${BENCH_PROVIDER_ROUTES.TeliaSmsGateway}/8f2d3b6c7e10"}}`,
    ),
  ],
]);
const NOT_FOUND = fixedAnswer(404, 'application/json', '{"error":"no route"}');

const tlsConnections = { open: 0, mutual: 0 };
const requests: Record<string, number> = {};
// Kept as received; encoded only when the parent asks for it.
const lastRequests = new Map<
  string,
  Omit<CapturedRequest, 'body'> & { chunks: Buffer[] }
>();

function handle(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const target = request.url ?? '';
    const queryStart = target.indexOf('?');
    const path = queryStart < 0 ? target : target.slice(0, queryStart);
    const answer = ANSWERS.get(path) ?? NOT_FOUND;
    requests[path] = (requests[path] ?? 0) + 1;
    lastRequests.set(path, {
      method: request.method ?? '',
      url: target,
      rawHeaders: request.rawHeaders,
      chunks,
    });
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port),
    );
  });
}

async function start(message: ProviderServerStartMessage): Promise<Server[]> {
  const { certificatePem, privateKeyPem } = message.serverCertificate;
  const open = createServer({
    cert: certificatePem,
    key: privateKeyPem,
    minVersion: 'TLSv1.2',
  });
  const mutual = createServer({
    cert: certificatePem,
    key: privateKeyPem,
    minVersion: 'TLSv1.2',
    ca: message.clientCaPem,
    requestCert: true,
    rejectUnauthorized: true,
  });
  open.on('secureConnection', () => (tlsConnections.open += 1));
  mutual.on('secureConnection', () => (tlsConnections.mutual += 1));
  open.on('request', handle);
  mutual.on('request', handle);
  const ready: ProviderServerReadyMessage = {
    type: 'ready',
    openPort: await listen(open),
    mutualPort: await listen(mutual),
  };
  process.send?.(ready);
  return [open, mutual];
}

function lastRequest(route: string | undefined): CapturedRequest | null {
  const captured = route === undefined ? undefined : lastRequests.get(route);
  if (!captured) return null;
  const { chunks, ...request } = captured;
  return { ...request, body: Buffer.concat(chunks).toString('base64') };
}

let servers: Server[] = [];

process.on(
  'message',
  (message: ProviderServerStartMessage | ProviderServerQuery) => {
    if (message.type === 'start') {
      void start(message).then((started) => (servers = started));
      return;
    }
    const answer: ProviderServerAnswer = {
      type: 'answer',
      id: message.id,
      result: null,
    };
    if (message.command === 'stats') {
      const cpu = process.cpuUsage();
      const stats: ProviderServerStats = {
        tlsConnections: { ...tlsConnections },
        requests: { ...requests },
        cpuMicros: cpu.user + cpu.system,
      };
      answer.result = stats;
    } else if (message.command === 'last-request') {
      answer.result = lastRequest(message.route);
    }
    process.send?.(answer);
    if (message.command === 'close') {
      for (const server of servers) {
        server.close();
        server.closeAllConnections();
      }
      process.disconnect();
    }
  },
);
