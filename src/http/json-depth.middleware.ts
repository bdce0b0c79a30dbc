import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestBodyError } from './request-body.error.js';

/** The deepest nesting of objects and arrays a JSON request body may have. */
export const MAX_JSON_DEPTH = 32;

/**
 * Refuses with 400 a parsed JSON body nested deeper than {@link MAX_JSON_DEPTH}. The steps after
 * parsing (transformation, validation) walk the value recursively, and thousands of levels would
 * exhaust the stack there; this walk keeps its own stack instead.
 */
export function refuseDeepJson(
  request: IncomingMessage & { body?: unknown },
  _response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  if (!nestedDeeperThan(request.body, MAX_JSON_DEPTH)) {
    next();
    return;
  }
  next(
    requestBodyError(
      400,
      `The JSON body is nested too deeply: at most ${MAX_JSON_DEPTH} levels of objects and arrays.`,
    ),
  );
}

function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [current, depth] = next;
    if (current === null || typeof current !== 'object') continue;
    if (depth === limit) return true;
    for (const child of Object.values(current))
      pending.push([child, depth + 1]);
  }
  return false;
}
