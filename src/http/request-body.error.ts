/**
 * An error shaped as the body parser's own (`status`, `statusCode`, `expose`), so that the framework
 * answers it with `status` and the message, as it answers a malformed or oversized body.
 */
export function requestBodyError(status: number, message: string): Error {
  return Object.assign(new Error(message), {
    status,
    statusCode: status,
    expose: true,
  });
}
