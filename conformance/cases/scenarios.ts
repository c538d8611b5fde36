import type { CaseGroup } from '../types.ts'

export const scenarios: CaseGroup = { title: 'Real clients', cases: [] }
