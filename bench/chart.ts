/**
 * The chart of docs/performance.svg, written by hand (no chart dependency): cost per command
 * against account size, log–log, one panel per settings mode, the library in solid lines and the
 * floor in dashed lines of the same colour.
 */

/** One line of the chart: a command's cost (µs per command) at each account size. */
export interface Series {
  readonly name: string;
  readonly library: readonly (number | undefined)[];
  readonly floor: readonly (number | undefined)[];
}

/** One panel: a title and its series, over the same sizes. */
export interface Panel {
  readonly title: string;
  readonly series: readonly Series[];
}

const COLORS = ["#1b6ac9", "#d1495b", "#2a9d4b", "#8e5bd6", "#e08a00", "#3b3b3b", "#0f9fb0"];
const W = 440;
const H = 330;
const M = { top: 42, right: 16, bottom: 46, left: 58 };

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
// Trailing zeros go only after a decimal point: 100 stays "100", 0.10 becomes "0.1".
const fmt = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2)).replace(/\.(\d*?)0+$/, ".$1").replace(/\.$/, "");
const sizeLabel = (n: number): string => (n >= 1000 ? `${n / 1000}k` : String(n));

/** The SVG text of the chart. */
export function renderChart(sizes: readonly number[], panels: readonly Panel[], caption: string): string {
  const values = panels.flatMap((p) => p.series.flatMap((s) => [...s.library, ...s.floor])).filter((v): v is number => v !== undefined && v > 0);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...values))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...values))));
  const xMin = Math.log10(Math.min(...sizes));
  const xMax = Math.log10(Math.max(...sizes));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (size: number) => M.left + (xMax === xMin ? plotW / 2 : ((Math.log10(size) - xMin) / (xMax - xMin)) * plotW);
  const y = (v: number) => M.top + plotH - ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;
  const names = [...new Set(panels.flatMap((p) => p.series.map((s) => s.name)))];
  const color = (name: string) => COLORS[names.indexOf(name) % COLORS.length] ?? "#000";

  const out: string[] = [];
  const legendH = 22 * Math.ceil(names.length / 3) + 30;
  const totalW = W * panels.length;
  const totalH = H + legendH + 24;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalW}" height="${totalH}" viewBox="0 0 ${totalW} ${totalH}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<title>crm-ownership: cost per command against account size, library and floor</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
  );
  panels.forEach((panel, p) => {
    const dx = p * W;
    out.push(`<g transform="translate(${dx},0)">`);
    out.push(`<text x="${M.left + plotW / 2}" y="22" text-anchor="middle" font-size="14" font-weight="600">${esc(panel.title)}</text>`);
    // Grid and axes: decades on y, the measured sizes on x.
    for (let v = lo; v <= hi * 1.0001; v *= 10) {
      const yy = y(v).toFixed(1);
      out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${yy}" y2="${yy}" stroke="#e3e3e3"/>`);
      out.push(`<text x="${M.left - 6}" y="${yy}" dy="4" text-anchor="end" fill="#555">${fmt(v)}</text>`);
    }
    for (const size of sizes) {
      const xx = x(size).toFixed(1);
      out.push(`<line x1="${xx}" x2="${xx}" y1="${M.top}" y2="${M.top + plotH}" stroke="#e3e3e3"/>`);
      out.push(`<text x="${xx}" y="${M.top + plotH + 16}" text-anchor="middle" fill="#555">${sizeLabel(size)}</text>`);
    }
    out.push(`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
    out.push(`<text x="${M.left + plotW / 2}" y="${H - 8}" text-anchor="middle" fill="#333">contacts in the account (3 opportunities each)</text>`);
    out.push(`<text transform="translate(14,${M.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">µs per command (median, log)</text>`);
    for (const s of panel.series) {
      for (const [which, data] of [["library", s.library], ["floor", s.floor]] as const) {
        const points = sizes.flatMap((size, i) => {
          const v = data[i];
          return v === undefined || v <= 0 ? [] : [[x(size), y(v)] as const];
        });
        if (points.length === 0) continue;
        const dash = which === "floor" ? ` stroke-dasharray="5 4"` : "";
        out.push(
          `<polyline fill="none" stroke="${color(s.name)}" stroke-width="2"${dash} points="${points.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" ")}"><title>${esc(`${s.name} (${which})`)}</title></polyline>`,
        );
        for (const [a, b] of points) {
          out.push(
            which === "floor"
              ? `<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="3" fill="#fff" stroke="${color(s.name)}" stroke-width="1.5"/>`
              : `<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="3" fill="${color(s.name)}"/>`,
          );
        }
      }
    }
    out.push(`</g>`);
  });
  // Legend: one entry per command, then what solid and dashed mean.
  const ly = H + 8;
  names.forEach((name, i) => {
    const lx = 20 + (i % 3) * 250;
    const yy = ly + Math.floor(i / 3) * 22;
    out.push(`<line x1="${lx}" x2="${lx + 26}" y1="${yy}" y2="${yy}" stroke="${color(name)}" stroke-width="2"/>`);
    out.push(`<text x="${lx + 32}" y="${yy + 4}">${esc(name)}</text>`);
  });
  const ky = ly + 22 * Math.ceil(names.length / 3) + 4;
  out.push(`<line x1="20" x2="46" y1="${ky}" y2="${ky}" stroke="#333" stroke-width="2"/><text x="52" y="${ky + 4}">crm-ownership</text>`);
  out.push(`<line x1="170" x2="196" y1="${ky}" y2="${ky}" stroke="#333" stroke-width="2" stroke-dasharray="5 4"/><text x="202" y="${ky + 4}">floor (hand-written mutable model, same checks and events)</text>`);
  out.push(`<text x="20" y="${ky + 26}" fill="#555">${esc(caption)}</text>`);
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}
