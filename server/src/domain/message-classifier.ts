// Which reportable item a chat-group message is about (the "water,
// electricity, gas, road" robot, 水电气路). Pure: a message in, an item code
// (or none) out, with the evidence, so a duty officer can see why.
//
// How it decides:
// 1. Phrases. ROBOT_PHRASES (below, easy to extend) and every catalogue
//    item's own `keywords` are looked up as substrings. Where two matches
//    overlap, the longer one stands (水管爆 beats 水管, 下水道 hides its 水).
// 2. Bare utilities. A lone 水 / 电 / 气 / 路 counts for its outage (or
//    pothole) item only when the same clause also says something is wrong
//    (停, 断, 没, 坏, 坑 ...) and it is not part of an everyday word (天气,
//    电话, 水果, 路过 ...): "水电都停了" names both water and power.
// 3. What does not count: a match right after a negation (没有煤气味, 不会停水),
//    every match of a message that announces (停水通知, 计划, 预计, 将于 ...)
//    or asks about the future (明天会停水吗), and matches in a clause saying
//    it is over (恢复了, 修好了, 来电了) or before it.
// 4. The winner: the item with the longest matched phrase (the most specific
//    evidence); then the one with more distinct phrases; then the graver
//    level (when unsure, the item that needs the faster response); then the
//    one mentioned first. So "水电都停了" is a water outage (both level 2,
//    water named first) and "停电了，还闻到煤气味" is a gas leak.
// 5. Not enough: an item resting on one single-character catalogue keyword
//    (桥, 坑, 偷, 狗 ...) and nothing else is too weak to file a level-1 item
//    on; such a message stays unclassified for a duty officer.
import { CATALOGUE_ITEMS, catalogueItem } from '../../../shared/catalogue.ts';

/** The robot's phrase table, by item code: the words residents use in group chats. Add phrases here. */
export const ROBOT_PHRASES: Record<string, readonly string[]> = {
  // water
  'MS-01': ['爆管', '水管爆', '水管破裂', '水管裂了', '主管爆裂', '大面积停水', '水管炸了'],
  'MS-04': ['停水', '没水', '没有水', '断水', '不出水', '水压低', '水压小', '水很小', '自来水停', '没来水'],
  'MS-11': ['漏水', '水管漏', '渗水', '滴水', '水管'],
  // electricity
  'MS-02': ['电线断', '电线掉', '电线落地', '电线垂', '电线杆倒', '断线', '漏电', '触电', '电线冒火', '电线着火', '电线'],
  'MS-05': ['停电', '没电', '没有电', '断电', '跳闸', '电闸跳', '没来电'],
  // gas: a gas SMELL is the level-1 gas leak, not an outage
  'AQ-03': ['煤气味', '燃气味', '天然气味', '液化气味', '闻到煤气', '闻到燃气', '闻到天然气', '漏气', '燃气泄漏', '煤气泄漏', '天然气泄漏'],
  'MS-06': ['停气', '没气', '没有气', '燃气停', '天然气停', '打不着火', '燃气', '天然气'],
  // road
  'MS-07': ['塌陷', '路面下沉', '地陷', '路塌', '大坑'],
  'MS-09': ['坑洼', '坑坑洼洼', '路面破损', '路坏', '路面坏', '路烂', '路面开裂', '有个坑', '一个坑', '好多坑', '路上有坑', '坑'],
  'MS-12': ['井盖', '窨井', '窨井盖', '井口', '下水井'],
};

interface BareUtility {
  char: string;
  itemCode: string;
  /** Words in the same clause that say something is wrong with it. */
  trouble: readonly string[];
  /** Everyday words containing the character that are not about the utility. */
  ignore: readonly string[];
}

const UTILITY_TROUBLE = ['停', '断', '没', '无', '不来', '不出', '不通', '故障', '坏'];
const ROAD_TROUBLE = ['坏', '烂', '破', '裂', '不平', '坑', '塌', '陷', '鼓包'];

