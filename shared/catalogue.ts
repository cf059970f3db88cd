// The 70 reportable ("whistle", 吹哨) items of Zhenjiang New Area: 5 domains,
// 22 level-1, 22 level-2 and 26 level-3 items (level 1 is the gravest).
// The counts are from the source articles; the individual items are a
// plausible reconstruction of a grid-governance list, not a published one.
// `keywords` are the Chinese words the chat-group robot matches on.
import type { Catalogue, CatalogueItem, Domain, DomainInfo, Level, TimeLimit } from './schemas/catalogue.ts';

export const DOMAIN_INFO: DomainInfo[] = [
  { code: 'law_enforcement', name: '综合执法', nameEn: 'Comprehensive law enforcement' },
  { code: 'work_safety', name: '安全生产', nameEn: 'Work safety' },
  { code: 'public_order', name: '社会治安', nameEn: 'Public order' },
  { code: 'livelihood', name: '民生服务', nameEn: 'Livelihood services' },
  { code: 'ecology', name: '生态环保', nameEn: 'Ecology and environment' },
];

// Plausible defaults, NOT from the articles (they give no time limits):
// the graver the item, the faster someone must respond and resolve it.
export const TIME_LIMITS: TimeLimit[] = [
  { level: 1, responseMinutes: 15, resolutionHours: 24 },
  { level: 2, responseMinutes: 30, resolutionHours: 72 },
  { level: 3, responseMinutes: 120, resolutionHours: 168 },
];

/** Two-letter code prefix of each domain (pinyin initials). */
export const DOMAIN_PREFIX: Record<Domain, string> = {
  law_enforcement: 'ZF', // 执法
  work_safety: 'AQ', // 安全
  public_order: 'ZA', // 治安
  livelihood: 'MS', // 民生
  ecology: 'ST', // 生态
};

type Row = [level: Level, name: string, nameEn: string, keywords: string[]];

