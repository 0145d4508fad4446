// The phone every preview is drawn on: an iPhone X-class screen (375 x 812 pt) as WeChat reports it.
export const STATUS_BAR_HEIGHT = 44;
export const NAV_BAR_HEIGHT = 44;
export const TAB_BAR_HEIGHT = 50;
export const SAFE_AREA_BOTTOM = 34;
export const SCREEN = { width: 375, height: 812 };

/** Window height as the page sees it: below the navigation bar, above the tab bar when it has one. */
export function windowHeight({ customNav = false, tabBar = false } = {}) {
  const top = customNav ? 0 : STATUS_BAR_HEIGHT + NAV_BAR_HEIGHT;
  const bottom = tabBar ? TAB_BAR_HEIGHT + SAFE_AREA_BOTTOM : 0;
  return SCREEN.height - top - bottom;
}

export function windowInfo(options) {
  const height = windowHeight(options);
  return {
    pixelRatio: 2,
    screenWidth: SCREEN.width,
    screenHeight: SCREEN.height,
    windowWidth: SCREEN.width,
    windowHeight: height,
    statusBarHeight: STATUS_BAR_HEIGHT,
    screenTop: SCREEN.height - height,
    safeArea: { left: 0, right: SCREEN.width, top: STATUS_BAR_HEIGHT, bottom: SCREEN.height - SAFE_AREA_BOTTOM,
      width: SCREEN.width, height: SCREEN.height - STATUS_BAR_HEIGHT - SAFE_AREA_BOTTOM },
  };
}

/** WeChat's capsule (the "..." and close buttons) sits in the navigation bar at these coordinates. */
export const MENU_BUTTON = { width: 87, height: 32, top: 48, right: 368, bottom: 80, left: 281 };
