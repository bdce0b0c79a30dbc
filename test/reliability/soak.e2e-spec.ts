import { Agent, request as httpRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  SmsProviderError,
  SmsService,
  SmsTimeoutError,
  type SmsSendResult,
} from '@app/sms';
import {
  createCertificateAuthority,
  issueCertificate,
  type PemCertificate,
} from '../../sandbox/certificates.js';
import {
  FaultProviderServer,
  type FaultRequest,
  type ProviderFault,
} from '../support/fault-provider.server.js';
import { HttpsTestServer } from '../support/https-test-server.js';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';
import { TRANSPORT_KINDS } from '../support/sms-http-transport.fixture.js';

const API_KEY = 'soak-api-key-0123456789';
const SENDS = 10_000;
const ROUNDS = 2;
const ENVIRONMENTS = 100;
const CONCURRENCY = 100;
const TELIA_ENVIRONMENTS = 10;
const UNREACHABLE_ENVIRONMENTS = 5;
const PHONE = '+4512345678';

// Each weight is out of about 100: most sends pass, every kind of fault shows up hundreds of times.
const GATEWAY_MIX: Partial<Record<ProviderFault, number>> = {
  ok: 70,
  'malformed-json': 3,
  'status-401': 3,
  'status-422': 2,
  'status-429-retry-now': 5,
  'status-500': 4,
  'status-503': 3,
  'reset-before-answer': 4,
  'reset-mid-body': 4,
  'slow-body': 0.3,
};
const TELIA_MIX: Partial<Record<ProviderFault, number>> = {
  'telia-ok': 75,
  'status-500': 5,
  'reset-before-answer': 5,
  'status-429-retry-now': 5,
  'status-403': 5,
  'malformed-json': 5,
};
// What a provider answer that ends a send means: taken (200) or not.
const TAKEN = new Set(['ok', 'telia-ok', 'malformed-json']);

/** TCP sockets open in this process: the service's, the providers' and the test client's. */
const openSockets = () =>
  process
    .getActiveResourcesInfo()
    .filter((resource) => resource === 'TCPSocketWrap').length;

/** A full garbage collection, so that heap figures compare live objects only. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** How one send ended, and for which environment. */
interface Outcome {
  environment: number;
  result?: SmsSendResult;
  error?: unknown;
}

