import { describe, expect, it } from 'vitest';
import { CATALOGUE_ITEMS, catalogueItem } from '../../../shared/catalogue.ts';
import { BARE_UTILITIES, classifyMessage, compareCandidates, normalise, ROBOT_PHRASES } from './message-classifier.ts';

const item = (text: string) => classifyMessage(text).itemCode;

describe('water, electricity, gas, road (水电气路)', () => {
  it.each([
    ['小区停水了，什么时候来水？', 'MS-04'],
    ['家里没有水了', 'MS-04'],
    ['3栋一早就不出水，水压也太低', 'MS-04'],
    ['楼上漏水，把我家天花板泡了', 'MS-11'],
    ['厨房水管漏了，已经报修，师傅说明天来', 'MS-11'],
    ['水管爆了，水漫出来了', 'MS-01'],
    ['路口那边爆管了，大面积停水', 'MS-01'],
    ['６栋又停电了？', 'MS-05'],
    ['3号楼跳闸了，整栋楼都没电', 'MS-05'],
    ['楼道里电线掉下来了，大家别碰', 'MS-02'],
    ['有人触电了！快来人', 'MS-02'],
    ['天然气没气了，饭都做不了', 'MS-06'],
    ['燃气灶打不着火，是不是停气了', 'MS-06'],
    ['马路中间井盖没了，晚上很危险', 'MS-12'],
    ['这条路坏了好久了', 'MS-09'],
    ['路上有个坑，电动车差点摔了', 'MS-09'],
    ['路面塌陷了一个大坑', 'MS-07'],
    ['下水道堵了，污水冒出来', 'MS-13'],
    ['ＸＸ小区　停水了！！', 'MS-04'],
  ])('%s → %s', (text, code) => {
    expect(item(text)).toBe(code);
  });

  it('a gas SMELL is the level-1 gas leak, not a gas outage', () => {
    for (const text of ['门口有一股很浓的煤气味，大家注意', '楼道里闻到燃气味道', '3单元好像漏气了']) {
      expect(item(text), text).toBe('AQ-03');
      expect(catalogueItem('AQ-03')!.level).toBe(1);
    }
  });

  it('a bare 水/电/气/路 counts only with something wrong in the same clause, and not inside an everyday word', () => {
    expect(item('水电都停了')).toBe('MS-04');
    expect(item('电来了，但是水还没来')).toBe('MS-04');
    expect(item('这段路烂得不成样子')).toBe('MS-09');
    expect(item('今天天气真好')).toBeNull();
    expect(item('水电费在哪里交')).toBeNull();
    expect(item('谁的电话打不通')).toBeNull();
    expect(item('气死了，又停水了')).toBe('MS-04');
    expect(item('路过看到好多人')).toBeNull();
  });
});

describe('ambiguity: the most specific evidence wins, then the graver item, then the first named', () => {
  it('"水电都停了" is a water outage that also mentions power (both level 2; water is named first)', () => {
    const result = classifyMessage('水电都停了');
    expect(result).toEqual({ itemCode: 'MS-04', matched: ['水'], alsoMentioned: ['MS-05'], ignored: [] });
    expect(classifyMessage('电水都停了').itemCode).toBe('MS-05');
    expect(classifyMessage('停水停电').alsoMentioned).toEqual(['MS-05']);
  });

  it('a longer, more specific phrase beats a shorter one', () => {
    // 水管爆 (burst main, level 1) over 水管 (leaking pipe); 闻到煤气 over 停电.
    expect(item('水管爆了')).toBe('MS-01');
    const gas = classifyMessage('停电了，还闻到煤气味');
    expect(gas.itemCode).toBe('AQ-03');
    expect(gas.alsoMentioned).toContain('MS-05');
  });

  it('more phrases for one item beat a single phrase of the same length', () => {
    const r = classifyMessage('电梯坏了，困人了');
    expect(r.itemCode).toBe('MS-08');
    expect(r.matched).toEqual(['电梯坏', '困人']);
  });

  it('orders candidates by length, count, level, position, code', () => {
    const base = { itemCode: 'MS-04', phrases: ['停水'], longest: 2, level: 2, firstAt: 0 };
    expect(compareCandidates(base, { ...base, itemCode: 'AQ-03', longest: 3 })).toBeGreaterThan(0);
    expect(compareCandidates(base, { ...base, itemCode: 'MS-05', phrases: ['停电', '没电'] })).toBeGreaterThan(0);
    expect(compareCandidates(base, { ...base, itemCode: 'MS-01', level: 1 })).toBeGreaterThan(0);
    expect(compareCandidates(base, { ...base, itemCode: 'MS-05', firstAt: 3 })).toBeLessThan(0);
  });
});

