import { Agent } from 'node:https';
import type { BenchContext } from './bench.context.js';
import { BENCH_PROVIDER_ROUTES } from './provider/bench-provider.protocol.js';
import {
  benchSettings,
  toSiteSettings,
} from './provider/bench-provider.settings.js';
import { randomLoginMessage, randomPhone } from './provider/bench-messages.js';
import { runLoad } from './load/load.runner.js';
import { summarizeRounds, type LoadSummary } from './load/load.summary.js';
import { sendRaw, toReplayedRequest } from './load/raw-https.client.js';
import { startSmsLibrary } from './load/sms-library.context.js';
import type { SmsHttpTransportKind } from '@app/sms/transport/sms-http.transport.js';

/** New TLS connections of Telia sends: the library against an agent built per send. */
export interface TeliaConnectionReuse {
  sends: number;
  concurrency: number;
  /** Handshakes the server completed during the library's sends. */
  newTlsConnections: number;
  /** Handshakes the server completed during the naive client's sends. */
  naiveNewTlsConnections: number;
  /** Library sends per second. */
  sendsPerSecond: number;
  /** Naive client sends per second. */
  naiveSendsPerSecond: number;
  /** Client-certificate agents the library held at the end. */
  clientAgents: number;
  /** Sends that failed, both clients together; 0 unless something is wrong. */
  failures: number;
}

/** The library's Telia sends on one transport. */
export interface TeliaTransportReuse {
  sends: number;
  concurrency: number;
  /** Handshakes the server completed during the library's sends. */
  newTlsConnections: number;
  sendsPerSecond: number;
  /** Client-certificate agents the library held at the end. */
  clientAgents: number;
  failures: number;
}

/**
 * Sends Telia messages through a freshly started library on each transport, and the same requests
 * through a client that builds a new `https.Agent` with the certificate and key for every send
 * (what the reference implementation does), counting the TLS handshakes the mutual-TLS server
 * completes for each. `telia` is the default transport's (axios) figures beside the naive client's.
 */
export async function measureTeliaConnectionReuse(
  bench: BenchContext,
): Promise<{
  telia: TeliaConnectionReuse;
  transports: Record<SmsHttpTransportKind, TeliaTransportReuse>;
}> {
  const { server } = bench;
  const { sends, concurrency } = bench.config.telia;
  const transports = {} as Record<SmsHttpTransportKind, TeliaTransportReuse>;
  for (const kind of ['undici', 'axios'] as const) {
    const before = await server.stats();
    bench.progress(`Telia: ${sends} sends through the library on ${kind}`);
    const library = await sendThroughLibrary(bench, kind);
    const after = await server.stats();
    transports[kind] = {
      sends,
      concurrency,
      newTlsConnections:
        after.tlsConnections.mutual - before.tlsConnections.mutual,
      sendsPerSecond: library.measured.sendsPerSecond,
      clientAgents: library.clientAgents,
      failures: library.measured.failures,
    };
  }
  const beforeNaive = await server.stats();
  bench.progress(`Telia: ${sends} sends with a new agent each`);
  const naive = await sendWithNewAgents(bench);
  const afterNaive = await server.stats();
  const library = transports.axios;
  return {
    telia: {
      sends,
      concurrency,
      newTlsConnections: library.newTlsConnections,
      naiveNewTlsConnections:
        afterNaive.tlsConnections.mutual - beforeNaive.tlsConnections.mutual,
      sendsPerSecond: library.sendsPerSecond,
      naiveSendsPerSecond: naive.sendsPerSecond,
      clientAgents: library.clientAgents,
      failures: library.failures + naive.failures,
    },
    transports,
  };
}

/** Telia sends through a freshly started library; how many client agents it ended with. */
async function sendThroughLibrary(
  bench: BenchContext,
  transport: SmsHttpTransportKind,
): Promise<{ measured: LoadSummary; clientAgents: number }> {
  const { certificates, server } = bench;
  const { sends, concurrency } = bench.config.telia;
  const library = await startSmsLibrary(
    {
      settings: toSiteSettings(
        benchSettings('TeliaSmsGateway', server, certificates.client),
      ),
      extraCaCertificates: certificates.serverCa.certificatePem,
      transport,
    },
    bench.logger,
  );
  try {
    const measured = summarizeRounds([
      await runLoad({
        sends,
        concurrency,
        send: () =>
          library.sms.send({
            phone: randomPhone(),
            message: randomLoginMessage(),
          }),
      }),
    ]);
    return { measured, clientAgents: library.transport.clientAgentCount };
  } finally {
    await library.close();
  }
}

/** The library's last request again, each time through a new agent with the certificate and key. */
async function sendWithNewAgents(bench: BenchContext): Promise<LoadSummary> {
  const { certificates, server } = bench;
  const { sends, concurrency } = bench.config.telia;
  const replayed = toReplayedRequest(
    await server.lastRequest(BENCH_PROVIDER_ROUTES.TeliaSmsGateway),
  );
  const origin = new URL(server.mutualUrl);
  return summarizeRounds([
    await runLoad({
      sends,
      concurrency,
      send: async () => {
        const agent = new Agent({
          ca: certificates.serverCa.certificatePem,
          cert: certificates.client.certificatePem,
          key: certificates.client.privateKeyPem,
        });
        try {
          await sendRaw(origin, agent, replayed);
        } finally {
          agent.destroy();
        }
      },
    }),
  ]);
}
