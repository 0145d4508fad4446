import type { ActivityLocation, ContactRole, LoggableActivityType, TaskType } from '@live-crm/shared-types';

// The words of the demo seed: what a Chinese sales team would type into the product.

export const CONTACTS = 24;

/** Why the last customers of each team went back to the pool (公海), as their reps wrote it. */
export const POOL_REASONS = ['客户暂无采购计划，明年再联系', '联系人离职，需要重新开发', '多次联系未回复'];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙'];
const GIVEN = ['建国', '芳', '娜', '志明', '静', '强', '海燕', '洋', '丽华', '勇', '军', '晓东', '婷', '欣怡'];
const CITIES = ['上海', '杭州', '苏州', '南京', '深圳', '广州', '成都', '武汉'];
const TRADES = ['明达贸易', '华信科技', '远航物流', '金桥建材', '瑞丰食品', '博雅文化', '恒通机电', '新禾农业'];

const SURNAMES_PY = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'zhou', 'wu', 'xu', 'sun'];
const GIVEN_PY = [
  'jianguo',
  'fang',
  'na',
  'zhiming',
  'jing',
  'qiang',
  'haiyan',
  'yang',
  'lihua',
  'yong',
  'jun',
  'xiaodong',
  'ting',
  'xinyi',
];
const TRADES_PY = ['mingda', 'huaxin', 'yuanhang', 'jinqiao', 'ruifeng', 'boya', 'hengtong', 'xinhe'];

export const contactFor = (k: number): string => `${SURNAMES[k % SURNAMES.length]}${GIVEN[(k * 5) % GIVEN.length]}`;

/**
 * The contact's work address at their company's domain, as people write it in pinyin. `team` keeps
 * the same person-and-company pair in two teams from sharing one address (a duplicate in the tenant).
 */
export const emailFor = (k: number, team: number): string =>
  `${SURNAMES_PY[k % SURNAMES_PY.length]}.${GIVEN_PY[(k * 5) % GIVEN_PY.length]}${team ? team + 1 : ''}@${TRADES_PY[(k * 3) % TRADES_PY.length]}.com.cn`;

/** One customer per team has the long registered name real companies often carry. */
export function companyFor(k: number, i: number): string {
  if (i === 1) return `${CITIES[k % CITIES.length]}浦江国际供应链管理与跨境电子商务服务有限公司`;
  return `${CITIES[k % CITIES.length]}${TRADES[(k * 3) % TRADES.length]}有限公司`;
}

export const DEALS = ['年度采购框架协议', '仓储系统升级', '华东区域代理', '设备批量订购', '季度补货合同', '定制包装方案'];

export const TASKS: Array<{ title: string; type: TaskType }> = [
  { title: '回电确认报价', type: 'call' },
  { title: '发送合同草稿', type: 'email' },
  { title: '安排产品演示', type: 'meeting' },
  { title: '季度回访', type: 'follow-up' },
];

/** A record as a rep logs it; a visit carries the place `wx.chooseLocation` picked. */
export const HISTORY: Array<{ type: LoggableActivityType; content: string; place?: ActivityLocation }> = [
  { type: 'call', content: '电话沟通了采购需求，对方关心交期' },
  {
    type: 'visit',
    content: '上门拜访，介绍了新品并留下样册',
    place: { latitude: 31.2304, longitude: 121.4737, name: '客户总部', address: '上海市黄浦区人民大道 200 号' },
  },
  { type: 'email', content: '邮件发送报价单和产品手册' },
  { type: 'meeting', content: '在客户会议室做了方案讲解，采购和仓储负责人都在' },
  { type: 'call', content: '客户希望下周再联系，先等内部预算' },
  {
    type: 'visit',
    content: '现场考察仓库，量了货架尺寸',
    place: { latitude: 31.3416, longitude: 121.2654, name: '嘉定物流园 3 号仓', address: '上海市嘉定区兴贤路 1180 号' },
  },
];

/** The people at a customer: the one who signs, and the one who uses what we sell. */
export const PEOPLE: Array<{ title: string; role: ContactRole; primary: boolean }> = [
  { title: '采购总监', role: 'decision-maker', primary: true },
  { title: '仓储主管', role: 'user', primary: false },
];

export const NOTES = ['采购负责人是王经理，决策要报总经理', '对价格敏感，付款周期希望 60 天', '去年用的是竞品，合同年底到期'];
