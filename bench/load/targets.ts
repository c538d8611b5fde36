/**
 * The servers the load checks run against: sockhttp (bench/servers/sockhttp-target.ts, app
 * `load`) or the node:http reference with an optional deliberate defect (bench/servers/reference.ts),
 * which is how every checker is shown to fail against a broken target.
 */
import { launch, type ServerProcess, tsScript } from '../lib/child.ts'

export const TARGET_NAMES = [
  'sockhttp',
  'reference',
  'reference:pool-overadmit',
  'reference:run-rejected',
  'reference:close-each',
  'reference:ignore-backlog',
] as const
export type TargetName = (typeof TARGET_NAMES)[number]

export interface TargetConfig {
  readonly backlog?: number
  readonly pool?: number
  readonly queue?: number
}

export function isTargetName(s: string): s is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(s)
}

export function targetCommand(target: TargetName, cfg: TargetConfig): string[] {
  const args: string[] = []
  if (cfg.backlog !== undefined) args.push('--backlog', String(cfg.backlog))
  if (cfg.pool !== undefined) args.push('--pool', String(cfg.pool))
  if (cfg.queue !== undefined) args.push('--queue', String(cfg.queue))
  if (target === 'sockhttp') {
    return tsScript('bench/servers/sockhttp-target.ts', [
      '--app',
      'load',
      '--keep-alive-timeout',
      '60000',
      ...args,
    ])
  }
  const defect = target === 'reference' ? 'none' : target.slice('reference:'.length)
  return tsScript('bench/servers/reference.ts', [...args, '--defect', defect])
}

export function startTarget(target: TargetName, cfg: TargetConfig): Promise<ServerProcess> {
  return launch({ name: target, command: targetCommand(target, cfg), ipc: true })
}
