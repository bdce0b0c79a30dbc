import { Agent, request as httpRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  SmsEvents,
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
// The fallback of a third of the environments, and of every unreachable one: a second provider.
const FALLBACK_MIX: Partial<Record<ProviderFault, number>> = {
  ok: 90,
  'status-401': 3,
  'status-429-retry-now': 2,
  'status-500': 3,
  'reset-before-answer': 2,
};
// What a provider answer that ends a send means: taken (200) or not.
const TAKEN = new Set(['ok', 'telia-ok', 'malformed-json']);
// Answers after which the message may have reached the recipient: taken, or maybe sent.
const MAY_HAVE_SENT = new Set([
  ...TAKEN,
  'status-500',
  'status-503',
  'reset-before-answer',
  'reset-mid-body',
  'slow-body',
]);

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
    let fallback: FaultProviderServer;
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
      fallback = await FaultProviderServer.start({
        certificateAuthority: providersCa,
        keepAlive: true,
        mix: FALLBACK_MIX,
        seed: 11,
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
      await fallback?.close();
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

    const hasFallback = (i: number) =>
      kindOf(i) === 'unreachable' || i % 3 === 0;

    function settingsOf(i: number, certificates: PemCertificate[]) {
      const primary = primarySettingsOf(i, certificates);
      if (!hasFallback(i)) return primary;
      return {
        ...primary,
        fallback: {
          type: 'GatewayApi',
          fromName: 'Tenant',
          apiUrl: `${fallback.url}/faults/mixed`,
          clientSecret: `fallback-token-${i}`,
        },
      };
    }

    function primarySettingsOf(i: number, certificates: PemCertificate[]) {
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

    /** The requests each message made at one provider, oldest first. */
    function requestsByMessage(
      requests: FaultRequest[],
    ): Map<string, FaultRequest[]> {
      const byMessage = new Map<string, FaultRequest[]>();
      for (const received of requests) {
        const list = byMessage.get(received.message ?? '') ?? [];
        list.push(received);
        byMessage.set(received.message ?? '', list);
      }
      return byMessage;
    }

    /**
     * How many requests of one message came after an answer that may have sent it: a duplicate the
     * recipient may get, unless it is a Telia repeat with the same clientCorrelator.
     */
    function duplicatesOf(requests: FaultRequest[]): number {
      let duplicates = 0;
      requests.forEach((received, index) => {
        const earlier = requests.slice(0, index);
        const mayHaveSent = earlier.filter((r) => MAY_HAVE_SENT.has(r.fault));
        const deduplicated = mayHaveSent.every(
          (r) =>
            r.clientCorrelator !== undefined &&
            r.clientCorrelator === received.clientCorrelator,
        );
        if (mayHaveSent.length > 0 && !deduplicated) duplicates += 1;
      });
      return duplicates;
    }

    /** One send and what its providers received, for an assertion's message. */
    function describeSend(
      outcome: Outcome,
      primaryRequests: FaultRequest[],
      fallbackRequests: FaultRequest[],
    ): string {
      const { error } = outcome;
      return JSON.stringify({
        kind: kindOf(outcome.environment),
        primary: primaryRequests.map((r) => r.fault),
        fallback: fallbackRequests.map((r) => r.fault),
        result: outcome.result,
        error:
          error instanceof SmsProviderError
            ? {
                message: error.message,
                provider: error.provider,
                maybeSent: error.maybeSent,
                failoverFrom: error.failoverFrom,
              }
            : String(error),
      });
    }

    /** Checks one send against what its providers received; true when it failed over. */
    function checkOutcome(
      outcome: Outcome,
      primaryRequests: FaultRequest[],
      fallbackRequests: FaultRequest[],
    ): boolean {
      const { error } = outcome;
      const kind = kindOf(outcome.environment);
      const failoverFrom =
        outcome.result?.failoverFrom ??
        (error instanceof SmsProviderError ? error.failoverFrom : null);
      // The fallback hears of a message only after the primary certainly did not send it.
      if (fallbackRequests.length > 0) {
        expect(failoverFrom).not.toBeNull();
        for (const earlier of primaryRequests) {
          expect(
            MAY_HAVE_SENT.has(earlier.fault),
            describeSend(outcome, primaryRequests, fallbackRequests),
          ).toBe(false);
        }
      }
      if (failoverFrom === null) expect(fallbackRequests).toHaveLength(0);
      if (kind === 'unreachable') expect(primaryRequests).toHaveLength(0);
      expect(primaryRequests.length).toBeLessThanOrEqual(3);
      expect(fallbackRequests.length).toBeLessThanOrEqual(3);
      for (const requests of [primaryRequests, fallbackRequests]) {
        const repeatsAfterRefusal =
          kind !== 'telia' || requests === fallbackRequests;
        if (!repeatsAfterRefusal) {
          // Telia may repeat a message that may have been sent: with the same clientCorrelator.
          expect(
            new Set(requests.map((r) => r.clientCorrelator)).size,
          ).toBeLessThanOrEqual(1);
          continue;
        }
        // Anything else is repeated only after a refusal that certainly sent nothing.
        for (const earlier of requests.slice(0, -1)) {
          expect(earlier.fault).toBe('status-429-retry-now');
        }
      }
      return failoverFrom !== null;
    }

    it('ends every send in a result or a typed error, never sends twice after a maybe-sent failure nor to two providers, and returns sockets and memory to their baseline', async () => {
      const socketsBefore = openSockets();
      const outcomes = new Map<number, Outcome>();
      const heapAfterRound: number[] = [];
      const perRound = SENDS / ROUNDS;
      let circuitsOpened = 0;
      let failoverEvents = 0;
      service.app.get(SmsEvents).subscribe((event) => {
        if (event.type === 'failover') failoverEvents += 1;
      });
      for (let round = 0; round < ROUNDS; round += 1) {
        await sendRound(round * perRound, perRound, outcomes);
        circuitsOpened += service.logs.lines.filter((line) =>
          line.includes('SMS circuit opened:'),
        ).length;
        // The captured log grows with every send; it is the test's, not the service's.
        service.logs.lines.length = 0;
        collectGarbage();
        heapAfterRound.push(process.memoryUsage().heapUsed);
      }

      expect(outcomes.size).toBe(SENDS);
      const primaryByMessage = requestsByMessage([
        ...faults.requests,
        ...telia.requests,
      ]);
      const fallbackByMessage = requestsByMessage(fallback.requests);
      const tally = {
        sent: 0,
        refused: 0,
        timedOut: 0,
        failovers: 0,
        retried: 0,
        duplicates: 0,
      };
      for (const [index, outcome] of outcomes) {
        const message = `soak message ${index}`;
        const primaryRequests = primaryByMessage.get(message) ?? [];
        const fallbackRequests = fallbackByMessage.get(message) ?? [];
        const requests = [...primaryRequests, ...fallbackRequests];
        const last = requests.at(-1);
        if (outcome.result) {
          tally.sent += 1;
          expect(
            TAKEN.has(last?.fault ?? ''),
            describeSend(outcome, primaryRequests, fallbackRequests),
          ).toBe(true);
        } else if (outcome.error instanceof SmsTimeoutError) {
          // A timeout can end any exchange on a loaded machine, and then it may have been sent.
          tally.timedOut += 1;
        } else {
          // Every other failure is typed; one that says nothing was sent is true to its word. A
          // connection that broke after the request was written may have delivered it, and says so.
          expect(outcome.error).toBeInstanceOf(SmsProviderError);
          tally.refused += 1;
          if (!(outcome.error as SmsProviderError).maybeSent) {
            expect(
              TAKEN.has(last?.fault ?? ''),
              describeSend(outcome, primaryRequests, fallbackRequests),
            ).toBe(false);
          }
        }
        if (checkOutcome(outcome, primaryRequests, fallbackRequests)) {
          tally.failovers += 1;
        }
        tally.duplicates += duplicatesOf(requests);
        if (primaryRequests.length > 1 || fallbackRequests.length > 1) {
          tally.retried += 1;
        }
      }
      const providerRequests =
        faults.requests.length +
        telia.requests.length +
        fallback.requests.length;
      console.log(
        `soak: sends=${SENDS} providerRequests=${providerRequests} retried=${tally.retried} sent=${tally.sent} refused=${tally.refused} timedOut=${tally.timedOut} failovers=${tally.failovers} circuitsOpened=${circuitsOpened} duplicates=${tally.duplicates}`,
      );
      expect(tally.sent + tally.refused + tally.timedOut).toBe(SENDS);
      expect(tally.duplicates).toBe(0);
      expect(failoverEvents).toBe(tally.failovers);
      expect(tally.failovers).toBeGreaterThan(0);
      expect(circuitsOpened).toBeGreaterThan(0);
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
    }, 180_000);
  },
);