/** Lone 水电气路. */
export const BARE_UTILITIES: readonly BareUtility[] = [
  { char: '水', itemCode: 'MS-04', trouble: UTILITY_TROUBLE, ignore: ['水果', '水平', '薪水', '口水', '水电费', '水费', '泪水', '喝水', '开水', '热水器', '水杯'] },
  { char: '电', itemCode: 'MS-05', trouble: UTILITY_TROUBLE, ignore: ['电话', '电视', '电脑', '电影', '电费', '水电费', '充电', '电动', '电瓶', '电商', '电子', '电器', '手电'] },
  { char: '气', itemCode: 'MS-06', trouble: UTILITY_TROUBLE, ignore: ['天气', '生气', '空气', '气温', '客气', '运气', '脾气', '力气', '暖气', '气球', '气氛', '名气', '勇气', '气死', '气人', '叹气', '气愤'] },
  { char: '路', itemCode: 'MS-09', trouble: ROAD_TROUBLE, ignore: ['路过', '一路', '思路', '路费', '路线', '走路', '路人', '网路', '线路'] },
];

/** Right before a match (within two characters): it is denied. */
const NEGATIONS = ['不', '没', '无', '未', '别', '非'];
/** Anywhere in the message: an announcement of planned work, not a report. */
const ANNOUNCEMENT = ['通知', '公告', '计划停', '预计', '将于', '温馨提示'];
/** In a clause: a question about the future. */
const HYPOTHETICAL = ['会不会', '是否会', '要不要', '会停'];
/** In a clause: it is over (this clause and the ones before it no longer count). */
const RESOLVED = ['恢复', '修好', '已解决', '解决了', '处理好', '来电了', '来水了', '来气了', '电来了', '水来了', '气来了', '通了'];

const CLAUSE_BREAK = /[，,。.！!？?；;、\n~～…]+/;

export interface Candidate {
  itemCode: string;
  /** Distinct phrases that point at it, in order of first appearance. */
  phrases: string[];
  longest: number;
  level: number;
  firstAt: number;
}

export interface Classification {
  /** The recognised item, or null: keep the message for a duty officer. */
  itemCode: string | null;
  /** The phrases behind the winner (empty when none). */
  matched: string[];
  /** Other items the message also pointed at, most likely first. */
  alsoMentioned: string[];
  /** Phrases found but not counted (negated, announced, asked, or over), for the duty officer. */
  ignored: string[];
}

interface Phrase {
  text: string;
  itemCode: string;
}

interface Match extends Phrase {
  start: number;
  end: number;
}

/** Robot phrases first, then every catalogue keyword: one list, longest first so overlaps resolve to the longer phrase. */
function buildPhrases(): Phrase[] {
  const seen = new Set<string>();
  const out: Phrase[] = [];
  const add = (text: string, itemCode: string) => {
    const key = `${itemCode}\u0000${text}`;
    if (!text || seen.has(key)) return;
    seen.add(key);
    out.push({ text, itemCode });
  };
  for (const [itemCode, phrases] of Object.entries(ROBOT_PHRASES)) {
    if (!catalogueItem(itemCode)) throw new Error(`ROBOT_PHRASES names unknown item ${itemCode}`);
    for (const p of phrases) add(p, itemCode);
  }
  for (const item of CATALOGUE_ITEMS) for (const k of item.keywords) add(k, item.code);
  return out.sort((a, b) => b.text.length - a.text.length);
}

const PHRASES = buildPhrases();

