import { describe, expect, it } from 'vitest';
import { changeRefusal, checkNewPassword, characterClasses, containsUsername } from './password-rules.ts';

const failing = (pw: string, confirm = pw, user = 'duty.district') =>
  checkNewPassword(pw, confirm, user).filter((c) => !c.ok).map((c) => c.rule);

describe('checkNewPassword', () => {
  it('ticks every rule for a good password', () => {
    expect(failing('Harbour-Lights-42')).toEqual([]);
  });

  it('names each rule a password breaks', () => {
    expect(failing('Ab1!')).toEqual(['length']);
    expect(failing('onlylowercaseletters')).toEqual(['classes']);
    expect(failing('Duty.District-2026')).toEqual(['username']);
    expect(failing('Harbour-Lights-42', 'Harbour-Lights-43')).toEqual(['confirm']);
    expect(failing('')).toEqual(['length', 'classes', 'username', 'confirm']);
  });

  it('counts classes and catches the username reversed, like the server', () => {
    expect(characterClasses('abcDEF123')).toBe(3);
    expect(characterClasses('aB3$')).toBe(4);
    expect(containsUsername('xx-tcirtsid.ytud-yy', 'duty.district')).toBe(true);
    expect(containsUsername('ab', 'ab')).toBe(false);
  });
});

describe('changeRefusal', () => {
  it('tells a wrong current password, a reused one and a policy breach apart', () => {
    expect(changeRefusal(401, 'the current password is wrong')).toBe('wrong-current');
    expect(changeRefusal(400, 'new password must differ from your last 5 passwords')).toBe('history');
    expect(changeRefusal(400, 'new password must be at least 10 characters long')).toBe('policy');
    expect(changeRefusal(500, null)).toBe('other');
  });
});
