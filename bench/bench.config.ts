/** The parts of the benchmark, in the order they run. */
export const BENCH_PARTS = [
  'providers',
  'telia',
  'endpoint',
  'memory',
] as const;

/** One part of the benchmark. */
export type BenchPart = (typeof BENCH_PARTS)[number];

/** What to run and how much; every figure can be set by an environment variable. */
export interface BenchConfig {
  /** `BENCH_PARTS`, comma-separated. @default every part */
  parts: BenchPart[];
  /** Library against the raw client, per provider. */
  providers: {
    /** `BENCH_SENDS`: sends per provider and per client. @default 20000 */
    sends: number;
    /** `BENCH_CONCURRENCY`. @default 64 */
    concurrency: number;
    /** `BENCH_ROUNDS`: turns per client, alternating. @default 10 */
    rounds: number;
    /** `BENCH_WARMUP`: sends per client before measuring. @default 2000 */
    warmup: number;
  };
  /** New TLS connections of Telia sends. */
  telia: {
    /** `BENCH_TELIA_SENDS`. @default 10000 */
    sends: number;
    /** `BENCH_TELIA_CONCURRENCY`. @default 16 */
    concurrency: number;
  };
  /** The test-send endpoint with environments against site settings only. */
  endpoint: {
    /** `BENCH_ENDPOINT_SENDS`: requests per variant. @default 10000 */
    sends: number;
    /** `BENCH_ENDPOINT_CONCURRENCY`. @default 32 */
    concurrency: number;
    /** `BENCH_ENDPOINT_ENVIRONMENTS`: environments stored. @default 1000 */
    environments: number;
    /** `BENCH_ROUNDS`. @default 10 */
    rounds: number;
    /** `BENCH_WARMUP`: requests per variant before measuring. @default 2000 */
    warmup: number;
  };
  /** Heap and RSS over many sends to many environments. */
  memory: {
    /** `BENCH_MEMORY_SENDS`: sends per round (there are two rounds). @default 100000 */
    sends: number;
    /** `BENCH_MEMORY_ENVIRONMENTS`. @default 10000 */
    environments: number;
    /** `BENCH_MEMORY_CERTIFICATES`: distinct Telia client certificates among them. @default 150 */
    clientCertificates: number;
    /** `BENCH_CONCURRENCY`. @default 64 */
    concurrency: number;
  };
  /**
   * `BENCH_OUTPUT`: where the figures are written.
   * @default bench/results/latest.json for a full run, bench/results/partial.json otherwise
   */
  output: string;
}

/**
 * Reads the configuration from environment variables.
 *
 * @throws Error naming every variable that is not a positive whole number or a known part
 */
export function readBenchConfig(
  env: NodeJS.ProcessEnv = process.env,
): BenchConfig {
  const problems: string[] = [];
  const count = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text.trim() === '') return fallback;
    const value = Number(text);
    if (Number.isInteger(value) && value > 0) return value;
    problems.push(`${name}: must be a whole number above 0 (it is "${text}").`);
    return fallback;
  };
  const parts = readParts(env.BENCH_PARTS, problems);
  const concurrency = count('BENCH_CONCURRENCY', 64);
  const rounds = count('BENCH_ROUNDS', 10);
  const warmup = count('BENCH_WARMUP', 2000);
  const config: BenchConfig = {
    parts,
    providers: {
      sends: count('BENCH_SENDS', 20_000),
      concurrency,
      rounds,
      warmup,
    },
    telia: {
      sends: count('BENCH_TELIA_SENDS', 10_000),
      concurrency: count('BENCH_TELIA_CONCURRENCY', 16),
    },
    endpoint: {
      sends: count('BENCH_ENDPOINT_SENDS', 10_000),
      concurrency: count('BENCH_ENDPOINT_CONCURRENCY', 32),
      environments: count('BENCH_ENDPOINT_ENVIRONMENTS', 1000),
      rounds,
      warmup,
    },
    memory: {
      sends: count('BENCH_MEMORY_SENDS', 100_000),
      environments: count('BENCH_MEMORY_ENVIRONMENTS', 10_000),
      clientCertificates: count('BENCH_MEMORY_CERTIFICATES', 150),
      concurrency,
    },
    output:
      env.BENCH_OUTPUT ??
      (parts.length === BENCH_PARTS.length
        ? 'bench/results/latest.json'
        : 'bench/results/partial.json'),
  };
  if (problems.length > 0) {
    throw new Error(`The benchmark cannot run:\n  ${problems.join('\n  ')}`);
  }
  return config;
}

function readParts(text: string | undefined, problems: string[]): BenchPart[] {
  if (text === undefined || text.trim() === '') return [...BENCH_PARTS];
  const named = text.split(',').map((part) => part.trim());
  const unknown = named.filter(
    (part) => !(BENCH_PARTS as readonly string[]).includes(part),
  );
  if (unknown.length > 0) {
    problems.push(
      `BENCH_PARTS: ${unknown.join(', ')} is not a part; the parts are ${BENCH_PARTS.join(', ')}.`,
    );
  }
  return BENCH_PARTS.filter((part) => named.includes(part));
}
