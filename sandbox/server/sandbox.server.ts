import { SandboxDeliveryReportPoster } from '../messages/sandbox-delivery-report.poster.js';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  ACCESS_URL_PATH,
  createAccessUrlRoute,
} from '../routes/access-url.sandbox-route.js';
import {
  GATEWAY_API_PATH,
  createGatewayApiRoute,
} from '../routes/gateway-api.sandbox-route.js';
import {
  INBOX_PATHS,
  createInboxRoutes,
} from '../inbox/inbox.sandbox-route.js';
import {
  loadSandboxCertificates,
  type SandboxCertificates,
} from './sandbox-certificates.store.js';
import {
  resolveSandboxCredentials,
  type SandboxCredentials,
} from '../routes/sandbox-credentials.js';
import type { SandboxMessage } from '../messages/sandbox-message.interface.js';
import { recordSandboxMessage } from '../messages/sandbox-message.recorder.js';
import { SandboxMessageStore } from '../messages/sandbox-message.store.js';
import type { SandboxRouteContext } from '../routes/sandbox-route.interface.js';
import { createSandboxRouter } from '../routes/sandbox.router.js';
import {
  SMSTOOLS_PATH,
  createSmstoolsRoute,
} from '../routes/smstools.sandbox-route.js';
import {
  SANDBOX_TELIA_SENDER_ADDRESS,
  createTeliaRoute,
  teliaRequestsPath,
} from '../routes/telia.sandbox-route.js';

export {
  DEFAULT_SANDBOX_CREDENTIALS,
  type SandboxCredentials,
} from '../routes/sandbox-credentials.js';
export type {
  SandboxMessage,
  SandboxRecordedRequest,
} from '../messages/sandbox-message.interface.js';
export { SANDBOX_TELIA_SENDER_ADDRESS } from '../routes/telia.sandbox-route.js';

/** Where the sandbox listens and what it accepts. */
export interface SandboxOptions {
  /**
   * The address to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * The port; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /** The folder that keeps the sandbox's certificates between starts, e.g. `./data/sandbox`. */
  dataDir: string;
  /**
   * Credentials the provider endpoints accept instead of the defaults.
   * @default DEFAULT_SANDBOX_CREDENTIALS
   */
  credentials?: Partial<SandboxCredentials>;
}

/** A started sandbox. */
export interface RunningSandbox {
  /** The origin, e.g. `https://localhost:8443`. */
  url: string;
  /** The inbox page. */
  inboxUrl: string;
  /** The PEM file of the sandbox CA, to trust through `Settings:Http:ExtraCaCertificatesFile`. */
  caCertificateFile: string;
  /** A client certificate from the sandbox CA that the Telia endpoint accepts. */
  teliaClientCertificate: { certificatePem: string; privateKeyPem: string };
  /** The full URL of each provider endpoint (Telia's for the sender address `12345`). */
  endpoints: {
    accessUrl: string;
    gatewayApi: string;
    smstools: string;
    telia: string;
  };
  /** The credentials the endpoints accept. */
  credentials: SandboxCredentials;
  /** The recorded messages, newest first. */
  messages(): SandboxMessage[];
  /** Ends the open inbox streams and connections and stops listening. */
  close(): Promise<void>;
}

/** The largest request body the sandbox reads; larger ones get 413. */
export const SANDBOX_MAX_BODY_BYTES = 64 * 1024;

/** How many messages the inbox keeps; older ones are dropped. */
export const SANDBOX_MESSAGE_CAPACITY = 1000;

/**
 * Starts the sandbox: one HTTPS port that speaks the Access URL, Gateway API, Smstools and Telia
 * SMS Gateway APIs, records every accepted message and shows them in an inbox page.
 */
export async function startSandbox(
  options: SandboxOptions,
): Promise<RunningSandbox> {
  const credentials = resolveSandboxCredentials(options.credentials);
  const certificates = await loadSandboxCertificates(options.dataDir);
  const store = new SandboxMessageStore(SANDBOX_MESSAGE_CAPACITY);
  const reports = new SandboxDeliveryReportPoster(store);
  const context = createRouteContext(credentials, store, reports);
  const inbox = createInboxRoutes(store);
  const server = createSandboxServer(certificates);
  await listen(server, options);
  // Connections are read only after this turn, so no request arrives before the router is attached.
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  server.on(
    'request',
    createSandboxRouter({
      routes: [
        createAccessUrlRoute(context),
        createGatewayApiRoute(context),
        createSmstoolsRoute(context),
        createTeliaRoute(context),
        ...inbox.routes,
      ],
      origin,
      maxBodyBytes: SANDBOX_MAX_BODY_BYTES,
    }),
  );
  return {
    url: origin,
    inboxUrl: origin + INBOX_PATHS.page,
    caCertificateFile: certificates.caCertificateFile,
    teliaClientCertificate: { ...certificates.teliaClient },
    endpoints: endpointsOf(origin),
    credentials: { ...credentials },
    messages: () => store.list(),
    close: async () => {
      inbox.close();
      reports.close();
      await closeServer(server);
    },
  };
}

/** What the provider routes share: the credentials, the message ids and the recorder. */
function createRouteContext(
  credentials: SandboxCredentials,
  store: SandboxMessageStore,
  reports: SandboxDeliveryReportPoster,
): SandboxRouteContext {
  let nextId = 100_000_000;
  return {
    credentials,
    nextNumericId: () => String(++nextId),
    record: (draft, request) => {
      store.add(recordSandboxMessage(draft, request));
      if (draft.deliveryReport)
        reports.schedule(draft.id, draft.deliveryReport);
    },
  };
}

function createSandboxServer(certificates: SandboxCertificates): Server {
  return createServer({
    cert: certificates.server.certificatePem,
    key: certificates.server.privateKeyPem,
    ca: certificates.ca.certificatePem,
    // Every route shares the port; only the Telia route insists on a client certificate.
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
  });
}

/** Stops listening and ends the open connections, keep-alive ones included. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolveClose) =>
    server.close(() => resolveClose()),
  );
  server.closeAllConnections();
  await closed;
}

function listen(server: Server, options: SandboxOptions): Promise<void> {
  return new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
}

function endpointsOf(origin: string): RunningSandbox['endpoints'] {
  return {
    accessUrl: origin + ACCESS_URL_PATH,
    gatewayApi: origin + GATEWAY_API_PATH,
    smstools: origin + SMSTOOLS_PATH,
    telia: origin + teliaRequestsPath(SANDBOX_TELIA_SENDER_ADDRESS),
  };
}
