// previews/index.html: every picture side by side, grouped by page, with the state's name and meaning.
import { escapeHtml } from './html.mjs';

function figure(shot) {
  const flag = shot.failures.length ? ' class="failed"' : '';
  return `<figure${flag}><a href="${escapeHtml(shot.name)}.png"><img src="${escapeHtml(shot.name)}.png" width="375" alt="${escapeHtml(shot.name)}" loading="lazy"></a>`
    + `<figcaption><b>${escapeHtml(shot.name)}</b><span>${escapeHtml(shot.state.description || '')}</span>`
    + `${shot.failures.map((f) => `<em>${escapeHtml(f.split('\n')[0])}</em>`).join('')}</figcaption></figure>`;
}

export function galleryHtml(shots) {
  const pages = [...new Set(shots.map((s) => s.pagePath))];
  const sections = pages.map((page) => `<section><h2>${escapeHtml(page)}</h2><div class="row">`
    + `${shots.filter((s) => s.pagePath === page).map(figure).join('')}</div></section>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Live CRM page previews</title>
<style>
body { margin: 24px; font: 14px/1.5 -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif; background: #eef0f3; color: #1f2329; }
h1 { font-size: 20px; margin: 0 0 4px; } p.note { margin: 0 0 24px; color: #646a73; }
h2 { font-size: 15px; margin: 28px 0 12px; font-family: ui-monospace, monospace; }
.row { display: flex; gap: 20px; overflow-x: auto; align-items: flex-start; padding-bottom: 8px; }
figure { margin: 0; flex: none; width: 375px; }
figure img { display: block; width: 375px; border-radius: 12px; box-shadow: 0 2px 12px rgba(0,0,0,.12); background: #fff; }
figcaption { margin-top: 8px; display: flex; flex-direction: column; }
figcaption span { color: #646a73; } figcaption em { color: #d54941; font-style: normal; }
figure.failed img { outline: 3px solid #d54941; }
</style></head><body>
<h1>Live CRM page previews</h1>
<p class="note">Rendered by <code>npm run previews</code> from each page's own code against the real server seeded with the demo data (miniprogram-simulate → HTML → Chromium),
375 pt wide at 2x. Not WeChat itself: native widgets and the real navigation bar are approximated.</p>
${sections}
</body></html>
`;
}
