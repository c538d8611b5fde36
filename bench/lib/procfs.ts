/**
 * Linux /proc readers and `ss` probes for the benchmarks: CPU time and RSS of a process, the
 * accept queue of a listening socket, and which process owns a listening port. Everything
 * returns null where the information is not available (other OS, no `ss`), never throws.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

let clockTicks: number | null = null

/** USER_HZ: the unit of utime/stime in /proc/PID/stat (100 on every common Linux). */
export function clkTck(): number {
  if (clockTicks !== null) return clockTicks
  try {
    clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    clockTicks = 100
  }
  return clockTicks
}

/** utime + stime of a process in seconds, or null when /proc is missing. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    // The command name (field 2) may hold spaces and parentheses: fields are read after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // rest[0] is field 3 (state), so field 14 (utime) is rest[11] and field 15 (stime) rest[12].
    const utime = Number(rest[11])
    const stime = Number(rest[12])
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null
    return (utime + stime) / clkTck()
  } catch {
    return null
  }
}

/** Resident set size in bytes (VmRSS), or null. */
export function rssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1')
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    return m ? Number(m[1]) * 1024 : null
  } catch {
    return null
  }
}

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export interface ListenQueue {
  /** Connections that completed the handshake and wait in the accept queue. */
  readonly recvQ: number
  /** The accept queue's capacity as the kernel applied it (backlog capped by somaxconn); null from /proc. */
  readonly sendQ: number | null
  readonly source: 'ss' | '/proc/net/tcp'
}

/** The accept queue of the IPv4 listener on `port`: `ss -ltn` where available, else /proc/net/tcp. */
export function listenQueue(port: number): ListenQueue | null {
  if (hasCommand('ss')) {
    try {
      const out = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' })
      for (const line of out.split('\n')) {
        const cols = line.trim().split(/\s+/)
        // State Recv-Q Send-Q Local:Port Peer:Port
        if (cols[0] === 'LISTEN' && cols[3]?.endsWith(`:${port}`)) {
          return { recvQ: Number(cols[1]), sendQ: Number(cols[2]), source: 'ss' }
        }
      }
    } catch {
      // fall through to /proc
    }
  }
  const row = procNetTcpListener(port)
  return row ? { recvQ: row.rxQueue, sendQ: null, source: '/proc/net/tcp' } : null
}

interface ProcNetRow {
  readonly rxQueue: number
  readonly inode: string
}

function procNetTcpListener(port: number): ProcNetRow | null {
  try {
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
    for (const line of readFileSync('/proc/net/tcp', 'latin1').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      // sl local_address rem_address st tx_queue:rx_queue ... uid timeout inode
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A') {
        // For a listener the kernel reports the accept-queue length as rx_queue.
        const rx = Number.parseInt(cols[4]?.split(':')[1] ?? '', 16)
        return { rxQueue: rx, inode: cols[9] ?? '' }
      }
    }
  } catch {
    // no /proc
  }
  return null
}

/**
 * The pid owning the listener on `port`. Wrappers such as `npx tsx` run the server in a
 * grandchild, and CPU must be read from that process, not from the wrapper we spawned.
 * Looks through `ss -ltnp` first, then the fds of `rootPid` and its descendants.
 */
export function pidListeningOn(port: number, rootPid: number): number | null {
  if (hasCommand('ss')) {
    try {
      const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' })
      const m = /pid=(\d+)/.exec(out)
      if (m) return Number(m[1])
    } catch {
      // fall through
    }
  }
  const row = procNetTcpListener(port)
  if (!row) return null
  const target = `socket:[${row.inode}]`
  for (const pid of [rootPid, ...descendants(rootPid)]) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return pid
        } catch {
          // fd closed meanwhile
        }
      }
    } catch {
      // process gone
    }
  }
  return null
}

function descendants(root: number): number[] {
  const parentOf = new Map<number, number>()
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'latin1')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        parentOf.set(Number(name), ppid)
      } catch {
        // exited
      }
    }
  } catch {
    return []
  }
  const out: number[] = []
  const frontier = [root]
  while (frontier.length > 0) {
    const p = frontier.pop()!
    for (const [child, parent] of parentOf) {
      if (parent === p) {
        out.push(child)
        frontier.push(child)
      }
    }
  }
  return out
}

/** Soft and hard limits on open files for processes started from here. */
export function fileLimits(): { soft: number; hard: number } {
  const read = (flag: string): number => {
    try {
      const v = execFileSync('sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).trim()
      return v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v)
    } catch {
      return 1024
    }
  }
  return { soft: read('-n'), hard: read('-Hn') }
}
