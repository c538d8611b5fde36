/**
 * A dependency-free SVG bar chart of ratios on a log scale, bars growing left or right from 1×
 * (so 0.5× and 2× look equally far from parity). Whiskers show the min–max spread over rounds,
 * a dark tick marks the goal.
 */
import type { Bar } from './report.ts'

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export function ratioChart(bars: readonly Bar[]): string {
  const width = 760
  const left = 230
  const right = width - 40
  const rowH = 22
  const groupH = 26
  const values = bars
    .flatMap((b) => [b.value, b.min ?? b.value, b.max ?? b.value, b.goal ?? b.value])
    .filter((v) => v > 0 && Number.isFinite(v))
  const lo = Math.floor(Math.log2(Math.min(0.5, ...values.map((v) => v / 1.2))))
  const hi = Math.ceil(Math.log2(Math.max(2, ...values.map((v) => v * 1.2))))
  const x = (v: number): number =>
    left + ((Math.log2(Math.max(v, 2 ** lo)) - lo) / (hi - lo)) * (right - left)
  const parts: string[] = []
  let y = 40
  let group = ''
  for (const b of bars) {
    if (b.group !== group) {
      group = b.group
      y += 6
      parts.push(`<text x="10" y="${y + 14}" font-weight="bold">${esc(group)}</text>`)
      y += groupH
    }
    const x1 = x(1)
    const xv = x(b.value)
    const good = b.goal === undefined ? b.value >= 1 : b.goal < 1 ? b.value <= b.goal : b.value >= b.goal
    const fill = b.goal === undefined ? '#8aa4c8' : good ? '#4c9a5b' : '#d0743c'
    parts.push(`<text x="${left - 8}" y="${y + 14}" text-anchor="end">${esc(b.label)}</text>`)
    parts.push(
      `<rect x="${Math.min(x1, xv).toFixed(1)}" y="${y + 3}" width="${Math.abs(xv - x1).toFixed(1)}" height="${rowH - 8}" fill="${fill}"/>`,
    )
    if (b.min !== undefined && b.max !== undefined) {
      const cy = y + rowH / 2 - 1
      parts.push(
        `<line x1="${x(b.min).toFixed(1)}" x2="${x(b.max).toFixed(1)}" y1="${cy}" y2="${cy}" stroke="#222" stroke-width="1"/>`,
      )
    }
    if (b.goal !== undefined) {
      const gx = x(b.goal).toFixed(1)
      parts.push(
        `<line x1="${gx}" x2="${gx}" y1="${y + 1}" y2="${y + rowH - 3}" stroke="#111" stroke-width="2"/>`,
      )
    }
    // The value goes right of everything drawn on the row, so no whisker or goal tick crosses it.
    const textX = Math.max(x1, xv, x(b.max ?? 0), x(b.goal ?? 0)) + 4
    parts.push(`<text x="${textX.toFixed(1)}" y="${y + 14}" font-size="11">${b.value.toFixed(2)}×</text>`)
    y += rowH
  }
  const height = y + 30
  const axis: string[] = []
  for (let e = lo; e <= hi; e++) {
    const v = 2 ** e
    const xv = x(v).toFixed(1)
    axis.push(
      `<line x1="${xv}" x2="${xv}" y1="34" y2="${y}" stroke="${e === 0 ? '#444' : '#ddd'}" stroke-width="${e === 0 ? 1.5 : 1}"/>`,
    )
    axis.push(
      `<text x="${xv}" y="${y + 16}" text-anchor="middle" font-size="11">${v >= 1 ? v : `1/${1 / v}`}×</text>`,
    )
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    '<text x="10" y="20" font-size="14" font-weight="bold">sockhttp ratios (log scale; tick = goal, whisker = min–max over rounds)</text>',
    ...axis,
    ...parts,
    '</svg>',
    '',
  ].join('\n')
}
