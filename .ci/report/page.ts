/**
 * The page: one self-contained HTML document. The style sheet is inline, the charts are inline SVG,
 * and there is no script at all: expanding a failing case is a <details> element. A strict Content
 * Security Policy in the head makes the "no network fetches" promise hold in the browser too.
 */
import { type Html, html, trusted } from './html.ts'
import type { Section } from './sections/common.ts'

export interface PageMeta {
  readonly builtAt: string
  readonly commit: string | null
  readonly commitSubject: string | null
  readonly node: string
  readonly command: string
}

const STYLE = `
:root { --fg:#1d232b; --muted:#5c6773; --line:#d9dee4; --bg:#fff; --soft:#f5f7f9;
  --ok:#1f7a3d; --okbg:#e3f4e8; --fail:#b42318; --failbg:#fde7e5; --warn:#9a6700; --warnbg:#fff4d6;
  --sockhttp:#2563eb; --node:#7c8794; --ceiling:#0f766e; --llhttp:#7c8794; --hpjs:#b45309; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color:var(--fg); background:var(--bg); }
header { padding:18px 28px 10px; border-bottom:1px solid var(--line); background:var(--soft); }
header h1 { margin:0 0 4px; font-size:22px; }
header p { margin:2px 0; color:var(--muted); }
nav { display:flex; flex-wrap:wrap; gap:6px; margin-top:10px; }
nav a { text-decoration:none; color:var(--fg); border:1px solid var(--line); border-radius:14px; padding:2px 10px; background:#fff; }
nav a::before { content:""; display:inline-block; width:8px; height:8px; border-radius:50%; margin-right:6px; background:#b8c0c8; }
nav a.st-ok::before { background:var(--ok); } nav a.st-fail::before { background:var(--fail); } nav a.st-warn::before { background:#d4a017; }
main { padding:8px 28px 40px; max-width:1180px; }
section { margin-top:22px; }
h2 { font-size:19px; border-bottom:2px solid var(--line); padding-bottom:4px; }
h3 { font-size:15px; margin:18px 0 6px; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size:12.5px; }
pre.bytes { white-space:pre-wrap; word-break:break-all; background:var(--soft); border:1px solid var(--line); padding:6px 8px; margin:2px 0; max-height:260px; overflow:auto; }
table.data { border-collapse:collapse; margin:10px 0 14px; min-width:50%; }
table.data caption { text-align:left; font-weight:600; padding:4px 0; }
table.data th, table.data td { border:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
table.data thead th, table.data tfoot th { background:var(--soft); }
td.num { text-align:right; font-variant-numeric: tabular-nums; white-space:nowrap; }
tr.failed > td:first-child { box-shadow: inset 3px 0 0 var(--fail); }
table.inner { border-collapse:collapse; margin-top:4px; } table.inner td, table.inner th { border:1px solid var(--line); padding:2px 6px; }
.matrix td.cell { text-align:center; min-width:120px; }
.matrix td.cell small { display:block; color:inherit; opacity:.85; }
.c-pass { background:var(--okbg); color:var(--ok); } .c-fail { background:var(--failbg); color:var(--fail); font-weight:600; }
.c-warn { background:var(--warnbg); color:var(--warn); } .c-none { color:var(--muted); }
.badge { display:inline-block; border-radius:4px; padding:0 5px; font-size:11.5px; font-weight:600; background:#e8ebef; color:var(--fg); }
.b-pass, .b-ok, .b-yes { background:var(--okbg); color:var(--ok); }
.b-fail, .b-no, .b-must, .b-timeout, .b-missing { background:var(--failbg); color:var(--fail); }
.b-warn, .b-should { background:var(--warnbg); color:var(--warn); }
.b-1, .b-2, .b-3, .b-4, .b-5, .b-6, .b-7, .b-8, .b-9 { background:var(--failbg); color:var(--fail); }
details.case { border:1px solid var(--line); border-left:3px solid var(--fail); border-radius:4px; margin:5px 0; padding:4px 8px; }
details.case.warning { border-left-color:#d4a017; }
details.case summary { cursor:pointer; }
details.case summary .got { color:var(--muted); font-size:12.5px; }
details.case dl { display:grid; grid-template-columns: 190px 1fr; gap:4px 10px; margin:8px 0 4px; }
details.case dt { color:var(--muted); } details.case dd { margin:0; } details.case ul { margin:0; padding-left:18px; }
details.disagreements { margin:10px 0; } details.disagreements > summary { cursor:pointer; }
details.warnings { margin:8px 0; } details.warnings > summary { cursor:pointer; color:var(--warn); }
.not-run { color:var(--muted); background:var(--soft); border:1px dashed var(--line); padding:8px 10px; border-radius:4px; }
.error { color:var(--fail); background:var(--failbg); padding:8px 10px; border-radius:4px; }
.meta { color:var(--muted); margin:4px 0; }
.totals { margin:6px 0; }
.commands { margin:8px 0; color:var(--muted); } .commands ul { margin:2px 0; padding-left:18px; } .commands code { color:var(--fg); }
figure.chart { margin:14px 0; } figure.chart figcaption { margin-bottom:4px; } .caption { color:var(--muted); }
svg text { font-size:12px; fill:var(--fg); } svg text.group-title { font-weight:600; font-size:12.5px; }
svg tspan.note { fill:var(--muted); } svg .bar { fill:#94a3b8; }
svg .s-sockhttp { fill:var(--sockhttp); } svg .s-node { fill:var(--node); } svg .s-ceiling { fill:var(--ceiling); }
svg .s-llhttp { fill:var(--llhttp); } svg .s-hpjs { fill:var(--hpjs); } svg .q-p99 { fill-opacity:.55; }
table.glance th { text-align:left; white-space:nowrap; } table.glance a { color:var(--fg); }
table.glance tr.st-ok th { box-shadow: inset 4px 0 0 var(--ok); } table.glance tr.st-fail th { box-shadow: inset 4px 0 0 var(--fail); }
table.glance tr.st-warn th { box-shadow: inset 4px 0 0 #d4a017; } table.glance tr.st-none td { color:var(--muted); }
footer { color:var(--muted); padding:10px 28px 30px; border-top:1px solid var(--line); }
`

export function renderPage(meta: PageMeta, sections: readonly Section[]): string {
  const nav: Html = html`<nav>${sections.map(
    (s) => html`<a class="st-${s.state}" href="#${s.id}">${s.title}</a>`,
  )}</nav>`
  const body = sections.map(
    (s) => html`<section id="${s.id}" data-section="${s.id}" data-state="${s.state}"><h2>${s.title}</h2>
${s.body}
</section>`,
  )
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>sockhttp reports</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<header>
<h1>sockhttp reports</h1>
<p>Built ${meta.builtAt} from commit <code>${meta.commit ?? 'unknown'}</code>${meta.commitSubject ? html` (${meta.commitSubject})` : ''} with Node ${meta.node}.</p>
<p>Every figure below comes from the JSON reports under <code>reports/</code>; each part names the command that produced it. Rebuild this page with <code>${meta.command}</code>.</p>
${nav}
</header>
<main>
<table class="data glance" data-table="glance"><caption>At a glance</caption><tbody>${sections.map(
    (s) =>
      html`<tr class="st-${s.state}"><th><a href="#${s.id}">${s.title}</a></th><td>${s.headline ?? (s.state === 'none' ? 'not run yet' : 'see below')}</td></tr>`,
  )}</tbody></table>
${body}
</main>
<footer>sockhttp: a strict HTTP/1.1 server on raw TCP sockets. This page has no scripts and fetches nothing.</footer>
</body>
</html>
`
  return page.html
}