describe.each(TRANSPORT_KINDS)(
  'soak: 10,000 sends over 100 environments with faults mixed in (%s transport)',
  (transport) => {
    let providersCa: PemCertificate;
    let faults: FaultProviderServer;
    let telia: FaultProviderServer;
    let closedPortUrl: string;
    let service: ServiceTestApp;
    const client = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      providersCa = await createCertificateAuthority({
        commonName: 'Soak providers CA',
      });
      const clientCa = await createCertificateAuthority({
        commonName: 'Soak Telia clients',
      });
      faults = await FaultProviderServer.start({
        certificateAuthority: providersCa,
        keepAlive: true,
        mix: GATEWAY_MIX,
        seed: 42,
      });
      telia = await FaultProviderServer.start({
        certificateAuthority: providersCa,
        clientCa: clientCa.certificatePem,
        keepAlive: true,
        mix: TELIA_MIX,
        seed: 7,
      });
      const closed = await HttpsTestServer.start();
      closedPortUrl = closed.url;
      await closed.close();

      service = await startServiceTestApp({
        settings: {
          Settings: {
            Sms: {
              Type: 'GatewayApi',
              FromName: 'Acme',
              ApiUrl: `${faults.url}/faults/ok`,
              ClientSecret: 'soak-site-token',
            },
            Api: {
              Keys: [API_KEY],
              TestSendLimitPerPhone: 1_000_000,
              TestSendLimitPerKey: 1_000_000,
            },
            Http: {
              Transport: transport,
              TimeoutSeconds: 5,
              ExtraCaCertificatesFile: 'providers-ca.pem',
            },
            Security: { AllowPrivateNetworkUrls: true },
          },
        },
        files: { 'providers-ca.pem': providersCa.certificatePem },
      });

      const certificates: PemCertificate[] = [];
      for (let i = 0; i < TELIA_ENVIRONMENTS; i += 1) {
        certificates.push(
          await issueCertificate(clientCa, {
            commonName: `soak-telia-${i}`,
            usage: 'client',
          }),
        );
      }
      for (let i = 0; i < ENVIRONMENTS; i += 1) {
        const answer = await call(
          'PUT',
          `/environments/${environmentName(i)}/sms`,
          settingsOf(i, certificates),
        );
        expect(answer.status).toBe(200);
      }
    });
    afterAll(async () => {
      client.destroy();
      await service?.close();
      await faults?.close();
      await telia?.close();
      process.off('unhandledRejection', onUnhandled);
    });

    const environmentName = (i: number) => `soak-${String(i).padStart(3, '0')}`;
    const kindOf = (i: number) =>
      i < TELIA_ENVIRONMENTS
        ? 'telia'
        : i < TELIA_ENVIRONMENTS + UNREACHABLE_ENVIRONMENTS
          ? 'unreachable'
          : i % 2 === 0
            ? 'gateway'
            : 'smstools';

    function settingsOf(i: number, certificates: PemCertificate[]) {
      switch (kindOf(i)) {
        case 'telia':
          return {
            type: 'TeliaSmsGateway',
            fromName: 'Tenant',
            apiUrl: `${telia.url}/telia/mixed`,
            clientId: '12345',
            clientSecret: `telia-key-${i}`,
            certificatePemCrt: certificates[i].certificatePem,
            certificatePemKey: certificates[i].privateKeyPem,
          };
        case 'unreachable':
          return {
            type: 'GatewayApi',
            fromName: 'Tenant',
            apiUrl: `${closedPortUrl}/rest/mtsms`,
            clientSecret: `gateway-token-${i}`,
          };
        case 'gateway':
          return {
            type: 'GatewayApi',
            fromName: 'Tenant',
            apiUrl: `${faults.url}/faults/mixed`,
            clientSecret: `gateway-token-${i}`,
          };
        default:
          return {
            type: 'Smstools',
            fromName: 'Tenant',
            apiUrl: `${faults.url}/faults/mixed`,
            clientId: `client-${i}`,
            clientSecret: `smstools-secret-${i}`,
          };
      }
    }

    /** One call to the service over a kept-alive connection. */
    function call(
      method: string,
      path: string,
      body: unknown,
    ): Promise<Answer> {
      const payload = Buffer.from(JSON.stringify(body));
      const url = new URL(path, service.url);
      return new Promise((resolve, reject) => {
        const outgoing = httpRequest(
          url,
          {
            method,
            agent: client,
            headers: {
              authorization: `Bearer ${API_KEY}`,
              'content-type': 'application/json',
              'content-length': payload.length,
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
              }),
            );
            response.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(payload);
      });
    }

    /**
     * Sends `count` messages from `first` on through the service's SmsService, at the concurrency,
     * each for a random environment.
     */
    async function sendRound(
      first: number,
      count: number,
      outcomes: Map<number, Outcome>,
    ): Promise<void> {
      const sms = service.app.get(SmsService);
      let next = first;
      const worker = async () => {
        while (next < first + count) {
          const index = next;
          next += 1;
          const environment = Math.floor(Math.random() * ENVIRONMENTS);
          const outcome: Outcome = { environment };
          try {
            outcome.result = await sms.send({
              phone: PHONE,
              message: `soak message ${index}`,
              environment: environmentName(environment),
            });
          } catch (error) {
            outcome.error = error;
          }
          outcomes.set(index, outcome);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    }

    it('ends every send in a result or a typed error, never sends twice after a maybe-sent failure, and returns sockets and memory to their baseline', async () => {
      const socketsBefore = openSockets();
      const outcomes = new Map<number, Outcome>();
      const heapAfterRound: number[] = [];
      const perRound = SENDS / ROUNDS;
      for (let round = 0; round < ROUNDS; round += 1) {
        await sendRound(round * perRound, perRound, outcomes);
        // The captured log grows with every send; it is the test's, not the service's.
        service.logs.lines.length = 0;
        collectGarbage();
        heapAfterRound.push(process.memoryUsage().heapUsed);
      }

      expect(outcomes.size).toBe(SENDS);
      const byMessage = new Map<string, FaultRequest[]>();
      for (const received of [...faults.requests, ...telia.requests]) {
        const list = byMessage.get(received.message ?? '') ?? [];
        list.push(received);
        byMessage.set(received.message ?? '', list);
      }
      const tally = { sent: 0, refused: 0, timedOut: 0 };
      for (const [index, outcome] of outcomes) {
        const { error } = outcome;
        const kind = kindOf(outcome.environment);
        const requests = byMessage.get(`soak message ${index}`) ?? [];
        const last = requests.at(-1);
        if (outcome.result) {
          tally.sent += 1;
          expect(TAKEN.has(last?.fault ?? '')).toBe(true);
        } else if (error instanceof SmsTimeoutError) {
          // A timeout can end any exchange on a loaded machine, and then it may have been sent.
          tally.timedOut += 1;
        } else {
          // Every other failure is typed, and its provider did not take the message.
          expect(error).toBeInstanceOf(SmsProviderError);
          tally.refused += 1;
          expect(TAKEN.has(last?.fault ?? '')).toBe(false);
        }
        if (kind === 'unreachable') {
          expect(error).toMatchObject({ maybeSent: false });
          expect(requests).toHaveLength(0);
          continue;
        }
        expect(requests.length).toBeLessThanOrEqual(3);
        if (kind === 'telia') {
          // Telia may repeat a message that may have been sent: with the same clientCorrelator.
          expect(new Set(requests.map((r) => r.clientCorrelator)).size).toBe(1);
        } else {
          // Anything else is repeated only after a refusal that certainly sent nothing.
          for (const earlier of requests.slice(0, -1)) {
            expect(earlier.fault).toBe('status-429-retry-now');
          }
        }
      }
      expect(tally.sent + tally.refused + tally.timedOut).toBe(SENDS);
      // Every fault of the mix came up, and each kind of outcome.
      const played = new Set(faults.requests.map((r) => r.fault));
      expect([...played].sort()).toEqual(Object.keys(GATEWAY_MIX).sort());
      expect(tally.timedOut).toBeGreaterThan(0);
      expect(tally.refused).toBeGreaterThan(0);

      // Idle kept-alive connections close on their own; nothing else stays open.
      await vi.waitFor(
        () => expect(openSockets()).toBeLessThanOrEqual(socketsBefore),
        { timeout: 15_000, interval: 250 },
      );
      // The second round finds everything built by the first: agents, parsed settings, caches.
      const growthMb = (heapAfterRound[1] - heapAfterRound[0]) / 1024 / 1024;
      expect(growthMb).toBeLessThan(10);
      expect(unhandled).toEqual([]);
    }, 120_000);
  },
);
