import type { LoadRound } from './load.runner.js';

/** What a series of rounds adds up to. */
export interface LoadSummary {
  sends: number;
  failures: number;
  /** What went wrong with the first failed send, if any did. */
  firstFailure?: string;
  sendsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of the sending process per send, in microseconds. */
  cpuMicrosPerSend: number;
  /** What the rounds' counter counted per send, when they had one. */
  countedPerSend?: number;
}

/** Adds rounds up: throughput over their summed durations, percentiles over every latency. */
export function summarizeRounds(rounds: LoadRound[]): LoadSummary {
  const sends = rounds.reduce((sum, round) => sum + round.sends, 0);
  const durationMs = rounds.reduce((sum, round) => sum + round.durationMs, 0);
  const cpuMicros = rounds.reduce((sum, round) => sum + round.cpuMicros, 0);
  const latencies = new Float64Array(sends);
  let offset = 0;
  for (const round of rounds) {
    latencies.set(round.latenciesMs, offset);
    offset += round.sends;
  }
  latencies.sort();
  return {
    sends,
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
    firstFailure: rounds.find((round) => round.firstFailure)?.firstFailure,
    sendsPerSecond: round1((sends / durationMs) * 1000),
    p50Ms: round2(percentile(latencies, 0.5)),
    p99Ms: round2(percentile(latencies, 0.99)),
    cpuMicrosPerSend: round1(cpuMicros / sends),
    ...(rounds.every((round) => round.counted !== undefined) && {
      countedPerSend: round1(
        rounds.reduce((sum, round) => sum + (round.counted ?? 0), 0) / sends,
      ),
    }),
  };
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** A ratio to two decimals, the precision the targets are stated in. */
export function ratioOf(value: number, baseline: number): number {
  return round2(value / baseline);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Says, in the run's progress, how many sends of each contender failed and the first reason. */
export function reportFailures(
  bench: { progress(line: string): void },
  label: string,
  ...summaries: LoadSummary[]
): void {
  for (const summary of summaries) {
    if (summary.firstFailure) {
      bench.progress(
        `${label}: ${summary.failures} sends failed; the first: ${summary.firstFailure}`,
      );
    }
  }
}
