import { describe, expect, test } from 'vitest';
import { en } from '../i18n/en';
import { zhCN, type MessageKey } from '../i18n/zh-CN';

const keys = Object.keys(zhCN) as MessageKey[];

describe('one word for one thing in zh-CN', () => {
  test('a meeting is 会议 on every label (task type, activity, weekly report), never 会面', () => {
    const meetingLabels = keys.filter((k) => /^(meeting|mtgs)$/i.test(en[k]));
    expect(meetingLabels).toEqual(expect.arrayContaining(['taskType.meeting', 'activityType.meeting', 'report.meetings']));
    expect(meetingLabels.map((k) => [k, zhCN[k]])).toEqual(meetingLabels.map((k) => [k, '会议']));
    expect(keys.filter((k) => zhCN[k].includes('会面'))).toEqual([]);
  });
});
