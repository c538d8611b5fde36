/** The properties, in the order they run. */
import { differentialProperty } from './differential.ts'
import { roundTripProperty } from './roundtrip.ts'
import { splitProperty } from './split.ts'
import { tcpProperty } from './tcp.ts'
import { totalProperty } from './total.ts'
import type { AnyProperty } from './types.ts'

export const PROPERTIES: readonly AnyProperty[] = [
  totalProperty,
  splitProperty,
  roundTripProperty,
  differentialProperty,
  tcpProperty,
]

export const PROPERTY_NAMES = PROPERTIES.map((p) => p.name)

export function propertyByName(name: string): AnyProperty | undefined {
  return PROPERTIES.find((p) => p.name === name)
}
