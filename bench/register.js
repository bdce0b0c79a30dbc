/**
 * Lets Node 20 run the TypeScript benchmarks as they are, with the project's compiler settings
 * (ES modules, decorators with metadata) and the `@app/sms` path alias:
 *
 *   node --import ./bench/register.js bench/run.ts
 *
 * The hooks run in a loader thread; each `.ts` file is compiled once, when it is first imported.
 */
import { register } from 'node:module';

register('./typescript.loader-hooks.js', import.meta.url);
