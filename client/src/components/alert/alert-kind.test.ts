import { describe, expect, it } from 'vitest';
import { alertKindKey } from './alert-kind.ts';
import { zhCN as zh } from '../../i18n/zh-CN.ts';
import { en } from '../../i18n/en.ts';

const lookup = (messages: unknown, key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);

describe('alertKindKey', () => {
  it('names an overdue alert by its stage, or its self-escalation', () => {
    expect(alertKindKey({ kind: 'overdue', data: { stage: 'response' } })).toBe('screen.overdueStage.response');
    expect(alertKindKey({ kind: 'overdue', data: { stage: 'handling' } })).toBe('screen.overdueStage.handling');
    expect(alertKindKey({ kind: 'overdue', data: { stage: 'verification' } })).toBe('screen.overdueStage.verification');
    expect(alertKindKey({ kind: 'overdue', data: { stage: 'response', escalatedTo: 'town' } })).toBe('screen.overdueStage.escalated');
    expect(alertKindKey({ kind: 'overdue', data: {} })).toBe('screen.overdueStage.response');
    expect(alertKindKey({ kind: 'cluster', data: { count: 3 } })).toBe('screen.alertKind.cluster');
  });

  it('every key it gives is worded in both languages', () => {
    const keys = ['response', 'handling', 'verification'].map((stage) => alertKindKey({ kind: 'overdue', data: { stage } }))
      .concat(alertKindKey({ kind: 'overdue', data: { escalatedTo: 'district' } }), alertKindKey({ kind: 'fire_alarm' }));
    for (const key of keys) {
      expect(typeof lookup(zh, key), `zh-CN ${key}`).toBe('string');
      expect(typeof lookup(en, key), `en ${key}`).toBe('string');
    }
    expect(lookup(zh, 'screen.overdueStage.handling')).toBe('超时未办结');
  });
});
