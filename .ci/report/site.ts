/** Reads every report under a reports directory and renders the page from them. */
import type { LoadtestReport } from '../../bench/load/report.ts'
import type { BenchReport } from '../../bench/report.ts'
import type { Report as ConformanceReport } from '../../conformance/reporters/json.ts'
import type { FuzzReport } from '../../fuzz/report.ts'
import type { GateReport } from '../gate/summary.ts'
import { listJson, loadReport } from './load.ts'
import { type PageMeta, renderPage } from './page.ts'
import { BENCH_FILE, benchSection } from './sections/bench.ts'
import type { Section } from './sections/common.ts'
import { CONFORMANCE_DIR, conformanceSection } from './sections/conformance.ts'
import { FUZZ_FILE, fuzzSection } from './sections/fuzz.ts'
import { GATE_FILE, gateSection } from './sections/gate.ts'
import { LOADTEST_FILE, loadtestSection } from './sections/loadtest.ts'
import { RELIABILITY_FILE, type ReliabilityReport, reliabilitySection } from './sections/reliability.ts'

export function collectSections(reportsDir: string): Section[] {
  return [
    gateSection(loadReport<GateReport>(reportsDir, GATE_FILE, 'sockhttp-gate/')),
    conformanceSection(
      listJson(reportsDir, CONFORMANCE_DIR).map((f) =>
        loadReport<ConformanceReport>(reportsDir, f, 'sockhttp-conformance/'),
      ),
    ),
    fuzzSection(
      loadReport<FuzzReport>(reportsDir, FUZZ_FILE, 'sockhttp-fuzz/'),
      loadReport<FuzzReport>(reportsDir, `gate/${FUZZ_FILE}`, 'sockhttp-fuzz/'),
    ),
    benchSection(loadReport<BenchReport>(reportsDir, BENCH_FILE, 'sockhttp-bench/')),
    loadtestSection(loadReport<LoadtestReport>(reportsDir, LOADTEST_FILE, 'sockhttp-loadtest/')),
    reliabilitySection(loadReport<ReliabilityReport>(reportsDir, RELIABILITY_FILE, 'sockhttp-reliability/')),
  ]
}

export function buildSite(reportsDir: string, meta: PageMeta): { html: string; sections: Section[] } {
  const sections = collectSections(reportsDir)
  return { html: renderPage(meta, sections), sections }
}
