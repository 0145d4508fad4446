import { describe, expect, it } from 'vitest';
import { phoneKey } from '../src/phone.js';

describe('phoneKey: one key per phone number, however it is typed', () => {
  it('gives a Chinese mobile typed any common way the same E.164 key', () => {
    for (const typed of [
      '13800138000',
      '138 0013 8000',
      '138-0013-8000',
      '+86 138-0013-8000',
      '+8613800138000',
      '008613800138000',
      '0086 138 0013 8000',
      '8613800138000',
      '(+86) 138.0013.8000',
      '+86 (0)138 0013 8000',
      '＋８６ １３８ ００１３ ８０００',
      '138\u30000013\u30008000',
    ])
      expect(phoneKey(typed), typed).toBe('+8613800138000');
  });

  it('places landlines by their area code, dropping the trunk 0', () => {
    expect(phoneKey('(0571) 8888-1234')).toBe('+8657188881234');
    expect(phoneKey('0571-88881234')).toBe('+8657188881234');
    expect(phoneKey('+86 571 8888 1234')).toBe('+8657188881234');
    expect(phoneKey('+86 (0571) 8888 1234')).toBe('+8657188881234');
    expect(phoneKey('010-6552 9988')).toBe('+861065529988');
  });

  it('keeps other countries as they say, and a local number without area code as its digits', () => {
    expect(phoneKey('+1 (415) 555-2671')).toBe('+14155552671');
    expect(phoneKey('001 415 555 2671')).toBe('+14155552671');
    expect(phoneKey('+852 9123 4567')).toBe('+85291234567');
    expect(phoneKey('8888 1234')).toBe('88881234');
  });

  it('answers null for what is not a phone number', () => {
    for (const typed of [
      null,
      undefined,
      '',
      '   ',
      '12ab',
      '1234',
      '138+0013',
      '+',
      '00',
      '1'.repeat(21),
      '138 0013 8000 ext 5',
      '１２',
    ]) {
      expect(phoneKey(typed), String(typed)).toBeNull();
    }
  });
});
