/**
 * docs/benchmarks.png: first-load throughput and Salesforce API calls by volume, for the Worker and both
 * baselines. Drawn as hand-written SVG (grouped bars, log scale for throughput so 10k and 1M sit on one axis) and
 * screenshotted with Debian's Chromium through playwright-core, headless.
 */
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from '../support/chromium';
import type { BenchReport } from './report';

const SERIES = [
  { name: 'Forcebridge Worker', color: '#0176d3' },
  { name: 'SQLite ceiling', color: '#2e844a' },
  { name: 'Naive (jsforce + row INSERTs)', color: '#c23934' },
];
const WIDTH = 520;
const HEIGHT = 340;
const MARGIN = { top: 48, right: 16, bottom: 56, left: 64 };

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const label = (v: number) => (v >= 1000 ? `${Math.round(v / 100) / 10}k`.replace('.0k', 'k') : `${Math.round(v * 10) / 10}`);

/** A round step (1, 2 or 5 × a power of ten) near `raw`, for axis ticks. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

/** One panel of grouped bars: groups are volumes, bars are the three series. */
function panel(title: string, groups: string[], values: number[][], log: boolean, x0: number): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = Math.max(...values.flat().filter(Number.isFinite));
  const lo = log ? 10 ** Math.floor(Math.log10(Math.max(1, Math.min(...values.flat().filter((v) => v > 0))))) : 0;
  const step = niceStep(max / 5);
  const hi = log ? 10 ** Math.ceil(Math.log10(max)) : Math.ceil((max * 1.1) / step) * step;
  const y = (v: number) => MARGIN.top + plotH - (log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : v / hi) * plotH;
  const ticks = log
    ? Array.from({ length: Math.round(Math.log10(hi / lo)) + 1 }, (_, i) => lo * 10 ** i)
    : Array.from({ length: Math.round(hi / step) + 1 }, (_, i) => step * i);
  const groupW = plotW / groups.length;
  const barW = (groupW * 0.7) / SERIES.length;
  const parts = [`<g transform="translate(${x0},0)">`, `<text x="${WIDTH / 2}" y="24" text-anchor="middle" class="title">${esc(title)}</text>`];
  for (const t of ticks) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t)}" y2="${y(t)}" class="grid"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end" class="tick">${label(t)}</text>`);
  }
  groups.forEach((group, g) => {
    const gx = MARGIN.left + g * groupW + groupW * 0.15;
    SERIES.forEach((series, i) => {
      const v = values[g]![i]!;
      if (!Number.isFinite(v)) return;
      const top = y(v);
      parts.push(`<rect x="${gx + i * barW}" y="${top}" width="${barW - 3}" height="${MARGIN.top + plotH - top}" fill="${series.color}"/>`);
      parts.push(`<text x="${gx + i * barW + (barW - 3) / 2}" y="${top - 4}" text-anchor="middle" class="value">${label(v)}</text>`);
    });
    parts.push(`<text x="${MARGIN.left + g * groupW + groupW / 2}" y="${MARGIN.top + plotH + 20}" text-anchor="middle" class="group">${esc(group)} records</text>`);
  });
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" class="axis"/>`, '</g>');
  return parts.join('\n');
}

export function chartSvg(report: BenchReport): string {
  const groups = report.medians.map((s) => s.volume.label);
  const throughput = report.medians.map((s) => [s.firstLoad.recordsPerSecond, s.ceiling.recordsPerSecond, s.naive.recordsPerSecond]);
  const calls = report.medians.map((s) => [s.firstLoad.apiCallsPer10000, s.ceiling.apiCallsPer10000, s.naive.apiCallsPer10000]);
  const legend = SERIES.map(
    (s, i) => `<rect x="${MARGIN.left + i * 230}" y="${HEIGHT + 4}" width="14" height="14" fill="${s.color}"/><text x="${MARGIN.left + i * 230 + 20}" y="${HEIGHT + 16}" class="legend">${esc(s.name)}</text>`,
  ).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH * 2}" height="${HEIGHT + 52}" viewBox="0 0 ${WIDTH * 2} ${HEIGHT + 52}">
<style>
  text { font-family: 'DejaVu Sans', Arial, sans-serif; fill: #181818; }
  .title { font-size: 15px; font-weight: bold; } .tick, .value { font-size: 11px; fill: #444; } .group, .legend { font-size: 12px; }
  .grid { stroke: #e5e5e5; } .axis { stroke: #888; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
${panel('First load: records per second (log scale)', groups, throughput, true, 0)}
${panel('First load: Salesforce API calls per 10,000 records', groups, calls, false, WIDTH)}
${legend}
<text x="${WIDTH * 2 - 16}" y="${HEIGHT + 44}" text-anchor="end" class="tick">medians of ${report.medians.map((m) => m.runs).join(' / ')} run(s) at ${report.medians.map((m) => m.volume.label).join(' / ')} · ${esc(report.machine.cpu)}, ${report.machine.cores} cores · ${report.started.slice(0, 10)}</text>
</svg>`;
}

export async function renderChart(file: string, report: BenchReport): Promise<void> {
  const svg = chartSvg(report);
  if (!CHROMIUM_PATH) {
    writeFileSync(file.replace(/\.png$/, '.svg'), svg);
    console.warn(`No Chromium found: wrote ${file.replace(/\.png$/, '.svg')} instead of the PNG. Install it with \`apt-get install -y chromium\`.`);
    return;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: file });
  } finally {
    await browser.close();
  }
}
