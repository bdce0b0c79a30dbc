import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url)).replace(
  /\/$/,
  '',
);
// What a fresh clone does not have, or what only belongs to this working copy.
const LEFT_OUT = new Set(['node_modules', 'dist', 'data', '.git', 'coverage']);

/**
 * Copies the repository into a temporary folder as a fresh clone would look after `npm install`:
 * the sources without build output or data, and `node_modules` linked to this repository's.
 */
export async function copyRepository(): Promise<{
  dir: string;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'nest-sms-copy-'));
  await cp(REPOSITORY, dir, {
    recursive: true,
    filter: (source) =>
      source === REPOSITORY || !LEFT_OUT.has(basename(source)),
  });
  await symlink(
    join(REPOSITORY, 'node_modules'),
    join(dir, 'node_modules'),
    'dir',
  );
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The environment of a child process: the basics of this one, none of its `Settings__` variables, and `env`. */
export function childEnvironment(
  env: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const { PATH, HOME, TMPDIR, LANG } = process.env;
  return { PATH, HOME, TMPDIR, LANG, NO_COLOR: '1', ...env };
}

/** A running command, its output so far, and how it ended. */
export class RunningCommand {
  stdout = '';
  stderr = '';
  /** Resolves when the process has exited, with its code or the signal that ended it. */
  readonly exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>;

  constructor(readonly child: ChildProcess) {
    child.stdout
      ?.setEncoding('utf8')
      .on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr
      ?.setEncoding('utf8')
      .on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolveExit) =>
      child.on('exit', (code, signal) => resolveExit({ code, signal })),
    );
  }

  /**
   * Waits until the standard output matches `pattern`.
   * @throws Error with the output so far when the process exits first
   */
  async waitForOutput(pattern: RegExp): Promise<RegExpMatchArray> {
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      const exited = await Promise.race([
        this.exited.then(() => true),
        new Promise<false>((later) => setTimeout(() => later(false), 100)),
      ]);
      if (exited && !this.stdout.match(pattern)) {
        throw new Error(
          `The process ended before printing ${pattern}:\n${this.stdout}\n${this.stderr}`,
        );
      }
    }
  }

  /** Sends a signal to the process and everything it started. */
  signal(signal: NodeJS.Signals): void {
    if (this.child.pid !== undefined && this.child.exitCode === null) {
      try {
        process.kill(-this.child.pid, signal);
      } catch {
        // The group is already gone.
      }
    }
  }
}

/** Runs a command in its own process group (so that a signal reaches what it starts). */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): RunningCommand {
  return new RunningCommand(
    spawn(command, args, {
      cwd: options.cwd,
      env: childEnvironment(options.env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/**
 * Runs this repository's `src/main.ts` from its TypeScript sources, with the benchmarks' loader
 * (`bench/register.js`), in `cwd` (where its `appsettings.json` and `./data` are): the service as a
 * process, without a build.
 */
export function runServiceFromSources(options: {
  cwd: string;
  env?: Record<string, string>;
}): RunningCommand {
  return runCommand(
    'node',
    [
      '--import',
      join(REPOSITORY, 'bench', 'register.js'),
      join(REPOSITORY, 'src', 'main.ts'),
    ],
    options,
  );
}

/** Builds a copy of the repository as `npm run build` does. */
export async function buildCopy(dir: string): Promise<void> {
  const build = runCommand('npm', ['run', 'build'], { cwd: dir });
  const { code } = await build.exited;
  if (code !== 0)
    throw new Error(`The build failed:\n${build.stdout}\n${build.stderr}`);
}

/** What the start-up banner says. */
export interface StartUpBanner {
  serviceUrl: string;
  apiKey: string;
  /** The sample command's URL, headers and body. */
  curl: { url: string; headers: Record<string, string>; body: string };
}

/** Reads the service URL, the API key and the sample `curl` line from the start-up banner. */
export function parseBanner(stdout: string): StartUpBanner {
  const serviceUrl = /nest-sms is running at (\S+)/.exec(stdout)?.[1];
  const curl = /curl -X POST (\S+) (.*) -d '(.*)'/.exec(stdout);
  if (!serviceUrl || !curl)
    throw new Error(`No start-up banner in:\n${stdout}`);
  const headers = Object.fromEntries(
    [...curl[2].matchAll(/-H "([^:]+): ([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );
  const apiKey = /^Bearer (.+)$/.exec(headers.Authorization ?? '')?.[1] ?? '';
  return { serviceUrl, apiKey, curl: { url: curl[1], headers, body: curl[3] } };
}
