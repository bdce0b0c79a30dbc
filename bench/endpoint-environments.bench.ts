import { randomInt } from 'node:crypto';
import type { BenchContext } from './bench.context.js';
import {
  benchSettings,
  toSiteSettings,
} from './provider/bench-provider.settings.js';
import { randomLoginMessage, randomPhone } from './provider/bench-messages.js';
import { HttpJsonClient, type JsonAnswer } from './load/http-json.client.js';
import { runAlternating, runLoad } from './load/load.runner.js';
import {
  ratioOf,
  reportFailures,
  summarizeRounds,
} from './load/load.summary.js';
import { startBenchServiceApp } from './load/service-app.launcher.js';

/** Environments that get their settings through the admin API at once. */
const PUT_CONCURRENCY = 8;

/** The test-send endpoint with stored environments against site settings only. */
export interface EndpointEnvironmentResolution {
  /** Throughput with environments / throughput with site settings only. */
  ratio: number;
  /** Environments stored. */
  environments: number;
  /** Requests per variant (measured, after the warm-up). */
  sends: number;
  concurrency: number;
  /** Each request for a random stored environment. */
  sendsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerSend: number;
  /** Each request for a random environment without settings: the site's apply. */
  baselinePerSecond: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  baselineCpuMicrosPerSend: number;
  /** Requests that were not answered 200 with the expected source; 0 unless something is wrong. */
  failures: number;
}

/**
 * Drives `POST /environments/{environment}/sms/test` of the running service, in alternating rounds:
 * once for random environments among those stored (their own Gateway API settings, each with its
 * own token), once for random environment names that have none (the site's Gateway API settings
 * apply). Both go through the same route, guards, limits, store lookup and provider server; the
 * ratio shows what resolving an environment's own settings costs on the HTTP path.
 */
export async function measureEndpointEnvironmentResolution(
  bench: BenchContext,
): Promise<EndpointEnvironmentResolution> {
  const { certificates, server } = bench;
  const { sends, concurrency, environments, rounds, warmup } =
    bench.config.endpoint;
  const service = await startBenchServiceApp({
    site: toSiteSettings(
      benchSettings('GatewayApi', server, certificates.client),
    ),
    caPem: certificates.serverCa.certificatePem,
    logger: bench.logger,
  });
  const client = new HttpJsonClient(service.url, service.apiKey);
  try {
    await storeEnvironments(bench, client);
    const contenders = testSendsOf(client, environments);
    bench.progress('Endpoint: warming up');
    for (const send of Object.values(contenders)) {
      await runLoad({ sends: warmup, concurrency, send });
    }
    bench.progress(`Endpoint: ${sends} test sends per variant, alternating`);
    const results = await runAlternating({
      contenders,
      sends,
      rounds,
      concurrency,
    });
    const measured = summarizeRounds(results.withEnvironments);
    const baseline = summarizeRounds(results.siteOnly);
    reportFailures(bench, 'Endpoint', measured, baseline);
    return {
      ratio: ratioOf(measured.sendsPerSecond, baseline.sendsPerSecond),
      environments,
      sends,
      concurrency,
      sendsPerSecond: measured.sendsPerSecond,
      p50Ms: measured.p50Ms,
      p99Ms: measured.p99Ms,
      cpuMicrosPerSend: measured.cpuMicrosPerSend,
      baselinePerSecond: baseline.sendsPerSecond,
      baselineP50Ms: baseline.p50Ms,
      baselineP99Ms: baseline.p99Ms,
      baselineCpuMicrosPerSend: baseline.cpuMicrosPerSend,
      failures: measured.failures + baseline.failures,
    };
  } finally {
    client.close();
    await service.close();
  }
}

/** Stores the environments, each with Gateway API settings and a token of its own. */
async function storeEnvironments(
  bench: BenchContext,
  client: HttpJsonClient,
): Promise<void> {
  const { certificates, server } = bench;
  const { environments } = bench.config.endpoint;
  bench.progress(`Endpoint: storing ${environments} environments`);
  const stored = await runLoad({
    sends: environments,
    concurrency: PUT_CONCURRENCY,
    send: async (index) =>
      expectStatus(
        await client.send(
          'PUT',
          `/environments/${storedName(index)}/sms`,
          benchSettings('GatewayApi', server, certificates.client, index + 1),
        ),
        200,
      ),
  });
  if (stored.failures > 0) {
    throw new Error(
      `${stored.failures} environments could not be stored; the first: ${stored.firstFailure}`,
    );
  }
}

/** A test send to a random stored environment, and one to a random name with no settings. */
function testSendsOf(client: HttpJsonClient, environments: number) {
  const testSend = async (name: string, source: string) =>
    expectSource(
      await client.send('POST', `/environments/${name}/sms/test`, {
        phone: randomPhone(),
        message: randomLoginMessage(),
      }),
      source,
    );
  return {
    withEnvironments: () =>
      testSend(storedName(randomInt(environments)), 'environment'),
    siteOnly: () => testSend(unstoredName(randomInt(environments)), 'site'),
  };
}

function storedName(index: number): string {
  return `tenant-${String(index).padStart(5, '0')}`;
}

function unstoredName(index: number): string {
  return `site-only-${String(index).padStart(5, '0')}`;
}

function expectStatus(answer: JsonAnswer, status: number): void {
  if (answer.status !== status) {
    throw new Error(
      `HTTP ${answer.status} instead of ${status}: ${answer.body.slice(0, 300)}`,
    );
  }
}

function expectSource(answer: JsonAnswer, source: string): void {
  expectStatus(answer, 200);
  if (!answer.body.includes(`"source":"${source}"`)) {
    throw new Error(
      `The send did not use the ${source} settings: ${answer.body.slice(0, 300)}`,
    );
  }
}
