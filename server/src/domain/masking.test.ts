import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from './masking.ts';

describe('masking', () => {
  it('masks mobile numbers the way Chinese services do', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('masks other numbers without revealing more than a third at each end', () => {
    expect(maskPhone('051185551234')).toBe('051******234');
    expect(maskPhone('110')).toBe('***');
  });
  it('masks an 18-character ID number, keeping the last four', () => {
    expect(maskIdNumber('32118119900101123X')).toBe('321***********123X');
    expect(maskIdNumber('32118119900101123X')).not.toContain('19900101');
    expect(maskIdNumber('123')).toBe('***');
  });
  it('masks Chinese and latin names', () => {
    expect(maskName('王成亮')).toBe('王*亮');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('王亮')).toBe('王*');
    expect(maskName('Li Wei')).toBe('L* W**');
  });
});
