/** `refused`: the user did not agree to the privacy guide (the consent sheet has said what that means). */
export type CopyResult = 'copied' | 'refused' | 'failed';

/** A privacy API: the first copy asks for consent (services/privacy). WeChat confirms a copy itself. */
export function copyText(data: string): Promise<CopyResult> {
  return new Promise((resolve) => {
    wx.setClipboardData({
      data,
      success: () => resolve('copied'),
      fail: (res) => resolve(/privacy/i.test(res.errMsg) ? 'refused' : 'failed'),
    });
  });
}
