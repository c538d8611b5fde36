/**
 * The invariant of the concurrency test, as a checker that lists every way an outcome breaks it:
 * N concurrent buys of 1 share against S available must give exactly min(N, S) successes with
 * transaction numbers first..first+S-1 (each once), 400 for every other buy, and S - successes
 * shares left.
 */

export interface BuyOutcome {
  readonly status: number
  readonly json: unknown
}

export interface ConcurrencyExpectation {
  readonly available: number
  /** The transaction number the first success should get (1 on a fresh order service). */
  readonly firstTransaction: number
}

export interface ConcurrencySummary {
  readonly succeeded: number
  readonly rejected: number
  readonly other: number
  readonly finalQuantity: number
  readonly transactions: { readonly min: number; readonly max: number; readonly distinct: number } | null
  readonly violations: readonly string[]
}

function transactionNumber(json: unknown): number | undefined {
  if (typeof json !== 'object' || json === null || !('data' in json)) return undefined
  const { data } = json
  if (typeof data !== 'object' || data === null || !('transaction_number' in data)) return undefined
  return typeof data.transaction_number === 'number' ? data.transaction_number : undefined
}

export function checkConcurrentBuys(
  outcomes: readonly BuyOutcome[],
  finalQuantity: number,
  expected: ConcurrencyExpectation,
): ConcurrencySummary {
  const violations: string[] = []
  const wantSucceeded = Math.min(outcomes.length, expected.available)
  const numbers: number[] = []
  let rejected = 0
  let other = 0
  for (const outcome of outcomes) {
    if (outcome.status === 200) {
      const n = transactionNumber(outcome.json)
      if (n === undefined)
        violations.push(`a 200 without a transaction number: ${JSON.stringify(outcome.json)}`)
      else numbers.push(n)
    } else if (outcome.status === 400) {
      rejected++
    } else {
      other++
    }
  }
  const succeeded = outcomes.filter((o) => o.status === 200).length
  if (succeeded !== wantSucceeded) violations.push(`${succeeded} buys succeeded, expected ${wantSucceeded}`)
  if (rejected !== outcomes.length - wantSucceeded) {
    violations.push(`${rejected} buys got 400, expected ${outcomes.length - wantSucceeded}`)
  }
  if (other > 0) violations.push(`${other} buys got a status other than 200 or 400`)
  const wantFinal = expected.available - wantSucceeded
  if (finalQuantity !== wantFinal) violations.push(`final quantity ${finalQuantity}, expected ${wantFinal}`)

  const distinct = new Set(numbers)
  if (distinct.size !== numbers.length)
    violations.push(`${numbers.length - distinct.size} duplicate transaction numbers`)
  const last = expected.firstTransaction + wantSucceeded - 1
  for (let n = expected.firstTransaction; n <= last; n++) {
    if (!distinct.has(n)) {
      violations.push(`transaction number ${n} is missing (expected ${expected.firstTransaction}..${last})`)
      break
    }
  }
  const outside = numbers.filter((n) => n < expected.firstTransaction || n > last)
  if (outside.length > 0)
    violations.push(`${outside.length} transaction numbers outside ${expected.firstTransaction}..${last}`)

  return {
    succeeded,
    rejected,
    other,
    finalQuantity,
    transactions:
      numbers.length === 0
        ? null
        : { min: Math.min(...numbers), max: Math.max(...numbers), distinct: distinct.size },
    violations,
  }
}
