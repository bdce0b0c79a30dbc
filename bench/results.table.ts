import { BENCH_TARGETS, type BenchResults } from './bench.results.js';

/** The results as the plain-text table the run prints and the README shows. */
export function formatResultsTable(results: BenchResults): string {
  const lines: string[] = [];
  const { machine } = results;
  lines.push(
    `nest-sms benchmarks, ${results.date.slice(0, 10)}: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}`,
    `command: ${results.command} (${results.durationSeconds} s)`,
  );
  if (results.providers) lines.push(...providersSection(results.providers));
  if (results.transports) lines.push(...transportsSection(results.transports));
  if (results.telia) lines.push(...teliaSection(results.telia));
  if (results.endpoint) lines.push(...endpointSection(results.endpoint));
  if (results.memory) lines.push(...memorySection(results.memory));
  return `${lines.join('\n')}\n`;
}

/** Part 1: the library against a raw client, per provider. */
function providersSection(
  providers: NonNullable<BenchResults['providers']>,
): string[] {
  const first = Object.values(providers)[0];
  return [
    '',
    `1. SmsService.send on the default transport (axios) vs a raw keep-alive https.request client (${first?.sends ?? '?'} sends each, concurrency ${first?.concurrency ?? '?'}; the ${BENCH_TARGETS.providerRatio} target was undici's, see 1b)`,
    table(
      [
        'provider',
        'ratio',
        'library/s',
        'raw/s',
        'p50 ms',
        'p99 ms',
        'raw p50',
        'raw p99',
        'CPU µs/send',
        'raw CPU µs',
        'server CPU µs lib / raw',
        'same bytes',
      ],
      Object.entries(providers).map(([type, row]) => [
        type,
        row.ratio.toFixed(2),
        whole(row.sendsPerSecond),
        whole(row.baselinePerSecond),
        row.p50Ms.toFixed(1),
        row.p99Ms.toFixed(1),
        row.baselineP50Ms.toFixed(1),
        row.baselineP99Ms.toFixed(1),
        whole(row.cpuMicrosPerSend),
        whole(row.baselineCpuMicrosPerSend),
        `${whole(row.serverCpuMicrosPerRequest)} / ${whole(row.baselineServerCpuMicrosPerRequest)}`,
        row.identicalBytes ? 'yes' : 'NO',
      ]),
    ),
  ];
}

/** Part 1b: both transports side by side, from the same rounds. */
function transportsSection(
  transports: NonNullable<BenchResults['transports']>,
): string[] {
  const rows: string[][] = [];
  for (const [kind, measured] of Object.entries(transports)) {
    for (const [type, row] of Object.entries(measured.providers ?? {})) {
      const target =
        kind === 'axios' ? BENCH_TARGETS.axiosRatio : BENCH_TARGETS.undiciRatio;
      rows.push([
        kind,
        type,
        `${row.ratio.toFixed(2)} (>= ${target})`,
        row.ratioVsRawAxios.toFixed(2),
        row.ratioVsRawHttpsRequest.toFixed(2),
        whole(row.sendsPerSecond),
        row.p50Ms.toFixed(1),
        row.p99Ms.toFixed(1),
        whole(row.cpuMicrosPerSend),
      ]);
    }
    if (measured.telia) {
      rows.push([
        kind,
        `Telia reuse: ${measured.telia.newTlsConnections} new TLS connections at concurrency ${measured.telia.concurrency}`,
        '',
        '',
        '',
        whole(measured.telia.sendsPerSecond),
        '',
        '',
        '',
      ]);
    }
  }
  if (rows.length === 0) return [];
  return [
    '',
    '1b. The two transports, same rounds: axios against raw axios (same agent settings), undici against raw https.request',
    table(
      [
        'transport',
        'provider',
        'ratio (target)',
        'vs raw axios',
        'vs raw https',
        'sends/s',
        'p50 ms',
        'p99 ms',
        'CPU µs/send',
      ],
      rows,
    ),
  ];
}

/** Part 2: Telia connection reuse. */
function teliaSection(row: NonNullable<BenchResults['telia']>): string[] {
  return [
    '',
    `2. Telia connection reuse (${row.sends} sends, concurrency ${row.concurrency}, target: new connections <= concurrency)`,
    table(
      ['client', 'new TLS connections', 'sends/s'],
      [
        ['library', String(row.newTlsConnections), whole(row.sendsPerSecond)],
        [
          'new agent per send',
          String(row.naiveNewTlsConnections),
          whole(row.naiveSendsPerSecond),
        ],
      ],
    ),
  ];
}

/** Part 3: environment resolution on the test-send endpoint. */
function endpointSection(row: NonNullable<BenchResults['endpoint']>): string[] {
  return [
    '',
    `3. POST /environments/{environment}/sms/test (${row.sends} requests each, concurrency ${row.concurrency}, target ratio >= ${BENCH_TARGETS.endpointRatio})`,
    table(
      ['settings', 'requests/s', 'p50 ms', 'p99 ms', 'CPU µs/request'],
      [
        [
          `${row.environments} environments, random`,
          whole(row.sendsPerSecond),
          row.p50Ms.toFixed(1),
          row.p99Ms.toFixed(1),
          whole(row.cpuMicrosPerSend),
        ],
        [
          'site settings only',
          whole(row.baselinePerSecond),
          row.baselineP50Ms.toFixed(1),
          row.baselineP99Ms.toFixed(1),
          whole(row.baselineCpuMicrosPerSend),
        ],
        ['ratio', row.ratio.toFixed(2), '', '', ''],
      ],
    ),
  ];
}

/** Part 4: memory over many environments. */
function memorySection(row: NonNullable<BenchResults['memory']>): string[] {
  return [
    '',
    `4. Memory: ${row.sends} sends per round over ${row.environments} environments (${row.clientCertificates} Telia certificates), target heap growth < ${BENCH_TARGETS.heapGrowthMb} MB`,
    table(
      ['', 'before', 'after round 1', 'after round 2', 'growth 1', 'growth 2'],
      [
        [
          'heap MB',
          row.heapBeforeMb.toFixed(1),
          row.heapAfterMb.toFixed(1),
          row.heapAfterSecondRoundMb.toFixed(1),
          row.heapGrowthMb.toFixed(1),
          row.secondRoundHeapGrowthMb.toFixed(1),
        ],
        [
          'RSS MB',
          row.rssBeforeMb.toFixed(1),
          row.rssAfterMb.toFixed(1),
          row.rssAfterSecondRoundMb.toFixed(1),
          row.rssGrowthMb.toFixed(1),
          row.secondRoundRssGrowthMb.toFixed(1),
        ],
      ],
    ),
    `caches: settings ${row.settingsCacheSize ?? '?'} / ${row.settingsCacheCapacity}, client-certificate agents ${row.clientAgents} / ${row.clientAgentCapacity}; ${whole(row.sendsPerSecond)} sends/s`,
  ];
}

function whole(value: number): string {
  return String(Math.round(value));
}

/** A Markdown table, readable as plain text too. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