// Per domain, in code order (01, 02, ...), gravest first.
const ROWS: Record<Domain, Row[]> = {
  law_enforcement: [
    [1, '违法建筑倒塌危险', 'Illegal structure at risk of collapse', ['违建', '倒塌', '墙体开裂', '危墙']],
    [1, '户外广告牌坠落危险', 'Outdoor billboard at risk of falling', ['广告牌', '招牌', '坠落', '松动']],
    [1, '违规深基坑开挖险情', 'Unauthorised deep excavation endangering buildings', ['基坑', '挖掘', '塌方', '地基']],
    [2, '违法建设正在施工', 'Illegal construction in progress', ['违建', '搭建', '加盖', '私搭乱建']],
    [2, '擅自改变房屋用途', 'Home illegally converted to business use', ['住改商', '改用途', '开店', '改建']],
    [2, '渣土车抛洒滴漏', 'Muck truck spilling on the road', ['渣土', '抛洒', '泥头车', '撒落']],
    [2, '夜间违规施工扰民', 'Construction at night without permit', ['夜间施工', '施工噪音', '半夜施工']],
    [2, '装修拆改承重结构', 'Load-bearing wall removed during renovation', ['承重墙', '装修', '拆墙', '砸墙']],
    [3, '店外经营占道', 'Shop occupying the road', ['占道', '出店经营', '店外', '门前堆放']],
    [3, '流动摊贩', 'Street vendors', ['摊贩', '小贩', '摆摊', '流动摊']],
    [3, '乱张贴乱涂写', 'Illegal posters and graffiti', ['小广告', '乱贴', '涂鸦', '乱涂']],
    [3, '公共区域乱堆乱放', 'Clutter piled in a public space', ['乱堆', '乱放', '堆放', '杂物']],
    [3, '机动车乱停放', 'Illegally parked vehicles', ['乱停', '停车', '堵路', '占车位']],
    [3, '沿街晾晒', 'Laundry hung along the street', ['晾晒', '晒衣服', '晾衣']],
  ],
  work_safety: [
    [1, '危险化学品泄漏', 'Hazardous chemical leak', ['危化品', '化学品', '泄漏', '刺鼻']],
    [1, '火灾', 'Fire', ['着火', '起火', '火灾', '冒烟', '失火']],
    [1, '燃气泄漏爆炸危险', 'Gas leak with explosion risk', ['燃气泄漏', '煤气味', '液化气', '爆炸']],
    [1, '房屋倒塌危险', 'Building at risk of collapse', ['危房', '倒塌', '坍塌', '裂缝']],
    [1, '有限空间中毒窒息', 'Poisoning or asphyxiation in a confined space', ['有限空间', '中毒', '窒息', '井下']],
    [1, '特种设备事故', 'Special equipment accident (crane, lift, boiler)', ['塔吊', '起重机', '锅炉', '电梯事故']],
    [1, '脚手架坍塌高处坠落', 'Scaffolding collapse or fall from height', ['脚手架', '高空坠落', '坠落', '工地事故']],
    [2, '占用堵塞消防通道', 'Fire lane occupied or blocked', ['消防通道', '堵塞', '占用', '消防车']],
    [2, '电动车违规充电', 'E-bike charged in a corridor or by a flying cable', ['电动车', '充电', '飞线', '楼道充电']],
    [2, '消防设施损坏缺失', 'Fire-fighting equipment broken or missing', ['灭火器', '消火栓', '消防栓', '喷淋']],
    [2, '违规储存易燃易爆物品', 'Flammables or explosives stored illegally', ['易燃', '易爆', '仓库', '烟花爆竹']],
    [3, '安全出口指示损坏', 'Emergency exit sign or light broken', ['安全出口', '应急灯', '指示灯', '疏散']],
    [3, '楼道堆放杂物', 'Clutter in a stairwell', ['楼道', '堆物', '杂物', '堆放']],
    [3, '餐饮店违规使用气瓶', 'Restaurant using gas cylinders unsafely', ['气瓶', '煤气罐', '液化气罐', '饭店']],
  ],
  public_order: [
    [1, '群体性事件', 'Mass incident', ['聚集', '群体', '围堵', '闹事']],
    [1, '持械斗殴', 'Armed fight', ['打架', '斗殴', '持刀', '械斗']],
    [1, '老人儿童走失', 'Missing elderly person or child', ['走失', '失踪', '找不到人', '孩子丢了']],
    [1, '人员轻生险情', 'Person threatening suicide', ['跳楼', '轻生', '自杀', '跳河']],
    [1, '可疑爆炸物', 'Suspicious object or explosive', ['可疑', '包裹', '爆炸物', '可疑物品']],
    [2, '入室盗窃', 'Burglary or theft', ['偷', '被盗', '盗窃', '小偷']],
    [2, '电信诈骗', 'Telecom fraud', ['诈骗', '骗子', '转账', '被骗']],
    [2, '聚众赌博', 'Gambling den', ['赌博', '赌场', '赌钱', '打牌赌']],
    [2, '群租房安全隐患', 'Overcrowded illegal rental', ['群租', '出租屋', '隔断', '租客']],
    [3, '邻里纠纷', 'Neighbour dispute', ['纠纷', '吵架', '邻居', '矛盾']],
    [3, '噪音扰民', 'Noise nuisance', ['噪音', '吵闹', '扰民', '广场舞']],
    [3, '流浪犬不文明养犬', 'Stray or unleashed dogs', ['流浪狗', '流浪犬', '狗', '咬人']],
    [3, '劳资纠纷', 'Unpaid wages dispute', ['欠薪', '工资', '讨薪', '拖欠']],
    [3, '高空抛物', 'Objects thrown from height', ['高空抛物', '扔东西', '楼上扔', '抛物']],
  ],
  livelihood: [
    [1, '供水主管爆裂', 'Burst water main', ['爆管', '水管爆裂', '大面积停水', '喷水']],
    [1, '电线断落带电', 'Fallen live power line', ['电线', '断线', '漏电', '触电', '电线杆']],
    [1, '桥梁涵洞结构险情', 'Bridge or culvert structurally unsafe', ['桥', '桥梁', '涵洞', '护栏断']],
    [2, '整栋楼停水', 'Water outage in a whole building', ['停水', '没水', '水压低', '断水']],
    [2, '整栋楼停电', 'Power outage in a whole building', ['停电', '没电', '跳闸', '断电']],
    [2, '整栋楼停气', 'Gas outage in a whole building', ['停气', '没气', '燃气', '天然气']],
    [2, '道路塌陷', 'Road collapse', ['塌陷', '路面下沉', '地陷', '大坑']],
    [2, '住宅电梯停运', 'Residential lift out of service', ['电梯', '停运', '电梯坏', '困人']],
    [3, '路面坑洼', 'Pothole', ['坑', '坑洼', '路面破损', '路坏']],
    [3, '路灯不亮', 'Broken street lamp', ['路灯', '不亮', '灯坏', '照明']],
    [3, '户内水管漏水', 'Leaking pipe in a home', ['漏水', '水管', '渗水', '滴水']],
    [3, '窨井盖缺失破损', 'Missing or broken manhole cover', ['井盖', '窨井', '窨井盖', '井口']],
    [3, '下水道堵塞', 'Blocked sewer', ['下水道', '堵塞', '污水外溢', '化粪池']],
    [3, '生活垃圾未清运', 'Household rubbish not collected', ['垃圾', '清运', '满溢', '垃圾桶']],
  ],
  ecology: [
    [1, '重大污染排放', 'Major pollution discharge', ['排污', '偷排', '污水', '黑水']],
    [1, '防汛堤防险情', 'Flood or dyke danger', ['堤坝', '管涌', '决口', '漫堤', '溃堤']],
    [1, '长江水域油污', 'Oil spill on the Yangtze', ['油污', '油膜', '长江', '船舶漏油']],
    [1, '饮用水源污染', 'Drinking water source polluted', ['水源', '死鱼', '水发臭', '饮用水']],
    [2, '危险废物非法倾倒', 'Illegal dumping of hazardous waste', ['危废', '倾倒', '废油', '废液']],
    [2, '露天焚烧', 'Open burning', ['焚烧', '烧秸秆', '烧垃圾', '浓烟']],
    [2, '企业废气超标', 'Industrial exhaust emissions', ['废气', '异味', '臭味', '烟囱']],
    [2, '河道非法采砂侵占', 'Illegal sand mining or river encroachment', ['采砂', '挖沙', '河道', '侵占河道']],
    [3, '乱扔垃圾', 'Littering', ['乱扔', '垃圾', '烟头', '乱丢']],
    [3, '河道漂浮物', 'Floating rubbish on a waterway', ['漂浮物', '河面垃圾', '水葫芦', '河面']],
    [3, '工地扬尘', 'Dust from a building site', ['扬尘', '灰尘', '工地', '未覆盖']],
    [3, '餐饮油烟', 'Restaurant cooking fumes', ['油烟', '烧烤', '排烟']],
    [3, '绿化损坏', 'Damaged greenery', ['绿化', '毁绿', '树木', '砍树']],
    [3, '积水黑臭', 'Stagnant, smelly water', ['积水', '黑臭', '蚊虫', '臭水']],
  ],
};

export const CATALOGUE_ITEMS: CatalogueItem[] = DOMAIN_INFO.flatMap(({ code: domain }) =>
  ROWS[domain].map(([level, name, nameEn, keywords], i) => ({
    code: `${DOMAIN_PREFIX[domain]}-${String(i + 1).padStart(2, '0')}`,
    name,
    nameEn,
    domain,
    level,
    keywords,
  })),
);

export const CATALOGUE: Catalogue = { domains: DOMAIN_INFO, timeLimits: TIME_LIMITS, items: CATALOGUE_ITEMS };

const ITEMS_BY_CODE = new Map(CATALOGUE_ITEMS.map((item) => [item.code, item]));

/** The item with this code, or undefined. */
export function catalogueItem(code: string): CatalogueItem | undefined {
  return ITEMS_BY_CODE.get(code);
}

/** The default time limits of a level. */
export function timeLimitOf(level: Level): TimeLimit {
  const limit = TIME_LIMITS.find((t) => t.level === level);
  if (!limit) throw new Error(`no time limit for level ${level}`);
  return limit;
}
