/** What every load check returns: named assertions (expected vs actual) plus raw observations. */

export interface Assertion {
  readonly name: string
  readonly expected: string
  readonly actual: string
  readonly pass: boolean
}

export type CheckKind = 'backlog' | 'pool-throughput' | 'pool-overflow' | 'keep-alive'

export interface CheckResult {
  readonly id: string
  readonly kind: CheckKind
  readonly target: string
  readonly params: Readonly<Record<string, number | string>>
  readonly assertions: readonly Assertion[]
  readonly observed: Readonly<Record<string, unknown>>
  readonly pass: boolean
  readonly seconds: number
}

export function equal(name: string, expected: number, actual: number): Assertion {
  return { name, expected: String(expected), actual: String(actual), pass: expected === actual }
}

export function within(name: string, expected: number, tolerance: number, actual: number): Assertion {
  const lo = expected * (1 - tolerance)
  const hi = expected * (1 + tolerance)
  return {
    name,
    expected: `${expected.toFixed(1)} ±${Math.round(tolerance * 100)}% [${lo.toFixed(1)}, ${hi.toFixed(1)}]`,
    actual: actual.toFixed(1),
    pass: actual >= lo && actual <= hi,
  }
}

export function result(
  id: string,
  kind: CheckKind,
  target: string,
  params: Record<string, number | string>,
  assertions: Assertion[],
  observed: Record<string, unknown>,
  started: number,
): CheckResult {
  return {
    id,
    kind,
    target,
    params,
    assertions,
    observed,
    pass: assertions.every((a) => a.pass),
    seconds: (Date.now() - started) / 1000,
  }
}
