// Generated person names: common surnames of southern Jiangsu and given-name characters.
import type { Rng } from './random.ts';

const SURNAMES = '王张李陈刘杨赵黄周吴徐孙朱马胡郭林何高梁郑罗宋谢唐韩曹许邓冯曾程蔡彭潘袁于董余苏叶吕魏蒋田杜丁沈姜范江傅钟卢汪戴崔任陆廖姚方金邱夏谭贾邹石熊孟秦薛侯雷白龙段郝孔邵史毛常万顾严尹钱施洪龚殷柏笪解'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华霞平刚桂兰玉萍红建国文斌宇浩凯健俊帆雪琳晨欣怡佳嘉子涵梓轩雨萱志新海波春燕云飞鹏辉鑫婷倩颖晓东立成荣亮翠凤玲永兵坤峰德'.split('');

export function personName(rng: Rng): string {
  const given = rng() < 0.7 ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}
