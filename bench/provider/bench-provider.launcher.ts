import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PemCertificate } from '../../sandbox/certificates.js';
import type {
  CapturedRequest,
  ProviderServerAnswer,
  ProviderServerQuery,
  ProviderServerReadyMessage,
  ProviderServerStartMessage,
  ProviderServerStats,
} from './bench-provider.protocol.js';

/** The provider server process, seen from the benchmark. */
export interface BenchProviderServer {
  /** `https://127.0.0.1:<port>` of Access URL, Gateway API and Smstools. */
  openUrl: string;
  /** `https://127.0.0.1:<port>` of Telia, which demands a client certificate. */
  mutualUrl: string;
  /** Counters since the server started. */
  stats(): Promise<ProviderServerStats>;
  /** The last request received on the route, as it arrived. */
  lastRequest(route: string): Promise<CapturedRequest>;
  /** Stops the servers and the process. */
  close(): Promise<void>;
}

const SERVER_ENTRY = fileURLToPath(
  new URL('./bench-provider.server.ts', import.meta.url),
);
const REGISTER = new URL('../register.js', import.meta.url).href;

/**
 * Starts `bench-provider.server.ts` in a child process, so that the provider's CPU time is not
 * counted as the client's, as when the provider is another machine.
 */
export async function startBenchProviderServer(certificates: {
  server: PemCertificate;
  clientCa: PemCertificate;
}): Promise<BenchProviderServer> {
  const child = fork(SERVER_ENTRY, [], {
    execArgv: ['--import', REGISTER],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ProviderServerReadyMessage>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`The provider server exited early (code ${code}).`)),
      );
      child.once('message', (message: ProviderServerReadyMessage) =>
        resolve(message),
      );
      const start: ProviderServerStartMessage = {
        type: 'start',
        serverCertificate: certificates.server,
        clientCaPem: certificates.clientCa.certificatePem,
      };
      child.send(start);
    },
  );
  child.removeAllListeners('exit');
  const query = queryChannel(child);
  return {
    openUrl: `https://127.0.0.1:${ready.openPort}`,
    mutualUrl: `https://127.0.0.1:${ready.mutualPort}`,
    stats: async () => (await query('stats')) as ProviderServerStats,
    lastRequest: async (route) => {
      const captured = (await query(
        'last-request',
        route,
      )) as CapturedRequest | null;
      if (!captured) throw new Error(`No request has arrived on ${route}.`);
      return captured;
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await query('close');
      await exited;
    },
  };
}

function queryChannel(child: ChildProcess) {
  let nextId = 0;
  const pending = new Map<number, (answer: ProviderServerAnswer) => void>();
  child.on('message', (answer: ProviderServerAnswer) => {
    pending.get(answer.id)?.(answer);
    pending.delete(answer.id);
  });
  return (
    command: ProviderServerQuery['command'],
    route?: string,
  ): Promise<ProviderServerAnswer['result']> =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, (answer) => resolve(answer.result));
      const message: ProviderServerQuery = {
        type: 'query',
        id,
        command,
        route,
      };
      child.send(message);
    });
}
