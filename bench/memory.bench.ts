import { randomInt } from 'node:crypto';
import {
  DEFAULT_SMS_CLIENT_AGENT_CACHE_SIZE,
  parseEnvironmentSmsSettings,
  SmsService,
} from '@app/sms';
import { SmsHttpTransport } from '@app/sms/transport/sms-http.transport.js';
import { DEFAULT_ENVIRONMENT_SETTINGS_CACHE_SIZE } from '../src/environments/store/environment-settings.cache.js';
import { EnvironmentSettingsStore } from '../src/environments/store/environment-settings.store.js';
import type { BenchContext } from './bench.context.js';
import { issueClientCertificates } from './provider/bench-certificates.js';
import {
  BENCH_PROVIDER_TYPES,
  type BenchProviderType,
} from './provider/bench-provider.protocol.js';
import {
  benchSettings,
  toSiteSettings,
} from './provider/bench-provider.settings.js';
import { randomLoginMessage, randomPhone } from './provider/bench-messages.js';
import { collectGarbage } from './garbage.collector.js';
import { runLoad } from './load/load.runner.js';
import { reportFailures, summarizeRounds } from './load/load.summary.js';
import { startBenchServiceApp } from './load/service-app.launcher.js';

const MB = 1024 * 1024;

/** Heap and RSS over two rounds of sends to many environments, and the caches' sizes. */
export interface MemoryUse {
  /** Sends per round. */
  sends: number;
  environments: number;
  /** Distinct Telia client certificates among the environments. */
  clientCertificates: number;
  /** Heap in use after the first round minus before it, after full collections. */
  heapGrowthMb: number;
  /** Heap in use after the second round minus after the first. */
  secondRoundHeapGrowthMb: number;
  rssGrowthMb: number;
  secondRoundRssGrowthMb: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  heapAfterSecondRoundMb: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssAfterSecondRoundMb: number;
  /** Decrypted environment settings held by the store, and its bound. */
  settingsCacheSize: number | null;
  settingsCacheCapacity: number;
  /** Client-certificate agents held by the transport, and its bound. */
  clientAgents: number;
  clientAgentCapacity: number;
  /** Sends per second over both rounds (for information). */
  sendsPerSecond: number;
  /** Sends that failed; 0 unless something is wrong. */
  failures: number;
}

/**
 * Starts the service with environments of all four types in its store (the Telia ones spread over
 * more client certificates than the agent cache holds), then sends two rounds of messages, each to
 * a random environment, through the service's `SmsService`, measuring heap and RSS after full
 * garbage collections before, between and after the rounds.
 */
export async function measureMemoryUse(
  bench: BenchContext,
): Promise<MemoryUse> {
  const { certificates, server } = bench;
  const { sends, environments, clientCertificates, concurrency } =
    bench.config.memory;
  const service = await startBenchServiceApp({
    site: toSiteSettings(
      benchSettings('GatewayApi', server, certificates.client),
    ),
    caPem: certificates.serverCa.certificatePem,
    logger: bench.logger,
  });
  try {
    const store = service.app.get(EnvironmentSettingsStore, { strict: false });
    const sms = service.app.get(SmsService, { strict: false });
    const transport = service.app.get(SmsHttpTransport, { strict: false });
    await storeEnvironments(bench, store);
    const round = () =>
      runLoad({
        sends,
        concurrency,
        send: () =>
          sms.send({
            environment: environmentName(randomInt(environments)),
            phone: randomPhone(),
            message: randomLoginMessage(),
          }),
      });
    const before = memory();
    bench.progress(`Memory: ${sends} sends, first round`);
    const first = await round();
    const afterFirst = memory();
    bench.progress(`Memory: ${sends} sends, second round`);
    const second = await round();
    const afterSecond = memory();
    const summary = summarizeRounds([first, second]);
    reportFailures(bench, 'Memory', summary);
    return {
      sends,
      environments,
      clientCertificates,
      ...memoryFiguresOf(before, afterFirst, afterSecond),
      settingsCacheSize: settingsCacheSizeOf(store),
      settingsCacheCapacity: DEFAULT_ENVIRONMENT_SETTINGS_CACHE_SIZE,
      clientAgents: transport.clientAgentCount,
      clientAgentCapacity: DEFAULT_SMS_CLIENT_AGENT_CACHE_SIZE,
      sendsPerSecond: summary.sendsPerSecond,
      failures: summary.failures,
    };
  } finally {
    await service.close();
  }
}

/**
 * Stores environments of all four types, the Telia ones spread over more client certificates than
 * the agent cache holds.
 */
async function storeEnvironments(
  bench: BenchContext,
  store: EnvironmentSettingsStore,
): Promise<void> {
  const { certificates, server } = bench;
  const { environments, clientCertificates } = bench.config.memory;
  bench.progress(`Memory: issuing ${clientCertificates} client certificates`);
  const teliaCertificates = await issueClientCertificates(
    certificates.clientCa,
    clientCertificates,
  );
  bench.progress(`Memory: storing ${environments} environments`);
  for (let index = 0; index < environments; index++) {
    const certificate =
      teliaCertificates[
        Math.floor(index / BENCH_PROVIDER_TYPES.length) % clientCertificates
      ];
    const { settings } = parseEnvironmentSmsSettings(
      benchSettings(typeOf(index), server, certificate, index + 1),
    );
    await store.put(environmentName(index), settings);
  }
}

/** Heap and RSS before and after each round, and how much each round added. */
function memoryFiguresOf(
  before: NodeJS.MemoryUsage,
  afterFirst: NodeJS.MemoryUsage,
  afterSecond: NodeJS.MemoryUsage,
) {
  return {
    heapGrowthMb: megabytes(afterFirst.heapUsed - before.heapUsed),
    secondRoundHeapGrowthMb: megabytes(
      afterSecond.heapUsed - afterFirst.heapUsed,
    ),
    rssGrowthMb: megabytes(afterFirst.rss - before.rss),
    secondRoundRssGrowthMb: megabytes(afterSecond.rss - afterFirst.rss),
    heapBeforeMb: megabytes(before.heapUsed),
    heapAfterMb: megabytes(afterFirst.heapUsed),
    heapAfterSecondRoundMb: megabytes(afterSecond.heapUsed),
    rssBeforeMb: megabytes(before.rss),
    rssAfterMb: megabytes(afterFirst.rss),
    rssAfterSecondRoundMb: megabytes(afterSecond.rss),
  };
}

/** The environments cycle through the four types, so that each has a quarter of them. */
function typeOf(index: number): BenchProviderType {
  return BENCH_PROVIDER_TYPES[index % BENCH_PROVIDER_TYPES.length];
}

function environmentName(index: number): string {
  return `tenant-${String(index).padStart(5, '0')}`;
}

function memory(): NodeJS.MemoryUsage {
  collectGarbage();
  return process.memoryUsage();
}

function megabytes(bytes: number): number {
  return Math.round((bytes / MB) * 10) / 10;
}

/**
 * The size of the store's settings cache. The stores do not publish it, so it is read from their
 * `cache` field; null when a store keeps it elsewhere.
 */
function settingsCacheSizeOf(store: EnvironmentSettingsStore): number | null {
  const { cache } = store as unknown as { cache?: { size?: unknown } };
  return typeof cache?.size === 'number' ? cache.size : null;
}
