import type { TransformFnParams } from 'class-transformer';

// Environment variables are text: numbers and booleans written as text are read as such.

/** class-transformer `@Transform` that reads a number written as text. */
export const toNumber = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' &&
  value.trim() !== '' &&
  Number.isFinite(Number(value))
    ? Number(value)
    : value;

/** class-transformer `@Transform` that reads `true`/`false` written as text. */
export const toBoolean = ({ value }: TransformFnParams): unknown =>
  typeof value === 'string' && /^(true|false)$/i.test(value.trim())
    ? value.trim().toLowerCase() === 'true'
    : value;
