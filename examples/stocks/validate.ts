/**
 * Validation of a trade order, shared by every service that accepts one. Each failure names the
 * field at fault so a client can fix its request without reading the source.
 */

export type TradeType = 'buy' | 'sell'

export interface TradeOrder {
  readonly name: string
  readonly quantity: number
  readonly type: TradeType
}

export type Validated<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly field: string; readonly message: string }

function isTradeType(value: unknown): value is TradeType {
  return value === 'buy' || value === 'sell'
}
/** Stock symbols are short; a long one is a mistake or an attack on the logs. */
const MAX_NAME_LENGTH = 32

function fail(field: string, message: string): Validated<never> {
  return { ok: false, field, message }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Decodes a request body as JSON; the original example crashed on bodies that were not JSON. */
export function parseJson(bytes: Uint8Array): Validated<unknown> {
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
  try {
    return { ok: true, value: JSON.parse(text.decode(bytes)) }
  } catch {
    return fail('body', 'body must be valid JSON')
  }
}

export function validateStockName(value: unknown, field = 'name'): Validated<string> {
  if (value === undefined) return fail(field, `${field} is required`)
  if (typeof value !== 'string' || value.length === 0)
    return fail(field, `${field} must be a non-empty string`)
  if (value.length > MAX_NAME_LENGTH)
    return fail(field, `${field} must be at most ${MAX_NAME_LENGTH} characters`)
  return { ok: true, value }
}

export function validateOrder(value: unknown): Validated<TradeOrder> {
  if (!isRecord(value)) return fail('body', 'body must be a JSON object')

  const name = validateStockName(value.name)
  if (!name.ok) return name

  const { quantity, type } = value
  if (quantity === undefined) return fail('quantity', 'quantity is required')
  // Strings such as "5" and fractions such as 1.5 are refused rather than coerced:
  // a trading API should not guess what a client meant.
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity)) {
    return fail('quantity', 'quantity must be an integer')
  }
  if (quantity <= 0) return fail('quantity', 'quantity must be a positive integer')

  if (type === undefined) return fail('type', 'type is required')
  if (!isTradeType(type)) return fail('type', 'type must be "buy" or "sell"')

  return { ok: true, value: { name: name.value, quantity, type } }
}

/** Body bytes → a valid order, or the first problem found. */
export function parseOrder(bytes: Uint8Array): Validated<TradeOrder> {
  const json = parseJson(bytes)
  return json.ok ? validateOrder(json.value) : json
}
