import type { EndpointEnvironmentResolution } from './endpoint-environments.bench.js';
import type { ProviderComparison } from './library-vs-raw.bench.js';
import type { MachineInfo } from './machine.info.js';
import type { MemoryUse } from './memory.bench.js';
import type { BenchProviderType } from './provider/bench-provider.protocol.js';
import type { TeliaConnectionReuse } from './telia-connections.bench.js';

/** Everything one run measured: the shape of `bench/results/latest.json`. */
export interface BenchResults {
  /** When the run started, ISO 8601. */
  date: string;
  /** The command, with any environment variables that changed the defaults. */
  command: string;
  machine: MachineInfo;
  /** How long the whole run took, in seconds. */
  durationSeconds: number;
  providers?: Partial<Record<BenchProviderType, ProviderComparison>>;
  telia?: TeliaConnectionReuse;
  endpoint?: EndpointEnvironmentResolution;
  memory?: MemoryUse;
}

/** The targets of the issue, as text beside each figure. */
export const BENCH_TARGETS = {
  providerRatio: 0.85,
  endpointRatio: 0.9,
  heapGrowthMb: 50,
} as const;
