// What WeChat draws around a page and that a review picture needs: the status and navigation bar with the
// page title and capsule, the tab bar on tab pages, and native overlays the page opened (toast, loading,
// modal, action sheet). Sizes follow WeChat on an iPhone X-class screen.
import { escapeHtml } from './html.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { MENU_BUTTON, NAV_BAR_HEIGHT, SAFE_AREA_BOTTOM, STATUS_BAR_HEIGHT, TAB_BAR_HEIGHT } from './device.mjs';

export const CHROME_CSS = `
wx-chrome-nav { display: block; position: relative; z-index: 1000; height: ${STATUS_BAR_HEIGHT + NAV_BAR_HEIGHT}px; box-sizing: border-box;
  padding-top: ${STATUS_BAR_HEIGHT}px; font: 600 17px/1 -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif; }
wx-chrome-nav > .title { display: block; height: ${NAV_BAR_HEIGHT}px; line-height: ${NAV_BAR_HEIGHT}px; text-align: center; padding: 0 100px;
  overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
wx-chrome-nav > .status { position: absolute; top: 0; left: 0; right: 0; height: ${STATUS_BAR_HEIGHT}px; display: flex; align-items: center;
  justify-content: space-between; padding: 0 28px 0 32px; font: 600 15px/1 -apple-system, sans-serif; }
wx-chrome-nav > .back { position: absolute; left: 10px; top: ${STATUS_BAR_HEIGHT + 12}px; width: 11px; height: 11px; border-left: 2.5px solid; border-bottom: 2.5px solid; transform: translate(6px, 3px) rotate(45deg); }
wx-chrome-capsule { position: absolute; top: ${MENU_BUTTON.top}px; left: ${MENU_BUTTON.left}px; width: ${MENU_BUTTON.width}px; height: ${MENU_BUTTON.height}px;
  box-sizing: border-box; border-radius: 16px; border: 0.5px solid rgba(0,0,0,.12); background: rgba(255,255,255,.6); display: flex; align-items: center; }
wx-chrome-capsule.dark { border-color: rgba(255,255,255,.25); background: rgba(0,0,0,.15); }
wx-chrome-capsule > i { flex: 1; display: flex; justify-content: center; align-items: center; gap: 3px; }
wx-chrome-capsule > i + i { border-left: 0.5px solid currentColor; opacity: .9; height: 18px; }
wx-chrome-capsule > i > b { width: 4px; height: 4px; border-radius: 50%; background: currentColor; }
wx-chrome-capsule > i > s { width: 14px; height: 14px; border-radius: 50%; border: 2px solid currentColor; box-sizing: border-box; position: relative; }
wx-chrome-capsule > i > s::after { content: ""; position: absolute; inset: 3px; border-radius: 50%; background: currentColor; }
wx-chrome-tabbar { display: flex; position: relative; z-index: 1000; height: ${TAB_BAR_HEIGHT}px; padding-bottom: ${SAFE_AREA_BOTTOM}px;
  border-top: 0.5px solid rgba(0,0,0,.15); font: 10px/1 -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif; }
wx-chrome-tabbar > a { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 3px; }
wx-chrome-tabbar > a > img { width: 24px; height: 24px; }
wx-chrome-tabbar > a { position: relative; }
wx-chrome-tabbar > a > em { position: absolute; top: 3px; left: calc(50% + 6px); min-width: 16px; height: 16px; padding: 0 4px; box-sizing: border-box;
  border-radius: 8px; background: #fa5151; color: #fff; font: 600 10px/16px -apple-system, "PingFang SC", sans-serif; font-style: normal; text-align: center; }
wx-chrome-overlay { position: fixed; inset: 0; z-index: 2000; display: flex; align-items: center; justify-content: center; pointer-events: none;
  font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif; }
wx-chrome-overlay.mask { background: rgba(0,0,0,.6); }
wx-chrome-overlay.sheet { align-items: flex-end; }
.wx-toast { min-width: 120px; max-width: 200px; padding: 18px 16px; border-radius: 12px; background: rgba(17,17,17,.85); color: #fff; text-align: center; font-size: 15px; line-height: 1.4; }
.wx-toast.text { min-width: 0; padding: 10px 16px; border-radius: 8px; }
.wx-toast > i { display: block; width: 40px; height: 40px; margin: 0 auto 10px; border-radius: 50%; border: 3px solid #fff; box-sizing: border-box; }
.wx-toast > i.loading { border-color: rgba(255,255,255,.3); border-top-color: #fff; }
.wx-toast > i.error::after { content: "!"; display: block; font: 700 22px/34px sans-serif; }
.wx-modal { width: 320px; border-radius: 12px; background: #fff; text-align: center; overflow: hidden; }
.wx-modal > h3 { margin: 32px 24px 0; font-size: 17px; font-weight: 700; color: #000; }
.wx-modal > p { margin: 16px 24px 32px; font-size: 17px; line-height: 1.4; color: rgba(0,0,0,.5); }
.wx-modal > footer { display: flex; border-top: 0.5px solid rgba(0,0,0,.1); }
.wx-modal > footer > span { flex: 1; height: 56px; line-height: 56px; font-size: 17px; font-weight: 700; color: #576b95; }
.wx-modal > footer > span.cancel { color: #000; border-right: 0.5px solid rgba(0,0,0,.1); }
.wx-sheet { width: 100%; border-radius: 12px 12px 0 0; background: #f7f7f7; padding-bottom: ${SAFE_AREA_BOTTOM}px; }
.wx-sheet > span { display: block; height: 56px; line-height: 56px; text-align: center; font-size: 17px; background: #fff; border-bottom: 0.5px solid rgba(0,0,0,.1); }
.wx-sheet > span.cancel { margin-top: 8px; border: 0; }
`;


