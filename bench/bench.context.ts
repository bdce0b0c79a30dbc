import type { BenchCertificates } from './provider/bench-certificates.js';
import type { BenchConfig } from './bench.config.js';
import type { BenchProviderServer } from './provider/bench-provider.launcher.js';
import type { CountingLogger } from './load/counting.logger.js';

/** What every part of the benchmark shares. */
export interface BenchContext {
  config: BenchConfig;
  certificates: BenchCertificates;
  server: BenchProviderServer;
  /** The log of every Nest application of the run (Nest's logger is process-wide). */
  logger: CountingLogger;
  /** Prints a progress line (to standard error, so that the table stays clean). */
  progress(line: string): void;
}