describe('what does not count', () => {
  it('a negated match', () => {
    expect(classifyMessage('没有煤气味了')).toEqual({ itemCode: null, matched: [], alsoMentioned: [], ignored: ['煤气味'] });
    expect(item('已经不漏水了')).toBeNull();
    expect(item('我们楼没停电')).toBeNull();
    expect(item('水没停')).toBeNull();
    // "不停地" is not a negation of what follows it.
    expect(item('水龙头不停地滴水')).toBe('MS-11');
  });

  it('asking whether it happened is not denying it', () => {
    expect(item('有没有停水啊')).toBe('MS-04');
    expect(item('是不是停电了')).toBe('MS-05');
  });

  it('announcements of planned work and questions about the future', () => {
    expect(item('停水通知：因管网改造，明天8:00-12:00停水')).toBeNull();
    expect(item('温馨提示：本周六预计停电半天')).toBeNull();
    expect(item('明天会停水吗？')).toBeNull();
    expect(item('会不会停电啊')).toBeNull();
  });

  it('what is over: the clause saying so and those before it', () => {
    expect(item('昨天停电，今天已经恢复了')).toBeNull();
    expect(item('来电了，谢谢物业')).toBeNull();
    expect(classifyMessage('昨天停电，今天已经恢复了').ignored).toEqual(['停电']);
    // Not over at all.
    expect(item('一直没修好，还在漏水')).toBe('MS-11');
    expect(item('还没恢复，停水第三天了')).toBe('MS-04');
  });

  it('chatter and one weak single-character keyword stay unclassified for a duty officer', () => {
    for (const text of ['收到，谢谢', '大家晚上好', '我在桥边等你', '谁家的狗又在叫', '', '   ']) {
      expect(item(text), text).toBeNull();
    }
  });
});

describe('the rest of the catalogue', () => {
  it('recognises any item by its catalogue keywords', () => {
    expect(item('小区里有人打架')).toBe('ZA-02');
    expect(item('小孩走失了，穿红衣服')).toBe('ZA-03');
    expect(item('附近工地夜间施工，吵得睡不着')).toBe('ZF-07');
    expect(item('煤气罐放在楼道里')).toBe('AQ-14');
    expect(item('小区路灯不亮')).toBe('MS-10');
    expect(item('垃圾好几天没人收了')).toBe('MS-14');
  });

  it('finds every item by each of its multi-character keywords', () => {
    for (const it of CATALOGUE_ITEMS) {
      for (const keyword of it.keywords.filter((k) => k.length >= 2)) {
        const r = classifyMessage(`这里${keyword}，请处理`);
        // The keyword must count for its own item (another item may share it and win a tie).
        expect([r.itemCode, ...r.alsoMentioned], `${it.code} ${keyword}`).toContain(it.code);
      }
    }
  });

  it('names only catalogue items in its own tables', () => {
    for (const code of Object.keys(ROBOT_PHRASES)) expect(catalogueItem(code), code).toBeDefined();
    for (const u of BARE_UTILITIES) expect(catalogueItem(u.itemCode), u.char).toBeDefined();
  });
});

describe('normalise', () => {
  it('folds full-width characters, case and spaces', () => {
    expect(normalise('ＡＢ　停 水！')).toBe('ab停水!');
  });
});
