/**
 * `npm run bench`: what the library and the service add on top of the network, against HTTPS
 * provider servers on loopback. Prints a table and writes the same figures to
 * `bench/results/latest.json`. Benchmarks print figures; they never fail a run over them.
 *
 * Environment variables change what runs and how much: see `bench.config.ts`.
 */
import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createBenchCertificates } from './provider/bench-certificates.js';
import { readBenchConfig } from './bench.config.js';
import type { BenchContext } from './bench.context.js';
import { startBenchProviderServer } from './provider/bench-provider.launcher.js';
import { BENCH_PROVIDER_TYPES } from './provider/bench-provider.protocol.js';
import type { BenchResults } from './bench.results.js';
import { CountingLogger } from './load/counting.logger.js';
import { measureEndpointEnvironmentResolution } from './endpoint-environments.bench.js';
import { compareLibraryWithRawClient } from './library-vs-raw.bench.js';
import { describeMachine } from './machine.info.js';
import { measureMemoryUse } from './memory.bench.js';
import { formatResultsTable } from './results.table.js';
import { measureTeliaConnectionReuse } from './telia-connections.bench.js';

const started = performance.now();
const progress = (line: string): void => {
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  process.stderr.write(`[bench ${seconds.padStart(4)} s] ${line}\n`);
};

const config = readBenchConfig();
const date = new Date().toISOString();
progress(`parts: ${config.parts.join(', ')}`);
const certificates = await createBenchCertificates();
const server = await startBenchProviderServer(certificates);
const logger = new CountingLogger();
const bench: BenchContext = { config, certificates, server, logger, progress };

const measured: Pick<
  BenchResults,
  'providers' | 'telia' | 'transports' | 'endpoint' | 'memory'
> = {};
const transports = (measured.transports = {
  axios: {} as NonNullable<NonNullable<BenchResults['transports']>['axios']>,
  undici: {} as NonNullable<NonNullable<BenchResults['transports']>['undici']>,
});
try {
  if (config.parts.includes('providers')) {
    measured.providers = {};
    transports.axios.providers = {};
    transports.undici.providers = {};
    for (const type of BENCH_PROVIDER_TYPES) {
      const compared = await compareLibraryWithRawClient(bench, type);
      measured.providers[type] = compared.library;
      transports.axios.providers[type] = compared.axios;
      transports.undici.providers[type] = compared.undici;
    }
  }
  if (config.parts.includes('telia')) {
    const telia = await measureTeliaConnectionReuse(bench);
    measured.telia = telia.telia;
    transports.axios.telia = telia.transports.axios;
    transports.undici.telia = telia.transports.undici;
  }
  if (config.parts.includes('endpoint')) {
    measured.endpoint = await measureEndpointEnvironmentResolution(bench);
  }
  if (config.parts.includes('memory')) {
    measured.memory = await measureMemoryUse(bench);
  }
} finally {
  await server.close();
}

const results: BenchResults = {
  ...measured,
  date,
  command: commandLine(),
  machine: describeMachine(),
  durationSeconds: Math.round((performance.now() - started) / 1000),
};
await mkdir(dirname(config.output), { recursive: true });
await writeFile(config.output, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(formatResultsTable(results));
progress(`figures written to ${config.output}`);
for (const problem of logger.problems) progress(`logged: ${problem}`);

/** `npm run bench`, preceded by the variables that changed the defaults. */
function commandLine(): string {
  const variables = Object.entries(process.env)
    .filter(([name]) => name.startsWith('BENCH_'))
    .map(([name, value]) => `${name}=${value}`);
  return [...variables, 'npm run bench'].join(' ');
}
