/**
 * The envelope every stocks service speaks: `{"data": ...}` on success and
 * `{"error": {"code", "message"}}` on failure, so clients parse one shape whatever went wrong.
 */
import { Response } from '../../src/index.ts'

export type ErrorBody = {
  readonly error: { readonly code: number; readonly message: string }
}

/** What can go in `data`: JSON values, as plain objects, arrays and primitives. */
export type Json =
  | string
  | number
  | boolean
  | null
  | readonly Json[]
  | { readonly [key: string]: Json | undefined }

export function dataResponse(data: Json, status = 200): Response {
  return new Response(status, { data })
}

export function errorBody(status: number, message: string): ErrorBody {
  return { error: { code: status, message } }
}

export function errorResponse(status: number, message: string, headers?: Record<string, string>): Response {
  return new Response(status, errorBody(status, message), headers)
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const { error } = value
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'number' &&
    'message' in error &&
    typeof error.message === 'string'
  )
}
