import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import request from 'supertest';
import {
  startServiceTestApp,
  type ServiceTestApp,
} from '../support/service-test-app.js';

const BIN = resolve('node_modules/.bin');
const SPECTRAL_RULESET = resolve('test/support/spectral.yaml');
// Both linters run offline: no telemetry, no update check.
const LINTER_ENV = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
};

/** Runs a linter and returns what it printed on stdout, whatever its exit code. */
function runLinter(command: string, args: string[], cwd: string) {
  return new Promise<string>((done, fail) => {
    execFile(
      join(BIN, command),
      args,
      { cwd, env: LINTER_ENV, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (stdout.trim() === '')
          fail(
            new Error(`${command} printed nothing: ${stderr}`, {
              cause: error,
            }),
          );
        else done(stdout);
      },
    );
  });
}

describe('the OpenAPI document against the usual linters', () => {
  let service: ServiceTestApp;
  let file: string;
  let document: {
    servers?: { url: string }[];
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };

  beforeAll(async () => {
    service = await startServiceTestApp({
      settings: {
        Settings: { Api: { Keys: ['openapi-lint-key-0123456789'] } },
      },
    });
    const response = await request(service.url).get('/docs/json');
    expect(response.status).toBe(200);
    document = response.body;
    file = join(service.dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document, null, 2));
  });
  afterAll(() => service?.close());

  it('passes Redocly CLI with the recommended rules: no error, no warning', async () => {
    const output = await runLinter(
      'redocly',
      ['lint', file, '--format=json', '--extends=recommended'],
      service.dir,
    );

    const report = JSON.parse(output) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string }[];
    };
    expect(
      report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`),
    ).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('passes Spectral with the spectral:oas ruleset: no problem of any severity', async () => {
    const output = await runLinter(
      'spectral',
      [
        'lint',
        file,
        '--ruleset',
        SPECTRAL_RULESET,
        '--format',
        'json',
        '--quiet',
      ],
      service.dir,
    );

    const problems = JSON.parse(output) as {
      code: string;
      path: string[];
      message: string;
    }[];
    expect(
      problems.map(
        (problem) =>
          `${problem.code} at ${problem.path.join('.')}: ${problem.message}`,
      ),
    ).toEqual([]);
  });

  it('names the service itself as the server, marks only /health and the delivery report route as open, and serves the YAML form without a key', async () => {
    const open = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.security?.length === 0)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );

    expect(document.servers).toEqual([
      { url: '/', description: 'This service' },
    ]);
    expect(open).toEqual([
      'GET /health',
      'POST /delivery-reports/{id}/{token}',
    ]);
    // The 4XX answer documented for /health.
    const health = await request(service.url)
      .get('/health')
      .set('Content-Type', 'text/plain')
      .send('hello');
    expect(health.status).toBeGreaterThanOrEqual(400);
    expect(health.status).toBeLessThan(500);
    expect(health.body).toMatchObject({ statusCode: health.status });
    const yaml = await request(service.url).get('/docs-yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.text).toMatch(/^openapi: 3\./m);
  });
});
