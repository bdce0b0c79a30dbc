import { execFile } from 'node:child_process';
import {
  cp,
  mkdtemp,
  readFile,
  realpath,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunningSandbox } from '../../sandbox/server/sandbox.server.js';
import { startTestSandbox } from '../../sandbox/testing/test-sandbox.js';
import { childEnvironment } from '../support/service-process.js';

const run = promisify(execFile);
const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const CONSUMER_APP = fileURLToPath(new URL('consumer-app', import.meta.url));
const PACKAGE = '@nest-sms/sms';
// The app's NestJS packages, at the versions this repository installed: npm finds them in its cache.
const APP_DEPENDENCIES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/testing',
  'reflect-metadata',
  'rxjs',
];
// The time of a test that starts Node or the TypeScript compiler in the app, on a busy machine.
const PROCESS_TIMEOUT = 120_000;
// npm settings that say where and how to fetch; the rest (the workspace, the local prefix `npm test`
// runs in) stay behind, so the app's install cannot reach into this repository.
const NPM_SETTINGS =
  /^(npm_config_(cache|registry|userconfig|globalconfig|cafile|strict_ssl|proxy|https_proxy|noproxy)|https?_proxy|no_proxy)$/i;

/** Runs a command; on failure the error carries its output. */
async function runIn(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        NPM_SETTINGS.test(entry[0]) && entry[1] !== undefined,
    ),
  );
  try {
    const { stdout } = await run(command, args, {
      cwd,
      env: childEnvironment({ ...inherited, ...env }),
      maxBuffer: 32 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`,
      { cause: error },
    );
  }
}

/** Builds the library and packs it into `destination`, as its README says. */
async function buildAndPack(
  destination: string,
): Promise<{ tarball: string; files: string[] }> {
  await runIn(REPOSITORY, 'npm', ['run', 'build', '-w', 'libs/sms']);
  const stdout = await runIn(REPOSITORY, 'npm', [
    'pack',
    '-w',
    'libs/sms',
    '--json',
    '--pack-destination',
    destination,
  ]);
  const [packed] = JSON.parse(stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  return {
    tarball: join(destination, packed.filename),
    files: packed.files.map((file) => file.path),
  };
}

async function installedVersion(name: string): Promise<string> {
  const manifest = join(REPOSITORY, 'node_modules', name, 'package.json');
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string })
    .version;
}

/** Copies the consumer app into `dir` and installs its NestJS packages and the tarball. */
async function installConsumerApp(dir: string, tarball: string): Promise<void> {
  await cp(CONSUMER_APP, dir, { recursive: true });
  const dependencies: Record<string, string> = {
    [PACKAGE]: `file:${tarball}`,
  };
  for (const name of APP_DEPENDENCIES) {
    dependencies[name] = await installedVersion(name);
  }
  const manifest = {
    name: 'packed-sms-consumer',
    private: true,
    type: 'module',
    dependencies,
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  await runIn(dir, 'npm', [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
  ]);
}

/** A tsconfig that checks the app's JavaScript (`// @ts-check`) against the installed declarations. */
function typeCheckConfig(): string {
  return JSON.stringify({
    compilerOptions: {
      module: 'nodenext',
      target: 'ES2023',
      strict: true,
      allowJs: true,
      checkJs: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [join(REPOSITORY, 'node_modules', '@types')],
    },
    include: ['src', 'test'],
  });
}

/**
 * The library as a team outside this repository gets it: built, packed, installed from the tarball
 * into a fresh NestJS app in the system's temporary folder, and used from plain JavaScript ESM.
 */
describe('the packed library in an app outside the repository', () => {
  let workDir: string;
  let appDir: string;
  let packedFiles: string[];
  let sandbox: RunningSandbox;
  let disposeSandbox: () => Promise<void>;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'nest-sms-packed-'));
    appDir = join(workDir, 'app');
    const packed = await buildAndPack(workDir);
    packedFiles = packed.files;
    await installConsumerApp(appDir, packed.tarball);
    ({ sandbox, dispose: disposeSandbox } = await startTestSandbox());
  }, 240_000);

  afterAll(async () => {
    await disposeSandbox?.();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('packs the built entry points and their declarations, no sources or tests', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/testing/index.js',
        'dist/testing/index.d.ts',
      ]),
    );
    const others = packedFiles.filter(
      (path) => !['package.json', 'README.md'].includes(path),
    );
    expect(others.every((path) => /^dist\/.+\.(js|d\.ts)$/.test(path))).toBe(
      true,
    );
    expect(others.some((path) => path.includes('.spec.'))).toBe(false);
  });

  it('is installed as a copy in the app, not linked to this repository', async () => {
    const installed = await realpath(join(appDir, 'node_modules', PACKAGE));
    expect(installed.startsWith(await realpath(appDir))).toBe(true);
  });

  it(
    'sends through the sandbox from a plain ESM app registering SmsModule.forRoot',
    async () => {
      const stdout = await runIn(
        appDir,
        process.execPath,
        ['src/send-code.js', '+45 12 34 56 78', '735519'],
        {
          SMS_API_URL: sandbox.endpoints.gatewayApi,
          SMS_TOKEN: sandbox.credentials.gatewayApiToken,
          SMS_CA_FILE: sandbox.caCertificateFile,
        },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
        provider: string;
        messageId: string;
      };
      expect(result.provider).toBe('GatewayApi');
      const message = sandbox.messages().find((m) => m.id === result.messageId);
      expect(message).toMatchObject({
        provider: 'GatewayApi',
        to: '+4512345678',
        from: 'PackedApp',
        text: 'Your login code is 735519',
      });
    },
    PROCESS_TIMEOUT,
  );

  it(
    "passes the app's own test, which imports SmsTestingModule.forRoot() from the testing entry",
    async () => {
      const stdout = await runIn(appDir, process.execPath, ['--test']);
      expect(stdout).toMatch(/# pass 1\b/);
      expect(stdout).toMatch(/# fail 0\b/);
    },
    PROCESS_TIMEOUT,
  );

  it(
    "type-checks the app's JavaScript against the packed declarations",
    async () => {
      await writeFile(join(appDir, 'tsconfig.json'), typeCheckConfig());
      const tsc = join(REPOSITORY, 'node_modules', 'typescript', 'bin', 'tsc');
      await runIn(appDir, process.execPath, [tsc, '-p', 'tsconfig.json']);
    },
    PROCESS_TIMEOUT,
  );
});
