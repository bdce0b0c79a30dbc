import { Agent } from 'node:https';
import { isDeepStrictEqual } from 'node:util';
import type { SmsService } from '@app/sms';
import type { BenchContext } from './bench.context.js';
import {
  BENCH_PROVIDER_ROUTES,
  type BenchProviderType,
} from './provider/bench-provider.protocol.js';
import {
  benchSettings,
  toSiteSettings,
} from './provider/bench-provider.settings.js';
import { FIXED_MESSAGE, FIXED_PHONE } from './provider/bench-messages.js';
import { runAlternating, runLoad } from './load/load.runner.js';
import {
  ratioOf,
  reportFailures,
  summarizeRounds,
  type LoadSummary,
} from './load/load.summary.js';
import { sendRaw, toReplayedRequest } from './load/raw-https.client.js';
import { startSmsLibrary } from './load/sms-library.context.js';

/** `SmsService.send` against the raw client, for one provider. */
export interface ProviderComparison {
  /** Library throughput / raw throughput. */
  ratio: number;
  /** Library sends per second. */
  sendsPerSecond: number;
  /** Raw client sends per second. */
  baselinePerSecond: number;
  /** Library latency percentiles. */
  p50Ms: number;
  p99Ms: number;
  /** Raw client latency percentiles. */
  baselineP50Ms: number;
  baselineP99Ms: number;
  /** CPU time of this process per send, library and raw client. */
  cpuMicrosPerSend: number;
  baselineCpuMicrosPerSend: number;
  /** CPU time of the provider server process per request, during library and raw rounds. */
  serverCpuMicrosPerRequest: number;
  baselineServerCpuMicrosPerRequest: number;
  /** Sends per client (measured, after the warm-up). */
  sends: number;
  concurrency: number;
  /** The raw client's request arrived with exactly the library's method, target, headers and body. */
  identicalBytes: boolean;
  /** Sends that failed, both clients together; 0 unless something is wrong. */
  failures: number;
  /** Connections the server saw for both clients together. */
  tlsConnections: number;
}

/**
 * Sends the same message to the same number through `SmsService.send` and through a minimal
 * keep-alive `https.request` client that replays the library's request byte for byte, in
 * alternating rounds against the same server, and compares their throughput.
 */
export async function compareLibraryWithRawClient(
  bench: BenchContext,
  type: BenchProviderType,
): Promise<ProviderComparison> {
  const { certificates, server, config } = bench;
  const { sends, concurrency, rounds } = config.providers;
  const route = BENCH_PROVIDER_ROUTES[type];
  const library = await startSmsLibrary(
    {
      settings: toSiteSettings(
        benchSettings(type, server, certificates.client),
      ),
      extraCaCertificates: certificates.serverCa.certificatePem,
    },
    bench.logger,
  );
  const rawAgent = rawAgentFor(bench, type);
  try {
    const sendThroughLibrary = () => sendFixed(library.sms);
    const raw = await warmUp(bench, type, { sendThroughLibrary, rawAgent });
    bench.progress(`${type}: ${sends} sends per client, alternating`);
    const before = await server.stats();
    const results = await runAlternating({
      contenders: { library: sendThroughLibrary, raw: raw.send },
      sends,
      rounds,
      concurrency,
      counter: async () => (await server.stats()).cpuMicros,
    });
    const after = await server.stats();
    const measured = summarizeRounds(results.library);
    const baseline = summarizeRounds(results.raw);
    reportFailures(bench, type, measured, baseline);
    const arrived =
      (after.requests[route] ?? 0) - (before.requests[route] ?? 0);
    return {
      ...comparisonOf(measured, baseline),
      sends,
      concurrency,
      identicalBytes: raw.identicalBytes,
      failures: measured.failures + baseline.failures + (2 * sends - arrived),
      tlsConnections: connectionsOf(after) - connectionsOf(before),
    };
  } finally {
    rawAgent.destroy();
    await library.close();
  }
}

/** Keep-alive, most recently used socket first: the best settings for a steady stream of sends. */
function rawAgentFor(bench: BenchContext, type: BenchProviderType): Agent {
  const { certificates } = bench;
  return new Agent({
    keepAlive: true,
    scheduling: 'lifo',
    minVersion: 'TLSv1.2',
    ca: certificates.serverCa.certificatePem,
    ...(type === 'TeliaSmsGateway' && {
      cert: certificates.client.certificatePem,
      key: certificates.client.privateKeyPem,
    }),
  });
}

/**
 * Warms both clients up: the library first, whose request the raw client then replays. Returns the
 * raw client's send, and whether its request arrived byte for byte as the library's.
 */
async function warmUp(
  bench: BenchContext,
  type: BenchProviderType,
  clients: { sendThroughLibrary: () => Promise<unknown>; rawAgent: Agent },
): Promise<{ send: () => Promise<unknown>; identicalBytes: boolean }> {
  const { server, config } = bench;
  const { concurrency, warmup } = config.providers;
  const route = BENCH_PROVIDER_ROUTES[type];
  const origin = new URL(
    type === 'TeliaSmsGateway' ? server.mutualUrl : server.openUrl,
  );
  bench.progress(`${type}: warming up`);
  await expectNoFailure(
    runLoad({ sends: warmup, concurrency, send: clients.sendThroughLibrary }),
  );
  const libraryRequest = await server.lastRequest(route);
  const replayed = toReplayedRequest(libraryRequest);
  const send = () => sendRaw(origin, clients.rawAgent, replayed);
  await expectNoFailure(runLoad({ sends: warmup, concurrency, send }));
  const identicalBytes = isDeepStrictEqual(
    await server.lastRequest(route),
    libraryRequest,
  );
  return { send, identicalBytes };
}

/** The throughput, latency and CPU figures of the library against the raw client. */
function comparisonOf(
  measured: LoadSummary,
  baseline: LoadSummary,
): Omit<
  ProviderComparison,
  'sends' | 'concurrency' | 'identicalBytes' | 'failures' | 'tlsConnections'
> {
  return {
    ratio: ratioOf(measured.sendsPerSecond, baseline.sendsPerSecond),
    sendsPerSecond: measured.sendsPerSecond,
    baselinePerSecond: baseline.sendsPerSecond,
    p50Ms: measured.p50Ms,
    p99Ms: measured.p99Ms,
    baselineP50Ms: baseline.p50Ms,
    baselineP99Ms: baseline.p99Ms,
    cpuMicrosPerSend: measured.cpuMicrosPerSend,
    baselineCpuMicrosPerSend: baseline.cpuMicrosPerSend,
    serverCpuMicrosPerRequest: measured.countedPerSend ?? Number.NaN,
    baselineServerCpuMicrosPerRequest: baseline.countedPerSend ?? Number.NaN,
  };
}

async function sendFixed(sms: SmsService): Promise<void> {
  await sms.send({ phone: FIXED_PHONE, message: FIXED_MESSAGE });
}

async function expectNoFailure(
  round: ReturnType<typeof runLoad>,
): Promise<void> {
  const { failures, firstFailure } = await round;
  if (failures > 0) {
    throw new Error(
      `${failures} warm-up sends failed; the first: ${firstFailure}`,
    );
  }
}

function connectionsOf(stats: {
  tlsConnections: { open: number; mutual: number };
}): number {
  return stats.tlsConnections.open + stats.tlsConnections.mutual;
}
