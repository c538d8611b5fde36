/** Every reliability check, in the order the runner takes them, with its full and small sizes. */
import { ABORTS_FULL, ABORTS_SMALL, runAborts } from './aborts.ts'
import type { CheckResult } from './check.ts'
import { CAP_FULL, CAP_SMALL, runConnectionCap } from './connection-cap.ts'
import { FAULTS_FULL, FAULTS_SMALL, runHandlerFaults } from './handler-faults.ts'
import { LARGE_FULL, LARGE_SMALL, runLargeBodies } from './large-bodies.ts'
import { PIPELINING_FULL, PIPELINING_SMALL, runPipelining } from './pipelining.ts'
import { runShutdown, SHUTDOWN_FULL, SHUTDOWN_SMALL } from './shutdown.ts'
import { runSlowloris, SLOWLORIS_FULL, SLOWLORIS_SMALL } from './slowloris.ts'
import { runSoak, SOAK_FULL, SOAK_SMALL } from './soak.ts'

export type Size = 'full' | 'small'

export interface CheckEntry {
  readonly name: string
  /** File descriptors the check needs at once in each process (load generator and server). */
  readonly fds: number
  run(size: Size): Promise<CheckResult>
}

export const CHECKS: readonly CheckEntry[] = [
  {
    name: 'slowloris',
    fds:
      SLOWLORIS_FULL.slowConnections +
      SLOWLORIS_FULL.slowBodyConnections +
      SLOWLORIS_FULL.idleConnections +
      64,
    run: (size) => runSlowloris(size === 'full' ? SLOWLORIS_FULL : SLOWLORIS_SMALL),
  },
  {
    name: 'connection-cap',
    fds: CAP_FULL.maxConnections + CAP_FULL.excess + 64,
    run: (size) => runConnectionCap(size === 'full' ? CAP_FULL : CAP_SMALL),
  },
  {
    name: 'pipelining',
    fds: 64,
    run: (size) => runPipelining(size === 'full' ? PIPELINING_FULL : PIPELINING_SMALL),
  },
  {
    name: 'large-bodies',
    fds: 64,
    run: (size) => runLargeBodies(size === 'full' ? LARGE_FULL : LARGE_SMALL),
  },
  {
    name: 'aborts',
    fds: ABORTS_FULL.concurrency * 2 + 64,
    run: (size) => runAborts(size === 'full' ? ABORTS_FULL : ABORTS_SMALL),
  },
  {
    name: 'handler-faults',
    fds: 64,
    run: (size) => runHandlerFaults(size === 'full' ? FAULTS_FULL : FAULTS_SMALL),
  },
  {
    name: 'shutdown',
    fds: SHUTDOWN_FULL.activeConnections + SHUTDOWN_FULL.idleConnections + 64,
    run: (size) => runShutdown(size === 'full' ? SHUTDOWN_FULL : SHUTDOWN_SMALL),
  },
  {
    name: 'soak',
    fds: SOAK_FULL.autocannonConnections + SOAK_FULL.mixWorkers * 2 + 64,
    run: (size) => runSoak(size === 'full' ? SOAK_FULL : SOAK_SMALL),
  },
]