/** Full-width letters/digits/punctuation to ASCII, lower case, no spaces: chat text is messy. */
export function normalise(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .toLowerCase()
    .replace(/[ \t]+/g, '');
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Asking whether it happened ("是不是停气了", "有没有停水") is not denying it. */
const ASKING = ['是不是', '有没有', '是没是'];

function negatedAt(text: string, start: number, clauseStart: number): boolean {
  const from = Math.max(clauseStart, start - 2);
  if (ASKING.some((a) => text.slice(Math.max(clauseStart, start - a.length), start) === a)) return false;
  const before = text.slice(from, start);
  return NEGATIONS.some((n) => before.includes(n));
}

interface Clause {
  start: number;
  end: number;
  text: string;
}

function clausesOf(text: string): Clause[] {
  const out: Clause[] = [];
  let pos = 0;
  for (const part of text.split(CLAUSE_BREAK)) {
    const start = text.indexOf(part, pos);
    out.push({ start, end: start + part.length, text: part });
    pos = start + part.length;
  }
  return out;
}

/** Does the clause say something is wrong (a trouble word not itself denied: "水没停" is not trouble)? */
function hasTrouble(clause: Clause, trouble: readonly string[]): boolean {
  for (const word of trouble) {
    let at = clause.text.indexOf(word);
    while (at >= 0) {
      const prev = clause.text[at - 1] ?? '';
      const next = clause.text.slice(at + word.length, at + word.length + 1);
      const denied = NEGATIONS.includes(prev) || ((word === '没' || word === '无') && ['停', '断', '坏', '故'].includes(next));
      if (!denied) return true;
      at = clause.text.indexOf(word, at + 1);
    }
  }
  return false;
}

function isHypothetical(clause: string): boolean {
  if (HYPOTHETICAL.some((h) => clause.includes(h))) return true;
  // "明天会停水吗": a question about what will happen.
  return clause.includes('会') && /[吗么嘛]$/.test(clause);
}

function resolvedMarkerIn(clause: Clause, text: string): boolean {
  return RESOLVED.some((r) => {
    const at = clause.text.indexOf(r);
    // "一直没修好", "还没恢复": not over at all.
    return at >= 0 && !negatedAt(text, clause.start + at, clause.start);
  });
}

export function classifyMessage(raw: string): Classification {
  const text = normalise(raw);
  const clauses = clausesOf(text);
  const clauseOf = (pos: number) => clauses.find((c) => pos >= c.start && pos < c.end) ?? clauses[clauses.length - 1];

  // 1. Phrases, longest first; a shorter one overlapping a kept one is part of it.
  const kept: Match[] = [];
  for (const phrase of PHRASES) {
    let at = text.indexOf(phrase.text);
    while (at >= 0) {
      const match = { ...phrase, start: at, end: at + phrase.text.length };
      // The same span may stand for several items (a keyword two items share).
      if (!kept.some((k) => overlaps(k, match) && !(k.start === match.start && k.end === match.end))) kept.push(match);
      at = text.indexOf(phrase.text, at + 1);
    }
  }

  // 2. Bare utilities, where no phrase already covers the character.
  for (const u of BARE_UTILITIES) {
    let at = text.indexOf(u.char);
    while (at >= 0) {
      const span = { start: at, end: at + 1 };
      const inWord = u.ignore.some((w) => {
        for (let i = Math.max(0, at - w.length + 1); i <= at; i++) if (text.startsWith(w, i) && i + w.length > at) return true;
        return false;
      });
      if (!inWord && !kept.some((k) => overlaps(k, span)) && hasTrouble(clauseOf(at), u.trouble)) {
        kept.push({ text: u.char, itemCode: u.itemCode, ...span });
      }
      at = text.indexOf(u.char, at + 1);
    }
  }

  // 3. What does not count.
  const announcement = ANNOUNCEMENT.some((a) => text.includes(a));
  const lastResolved = clauses.reduce((last, c, i) => (resolvedMarkerIn(c, text) ? i : last), -1);
  const counted: Match[] = [];
  const ignored: string[] = [];
  for (const m of kept.sort((a, b) => a.start - b.start)) {
    const clause = clauseOf(m.start);
    const drop = announcement || negatedAt(text, m.start, clause.start) || isHypothetical(clause.text) || clauses.indexOf(clause) <= lastResolved;
    if (drop) {
      if (!ignored.includes(m.text)) ignored.push(m.text);
    } else {
      counted.push(m);
    }
  }

  // 4. Candidates and the winner.
  const byItem = new Map<string, Candidate>();
  for (const m of counted) {
    const c = byItem.get(m.itemCode) ?? { itemCode: m.itemCode, phrases: [], longest: 0, level: catalogueItem(m.itemCode)!.level, firstAt: m.start };
    if (!c.phrases.includes(m.text)) c.phrases.push(m.text);
    c.longest = Math.max(c.longest, m.text.length);
    byItem.set(m.itemCode, c);
  }
  const bare = new Set(BARE_UTILITIES.map((u) => u.char));
  // 5. One single-character catalogue keyword alone is not enough (a bare utility with its trouble word is).
  const strongEnough = (c: Candidate) => c.longest >= 2 || c.phrases.length >= 2 || c.phrases.some((p) => bare.has(p));
  const ranked = [...byItem.values()].filter(strongEnough).sort(compareCandidates);
  const winner = ranked[0];
  return {
    itemCode: winner?.itemCode ?? null,
    matched: winner?.phrases ?? [],
    alsoMentioned: ranked.slice(1).map((c) => c.itemCode),
    ignored,
  };
}

export function compareCandidates(a: Candidate, b: Candidate): number {
  return b.longest - a.longest
    || b.phrases.length - a.phrases.length
    || a.level - b.level
    || a.firstAt - b.firstAt
    || a.itemCode.localeCompare(b.itemCode);
}
