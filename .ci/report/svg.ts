/**
 * Inline SVG horizontal bar charts. Horizontal, because the labels ("http-parser-js post-chunked")
 * are long and the figures people compare are the ratios written beside each bar. Every group has
 * its own scale: a group is one comparison (one fixture, one pipelining depth), and its bars are
 * read against each other, never against another group's.
 */
import { fixed, type Html, html, join } from './html.ts'

export interface ChartBar {
  readonly label: string
  /** NaN or null draws no bar and writes "n/a". */
  readonly value: number | null
  /** The figure written after the bar, e.g. "48,213 req/s". */
  readonly valueText: string
  /** The comparison, e.g. "1.84× node:http". */
  readonly note?: string
  /** CSS class picking the colour: the series (sockhttp, node, ceiling, llhttp, ...). */
  readonly series: string
}

export interface ChartGroup {
  readonly title: string
  readonly bars: readonly ChartBar[]
}

export interface ChartSpec {
  /** Used for the element id and for tests. */
  readonly id: string
  readonly title: string
  readonly groups: readonly ChartGroup[]
  /** One line under the title: what the ratio is taken against, where the figures come from. */
  readonly caption?: string
}

const WIDTH = 780
const LABEL_W = 190
const BAR_X = LABEL_W + 10
const BAR_MAX = 330
const ROW = 22
const BAR_H = 15
const GROUP_GAP = 10
const GROUP_TITLE = 22

const usable = (v: number | null): v is number => v !== null && Number.isFinite(v) && v >= 0

export function barChart(spec: ChartSpec): Html {
  let y = 0
  const parts: Html[] = []
  for (const g of spec.groups) {
    y += GROUP_GAP
    parts.push(html`<text class="group-title" x="0" y="${y + 15}">${g.title}</text>`)
    y += GROUP_TITLE
    const max = Math.max(0, ...g.bars.map((b) => (usable(b.value) ? b.value : 0)))
    for (const b of g.bars) {
      const w = usable(b.value) && max > 0 ? Math.max(1, (b.value / max) * BAR_MAX) : 0
      const textX = BAR_X + w + 6
      const cy = y + ROW / 2
      const label = `${b.label}: ${b.valueText}${b.note ? `, ${b.note}` : ''}`
      parts.push(html`<g class="row"><title>${label}</title>
<text class="label" x="${LABEL_W}" y="${cy + 4}" text-anchor="end">${b.label}</text>
${w > 0 ? html`<rect class="bar s-${b.series}" x="${BAR_X}" y="${y + (ROW - BAR_H) / 2}" width="${fixed(w, 1)}" height="${BAR_H}" rx="2"></rect>` : ''}
<text class="value" x="${fixed(textX, 1)}" y="${cy + 4}">${usable(b.value) ? b.valueText : 'n/a'}${b.note ? html`<tspan class="note"> · ${b.note}</tspan>` : ''}</text></g>`)
      y += ROW
    }
  }
  const height = y + GROUP_GAP
  return html`<figure class="chart" id="chart-${spec.id}" data-chart="${spec.id}">
<figcaption><strong>${spec.title}</strong>${spec.caption ? html`<br><span class="caption">${spec.caption}</span>` : ''}</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" style="max-width:${WIDTH}px" role="img" aria-label="${spec.title}">
${join(parts, '\n')}
</svg></figure>`
}
