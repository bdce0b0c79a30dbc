/** The measurements of one round of sends. */
export interface LoadRound {
  sends: number;
  /** Sends that threw or were refused. */
  failures: number;
  /** What went wrong with the first failed send, to show why. */
  firstFailure?: string;
  durationMs: number;
  /** CPU time of this process (user and system) during the round, in microseconds. */
  cpuMicros: number;
  /** The latency of each send, from its start to its settled promise. */
  latenciesMs: Float64Array;
  /** How much the `counter` of {@link runAlternating} went up during the round. */
  counted?: number;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** How many sends. */
  sends: number;
  /** How many sends are in flight at once. */
  concurrency: number;
  /** Makes send number `index`; a rejection counts as a failure. */
  send: (index: number) => Promise<unknown>;
}

/**
 * Runs `sends` sends with `concurrency` of them in flight at any time (a new one starts as soon as
 * one settles), timing each and the whole round. No garbage collection is forced before a round:
 * measured here, a forced one nearly doubled the CPU time per send of the round that followed.
 */
export async function runLoad(options: LoadOptions): Promise<LoadRound> {
  const { sends, concurrency, send } = options;
  const latenciesMs = new Float64Array(sends);
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const worker = async (): Promise<void> => {
    while (next < sends) {
      const index = next++;
      const started = performance.now();
      try {
        await send(index);
      } catch (error) {
        failures += 1;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
      latenciesMs[index] = performance.now() - started;
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, sends) }, worker),
  );
  const durationMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    sends,
    failures,
    firstFailure,
    durationMs,
    cpuMicros: cpu.user + cpu.system,
    latenciesMs,
  };
}

/** Options of {@link runAlternating}. */
export interface AlternatingOptions<Name extends string> {
  /** The contenders, by name; each makes the same number of sends. */
  contenders: Record<Name, (index: number) => Promise<unknown>>;
  /** Sends per contender, split evenly over the rounds. */
  sends: number;
  /** Rounds per contender. */
  rounds: number;
  concurrency: number;
  /** Read before and after each round, e.g. the provider server's CPU time. */
  counter?: () => Promise<number>;
}

/**
 * Runs the contenders in turns, round by round, in the order A B, B A, A B... so that a drift in
 * the machine's speed (another process, CPU frequency, a warmer JIT) falls on both alike and
 * cancels out in their ratio.
 */
export async function runAlternating<Name extends string>(
  options: AlternatingOptions<Name>,
): Promise<Record<Name, LoadRound[]>> {
  const names = Object.keys(options.contenders) as Name[];
  const results = Object.fromEntries(
    names.map((name) => [name, [] as LoadRound[]]),
  ) as Record<Name, LoadRound[]>;
  const perRound = Math.ceil(options.sends / options.rounds);
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const sends = Math.min(perRound, options.sends - round * perRound);
    for (const name of order) {
      const before = await options.counter?.();
      const result = await runLoad({
        sends,
        concurrency: options.concurrency,
        send: options.contenders[name],
      });
      const after = await options.counter?.();
      if (before !== undefined && after !== undefined) {
        result.counted = after - before;
      }
      results[name].push(result);
    }
  }
  return results;
}
