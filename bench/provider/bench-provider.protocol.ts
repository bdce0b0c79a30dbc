import type { PemCertificate } from '../../sandbox/certificates.js';

/** The path each provider is served on by the benchmark's provider server. */
export const BENCH_PROVIDER_ROUTES = {
  AccessUrl: '/sms/send',
  GatewayApi: '/rest/mtsms',
  Smstools: '/v1/message/send',
  TeliaSmsGateway: '/messaging/v1/outbound/12345/requests',
} as const;

/** One of the four built-in provider types. */
export type BenchProviderType = keyof typeof BENCH_PROVIDER_ROUTES;

/** The provider types in the order the results list them. */
export const BENCH_PROVIDER_TYPES = Object.keys(
  BENCH_PROVIDER_ROUTES,
) as BenchProviderType[];

/** What the server process needs to start: its certificate and the CA of Telia's clients. */
export interface ProviderServerStartMessage {
  type: 'start';
  serverCertificate: PemCertificate;
  /** Clients of the Telia server must present a certificate issued by this CA. */
  clientCaPem: string;
}

/** Sent by the server process once both servers listen. */
export interface ProviderServerReadyMessage {
  type: 'ready';
  /** The server of Access URL, Gateway API and Smstools (no client certificate). */
  openPort: number;
  /** The Telia server: demands a client certificate (mutual TLS). */
  mutualPort: number;
}

/** A request to the server process; it answers with the same `id`. */
export interface ProviderServerQuery {
  type: 'query';
  id: number;
  command: 'stats' | 'last-request' | 'close';
  /** For `last-request`: the path of the route. */
  route?: string;
}

/** The answer to a {@link ProviderServerQuery}. */
export interface ProviderServerAnswer {
  type: 'answer';
  id: number;
  result: ProviderServerStats | CapturedRequest | null;
}

/** Counters since the server started. */
export interface ProviderServerStats {
  /** Completed TLS handshakes, i.e. new connections. */
  tlsConnections: { open: number; mutual: number };
  /** Requests answered, by path. */
  requests: Record<string, number>;
  /** CPU time of the server process (user and system), in microseconds. */
  cpuMicros: number;
}

/** One request exactly as it arrived: the bytes a client must send to be indistinguishable. */
export interface CapturedRequest {
  method: string;
  /** The request target: path and raw query string. */
  url: string;
  /** Header names and values in the order and case they were sent. */
  rawHeaders: string[];
  /** The body, base64. */
  body: string;
}