/** The page's window settings: app.json `window`, then the page's own json. */
export function windowSettings(appJson, pageJson) {
  return { navigationBarTitleText: '', navigationBarBackgroundColor: '#000000', navigationBarTextStyle: 'white',
    backgroundColor: '#ffffff', ...(appJson.window || {}), ...(pageJson || {}) };
}

export function navBarHtml(settings, { title, navColor, isFirstPage }) {
  if (settings.navigationStyle === 'custom') return '';
  const background = navColor?.background || settings.navigationBarBackgroundColor;
  const front = navColor?.front || (settings.navigationBarTextStyle === 'black' ? '#000000' : '#ffffff');
  const dark = front.toLowerCase() === '#ffffff';
  return `<wx-chrome-nav style="background:${escapeHtml(background)};color:${escapeHtml(front)}">`
    + `<span class="status"><span>9:41</span><span>••• 100%</span></span>`
    + (isFirstPage ? '' : '<span class="back"></span>')
    + `<span class="title">${escapeHtml(title ?? settings.navigationBarTitleText)}</span>`
    + `<wx-chrome-capsule class="${dark ? 'dark' : ''}"><i><b></b><b></b><b></b></i><i><s></s></i></wx-chrome-capsule></wx-chrome-nav>`;
}

function tabIcon(root, file) {
  if (!file) return '';
  const full = path.join(root, file);
  if (!fs.existsSync(full)) return '';
  const mime = full.endsWith('.svg') ? 'image/svg+xml' : full.endsWith('.jpg') ? 'image/jpeg' : 'image/png';
  return `<img src="data:${mime};base64,${fs.readFileSync(full).toString('base64')}" alt="">`;
}

/** `badges` / `texts`: by tab index, as the page left them with wx.setTabBarBadge / wx.setTabBarItem. */
export function tabBarHtml(root, tabBar, pagePath, badges = {}, texts = {}) {
  if (!tabBar?.list?.some((item) => item.pagePath === pagePath) || tabBar.custom) return '';
  const items = tabBar.list.map((item, index) => {
    const selected = item.pagePath === pagePath;
    const color = selected ? tabBar.selectedColor : tabBar.color;
    const badge = badges[index] ? `<em>${escapeHtml(badges[index])}</em>` : '';
    return `<a style="color:${escapeHtml(color)}">${tabIcon(root, selected ? item.selectedIconPath : item.iconPath)}<span>${escapeHtml(texts[index] ?? item.text)}</span>${badge}</a>`;
  });
  return `<wx-chrome-tabbar style="background:${escapeHtml(tabBar.backgroundColor || '#ffffff')}">${items.join('')}</wx-chrome-tabbar>`;
}

export function isTabPage(appJson, pagePath) {
  return Boolean(appJson.tabBar?.list?.some((item) => item.pagePath === pagePath)) && !appJson.tabBar.custom;
}

function toastHtml(toast, loading) {
  if (loading) return `<wx-chrome-overlay><div class="wx-toast"><i class="loading"></i>${escapeHtml(loading.title)}</div></wx-chrome-overlay>`;
  if (!toast) return '';
  if (toast.icon === 'none') return `<wx-chrome-overlay><div class="wx-toast text">${escapeHtml(toast.title)}</div></wx-chrome-overlay>`;
  return `<wx-chrome-overlay><div class="wx-toast"><i class="${escapeHtml(toast.icon)}"></i>${escapeHtml(toast.title)}</div></wx-chrome-overlay>`;
}

export function overlayHtml({ toast, loading, modal, actionSheet }) {
  if (modal) {
    const cancel = modal.showCancel ? `<span class="cancel">${escapeHtml(modal.cancelText)}</span>` : '';
    return `<wx-chrome-overlay class="mask"><div class="wx-modal">${modal.title ? `<h3>${escapeHtml(modal.title)}</h3>` : ''}`
      + `<p>${escapeHtml(modal.content)}</p><footer>${cancel}<span>${escapeHtml(modal.confirmText)}</span></footer></div></wx-chrome-overlay>`;
  }
  if (actionSheet) {
    const items = actionSheet.items.map((item) => `<span>${escapeHtml(item)}</span>`).join('');
    return `<wx-chrome-overlay class="mask sheet"><div class="wx-sheet">${items}<span class="cancel">取消</span></div></wx-chrome-overlay>`;
  }
  return toastHtml(toast, loading);
}
