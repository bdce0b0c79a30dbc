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
import {
  sendRaw,
  toReplayedRequest,
  type ReplayedRequest,
} from './load/raw-https.client.js';
import { createRawAxios, sendRawAxios } from './load/raw-axios.client.js';
import type { AxiosInstance } from 'axios';
import type { SmsHttpTransportKind } from '@app/sms/transport/sms-http.transport.js';
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

/** One transport's comparison: against its own baseline (`ratio`) and against the other raw client. */
export interface TransportComparison extends ProviderComparison {
  /** The raw client `ratio` is measured against. */
  baseline: 'raw axios' | 'raw https.request';
  /** Library throughput / raw keep-alive `https.request` throughput. */
  ratioVsRawHttpsRequest: number;
  /** Library throughput / raw axios throughput (the same agent settings). */
  ratioVsRawAxios: number;
}

/** One provider measured on both transports and both raw clients in the same alternating rounds. */
export interface ProviderTransportComparison {
  /** The default transport (axios) against raw `https.request`: the `providers` figures of old. */
  library: ProviderComparison;
  /** The axios transport, `ratio` against raw axios. */
  axios: TransportComparison;
  /** The undici transport, `ratio` against raw `https.request`. */
  undici: TransportComparison;
}

/**
 * Sends the same message to the same number through `SmsService.send` on each transport, through
 * a minimal keep-alive `https.request` client that replays the library's request byte for byte,
 * and through a plain axios client over an agent of the same settings, in alternating rounds
 * against the same server, and compares their throughput.
 */
export async function compareLibraryWithRawClient(
  bench: BenchContext,
  type: BenchProviderType,
): Promise<ProviderTransportComparison> {
  const { certificates, server, config } = bench;
  const { sends, concurrency, rounds } = config.providers;
  const route = BENCH_PROVIDER_ROUTES[type];
  const libraryOn = (transport: SmsHttpTransportKind) =>
    startSmsLibrary(
      {
        settings: toSiteSettings(
          benchSettings(type, server, certificates.client),
        ),
        extraCaCertificates: certificates.serverCa.certificatePem,
        transport,
      },
      bench.logger,
    );
  const onAxios = await libraryOn('axios');
  const onUndici = await libraryOn('undici');
  const rawAgent = rawAgentFor(bench, type);
  const rawAxiosAgent = rawAgentFor(bench, type);
  try {
    const clients = {
      axios: () => sendFixed(onAxios.sms),
      undici: () => sendFixed(onUndici.sms),
    };
    const raw = await warmUp(bench, type, {
      libraries: clients,
      rawAgent,
      rawAxios: createRawAxios(rawAxiosAgent),
    });
    bench.progress(`${type}: ${sends} sends per client, 4 clients alternating`);
    const before = await server.stats();
    const results = await runAlternating({
      contenders: {
        axios: clients.axios,
        undici: clients.undici,
        rawHttps: raw.sendHttps,
        rawAxios: raw.sendAxios,
      },
      sends,
      rounds,
      concurrency,
      counter: async () => (await server.stats()).cpuMicros,
    });
    const after = await server.stats();
    const summary = {
      axios: summarizeRounds(results.axios),
      undici: summarizeRounds(results.undici),
      rawHttps: summarizeRounds(results.rawHttps),
      rawAxios: summarizeRounds(results.rawAxios),
    };
    reportFailures(bench, `${type} axios`, summary.axios, summary.rawAxios);
    reportFailures(bench, `${type} undici`, summary.undici, summary.rawHttps);
    const arrived =
      (after.requests[route] ?? 0) - (before.requests[route] ?? 0);
    const failures =
      summary.axios.failures +
      summary.undici.failures +
      summary.rawHttps.failures +
      summary.rawAxios.failures +
      (4 * sends - arrived);
    const common = {
      sends,
      concurrency,
      failures,
      tlsConnections: connectionsOf(after) - connectionsOf(before),
    };
    const transport = (
      kind: SmsHttpTransportKind,
      baseline: TransportComparison['baseline'],
    ): TransportComparison => ({
      ...comparisonOf(
        summary[kind],
        baseline === 'raw axios' ? summary.rawAxios : summary.rawHttps,
      ),
      ...common,
      identicalBytes: raw.identicalBytes[kind],
      baseline,
      ratioVsRawHttpsRequest: ratioOf(
        summary[kind].sendsPerSecond,
        summary.rawHttps.sendsPerSecond,
      ),
      ratioVsRawAxios: ratioOf(
        summary[kind].sendsPerSecond,
        summary.rawAxios.sendsPerSecond,
      ),
    });
    return {
      library: {
        ...comparisonOf(summary.axios, summary.rawHttps),
        ...common,
        identicalBytes: raw.identicalBytes.axios,
      },
      axios: transport('axios', 'raw axios'),
      undici: transport('undici', 'raw https.request'),
    };
  } finally {
    rawAgent.destroy();
    rawAxiosAgent.destroy();
    await onAxios.close();
    await onUndici.close();
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
 * Warms every client up: each library first, whose request the raw `https.request` client then
 * replays (the default transport's, in the measured rounds), then the raw axios client. Returns the
 * raw clients' sends, and per transport whether the raw replay of its request arrived byte for byte
 * as the library's.
 */
async function warmUp(
  bench: BenchContext,
  type: BenchProviderType,
  clients: {
    libraries: Record<SmsHttpTransportKind, () => Promise<unknown>>;
    rawAgent: Agent;
    rawAxios: AxiosInstance;
  },
): Promise<{
  sendHttps: () => Promise<unknown>;
  sendAxios: () => Promise<unknown>;
  identicalBytes: Record<SmsHttpTransportKind, boolean>;
}> {
  const { server, config } = bench;
  const { concurrency, warmup } = config.providers;
  const route = BENCH_PROVIDER_ROUTES[type];
  const origin = new URL(
    type === 'TeliaSmsGateway' ? server.mutualUrl : server.openUrl,
  );
  const identicalBytes = { axios: false, undici: false };
  let replayed: ReplayedRequest | undefined;
  for (const kind of ['undici', 'axios'] as const) {
    bench.progress(`${type}: warming up the ${kind} transport`);
    await expectNoFailure(
      runLoad({ sends: warmup, concurrency, send: clients.libraries[kind] }),
    );
    const libraryRequest = await server.lastRequest(route);
    replayed = toReplayedRequest(libraryRequest);
    const request = replayed;
    await expectNoFailure(
      runLoad({
        sends: warmup,
        concurrency,
        send: () => sendRaw(origin, clients.rawAgent, request),
      }),
    );
    identicalBytes[kind] = isDeepStrictEqual(
      await server.lastRequest(route),
      libraryRequest,
    );
  }
  const request = replayed!;
  const sendHttps = () => sendRaw(origin, clients.rawAgent, request);
  const sendAxios = () =>
    sendRawAxios(clients.rawAxios, origin.origin, request);
  bench.progress(`${type}: warming up raw axios`);
  await expectNoFailure(
    runLoad({ sends: warmup, concurrency, send: sendAxios }),
  );
  return { sendHttps, sendAxios, identicalBytes };
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
