/** The HTML report's stylesheet: light and dark (prefers-color-scheme), printable. */
export const REPORT_CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--card:#f6f8fa;
--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--run:#0969da;
--s-input:#0969da;--s-cache-read:#1a7f37;--s-cache-write:#bf8700;--s-output:#8250df;--s-cost:#0969da;
--s-model:#8250df;--s-tools:#0969da;--s-validation:#bf8700;--s-other:#8c959f}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--card:#161b22;
--ok:#3fb950;--bad:#f85149;--warn:#d29922;--run:#58a6ff;
--s-input:#58a6ff;--s-cache-read:#3fb950;--s-cache-write:#d29922;--s-output:#bc8cff;--s-cost:#58a6ff;
--s-model:#bc8cff;--s-tools:#58a6ff;--s-validation:#d29922;--s-other:#6e7681}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}h4{font-size:14px;margin:14px 0 4px}
code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;white-space:pre-wrap}
.muted{color:var(--muted)}.ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:8px;margin:16px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 12px}
.card b{display:block;font-size:18px}.card span{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;border:1px solid currentColor}
.spec,.attempt-box{border:1px solid var(--line);border-radius:8px;padding:8px 14px;margin:12px 0;break-inside:avoid-page}
.attempt-box{background:var(--card)}
svg.chart{width:100%;height:auto;display:block;margin:8px 0 16px}
svg text{fill:var(--fg);font:11px system-ui,sans-serif}svg text.axis{fill:var(--muted)}
svg .grid{stroke:var(--line);stroke-width:1}
svg .line{fill:none;stroke-width:2}svg .l-cache-read{stroke:var(--s-cache-read)}
${['input', 'cache-read', 'cache-write', 'output', 'cost', 'model', 'tools', 'validation', 'other']
  .map((k) => `svg .s-${k}{fill:var(--s-${k})}`)
  .join('')}
svg .o-ok{fill:var(--ok)}svg .o-bad{fill:var(--bad)}svg .o-warn{fill:var(--warn)}svg .o-run{fill:var(--run)}
ul.criteria{list-style:none;padding-left:0}ul.criteria li{margin:2px 0}
figure{margin:0;break-inside:avoid}figcaption{font-weight:600;margin-top:12px}
footer{margin-top:32px;color:var(--muted);font-size:12px}
@media print{body{background:#fff;color:#000}main{max-width:none;padding:0}
.card,.attempt-box,pre{background:#fff}h2{break-after:avoid}a{color:inherit}}
`;
