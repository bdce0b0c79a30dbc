import type { EndpointEnvironmentResolution } from './endpoint-environments.bench.js';
import type {
  ProviderComparison,
  TransportComparison,
} from './library-vs-raw.bench.js';
import type { SmsHttpTransportKind } from '@app/sms/transport/sms-http.transport.js';
import type { MachineInfo } from './machine.info.js';
import type { MemoryUse } from './memory.bench.js';
import type { BenchProviderType } from './provider/bench-provider.protocol.js';
import type {
  TeliaConnectionReuse,
  TeliaTransportReuse,
} from './telia-connections.bench.js';

/** Everything one run measured: the shape of `bench/results/latest.json`. */
export interface BenchResults {
  /** When the run started, ISO 8601. */
  date: string;
  /** The command, with any environment variables that changed the defaults. */
  command: string;
  machine: MachineInfo;
  /** How long the whole run took, in seconds. */
  durationSeconds: number;
  /** The default transport (axios) against a raw keep-alive `https.request` client. */
  providers?: Partial<Record<BenchProviderType, ProviderComparison>>;
  /** The default transport's Telia connections, beside a client that builds an agent per send. */
  telia?: TeliaConnectionReuse;
  /**
   * Each transport from the same run: `providers.<Type>.ratio` of `axios` is against raw axios,
   * of `undici` against raw `https.request`; both ratios are there too.
   */
  transports?: Partial<
    Record<
      SmsHttpTransportKind,
      {
        providers?: Partial<Record<BenchProviderType, TransportComparison>>;
        telia?: TeliaTransportReuse;
      }
    >
  >;
  endpoint?: EndpointEnvironmentResolution;
  memory?: MemoryUse;
}

/** The targets of the issue, as text beside each figure. */
export const BENCH_TARGETS = {
  providerRatio: 0.85,
  /** The axios transport against raw axios. */
  axiosRatio: 0.9,
  /** The undici transport against raw `https.request`. */
  undiciRatio: 0.95,
  endpointRatio: 0.9,
  heapGrowthMb: 50,
} as const;
