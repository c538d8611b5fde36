/** Where the server reports requests and faults. Quiet by default, so tests stay readable. */
export interface Logger {
  /** One line per request when enabled: `GET /x 200 3ms`. */
  info(line: string): void
  error(message: string, error?: unknown): void
}

export const silentLogger: Logger = Object.freeze({
  info() {},
  error() {},
})

export const consoleLogger: Logger = Object.freeze({
  info(line: string) {
    process.stdout.write(`${line}\n`)
  },
  error(message: string, error?: unknown) {
    process.stderr.write(
      `${message}${error === undefined ? '' : `: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`}\n`,
    )
  },
})
