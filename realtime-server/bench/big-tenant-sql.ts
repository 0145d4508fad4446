/**
 * The statements and words big-tenant-load.ts writes its rows with. Everything random comes from
 * PostgreSQL's random() after setseed(), so a load of the same sizes gives the same rows.
 */
import { HISTORY } from '../src/seed/demo.content.js';

export const WORDS = {
  surnames: ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙'],
  surnamesPy: ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'zhou', 'wu', 'xu', 'sun'],
  given: ['建国', '芳', '娜', '志明', '静', '强', '海燕', '洋', '丽华', '勇', '军', '晓东', '婷', '欣怡'],
  givenPy: ['jianguo', 'fang', 'na', 'zhiming', 'jing', 'qiang', 'haiyan', 'yang', 'lihua', 'yong', 'jun', 'xiaodong', 'ting', 'xinyi'],
  cities: ['上海', '杭州', '苏州', '南京', '深圳', '广州', '成都', '武汉'],
  trades: ['明达贸易', '华信科技', '远航物流', '金桥建材', '瑞丰食品', '博雅文化', '恒通机电', '新禾农业', '海风渔业', '天成医疗'],
  tradesPy: ['mingda', 'huaxin', 'yuanhang', 'jinqiao', 'ruifeng', 'boya', 'hengtong', 'xinhe', 'haifeng', 'tiancheng'],
};

/** Three phrases per type, as reps type them on the phone. */
export const CONTENTS: Record<string, string[]> = {
  call: ['电话沟通了采购需求，对方关心交期', '客户希望下周再联系，先等内部预算', '回电确认了报价，对方在走内部审批'],
  wechat: ['微信发了新品目录，客户说先看看', '微信确认了送货地址和开票信息', '客户在微信上问了批量折扣'],
  visit: ['上门拜访，介绍了新品并留下样册', '现场考察仓库，量了货架尺寸', '拜访采购部，见到了新来的主管'],
  email: ['邮件发送报价单和产品手册', '邮件发了合同草稿，等法务意见', '邮件回复了技术参数的问题'],
  meeting: ['在客户会议室做了方案讲解，采购和仓储负责人都在', '和客户开了季度复盘会', '线上会议演示了系统，客户很感兴趣'],
  note: ['采购负责人是王经理，决策要报总经理', '对价格敏感，付款周期希望 60 天', '去年用的是竞品，合同年底到期'],
  other: ['寄出了样品，快递单号已发给客户', '参加了客户的供应商大会', '整理了客户的历史订单'],
};

/** What reps log, by weight (calls and WeChat most); a customer's newest record is always a contact. */
export const TYPES = [
  ...['call', 'call', 'call', 'call', 'call', 'call', 'wechat', 'wechat', 'wechat', 'wechat', 'wechat'],
  ...['visit', 'visit', 'email', 'email', 'meeting', 'note', 'note', 'note', 'other'],
];
export const LAST_TYPES = ['call', 'wechat', 'call', 'visit', 'meeting'];
/** Where visits happen: the demo's places, and two more. */
export const PLACES = [
  ...HISTORY.flatMap((h) => (h.place ? [h.place] : [])),
  { latitude: 30.2741, longitude: 120.1551, name: '客户办公室', address: '浙江省杭州市西湖区文三路 90 号' },
  { latitude: 31.2989, longitude: 120.5853, name: '苏州工业园区展厅', address: '江苏省苏州市工业园区星湖街 328 号' },
];

/** Per customer: whether it is a key account, its activity count, created and newest-activity times, owner. */
export const PLAN_TABLE = `CREATE TEMP TABLE bench_plan (i int PRIMARY KEY, heavy boolean, n int, created_at timestamptz,
  last_at timestamptz, owner_id int, u_status float8, u_edit float8)`;

/**
 * $1 customers, $2 activities, $3 now, $4 key-account stride, $5 reps, $6 manager. Key accounts (one
 * in 10,000, among the older half) get 1,500 to 5,000 activities up to the last two days; 30% of the
 * others none (leads nobody has called); the rest share what is left by a capped Pareto weight,
 * rounded at random. Created over two years in id order; owners: the reps, 2% the manager, 8% the pool.
 */
export const PLAN_SQL = `
INSERT INTO bench_plan
WITH base AS (
  SELECT i, (i <= $1::int / 2 AND i % $4::int = 1) AS heavy, random() AS u1, random() AS u2, random() AS u3,
    random() AS u4, random() AS u5, random() AS u6, random() AS u7, random() AS u8
  FROM generate_series(1, $1::int) AS i
), sized AS (
  SELECT *, CASE WHEN heavy THEN least(1500 + floor(u1 * 3500), $2::int / (4 * $1 / $4 + 4)) END AS heavy_n,
    CASE WHEN heavy OR u1 < 0.3 THEN 0 ELSE least(300, power(1 - u2, -1 / 1.3)) END AS w,
    $3::timestamptz - interval '730 days' * (($1 - i + u4) / $1) AS created
  FROM base
), shared AS (
  SELECT *, ($2 - sum(coalesce(heavy_n, 0)) OVER ()) * w / nullif(sum(w) OVER (), 0) AS share FROM sized
)
SELECT i, heavy, coalesce(heavy_n, floor(share + u3))::int, created,
  CASE WHEN heavy THEN $3::timestamptz - interval '2 days' * u5 ELSE created + ($3::timestamptz - created) * u5 END,
  CASE WHEN heavy THEN ($5::int[])[1 + (i / $4::int) % cardinality($5::int[])]
       WHEN u6 < 0.08 THEN NULL WHEN u6 < 0.10 THEN $6::int ELSE ($5::int[])[1 + (i / 3) % cardinality($5::int[])] END,
  CASE WHEN heavy THEN 0.7 ELSE u7 END, u8
FROM shared`;

// A mobile as people type it (plain, spaced, dashed, +86), a landline with its area code, or none.
const MOBILE = `(ARRAY['135','150','158','186','188'])[1 + p.i % 5] || lpad(((p.i::bigint / 5 * 7919) % 100000000)::text, 8, '0')`;
const AREA = `(ARRAY['0571','021','0755','010','025'])[1 + (p.i / 20) % 5]`;
const LAND = `lpad(((p.i::bigint * 7919) % 100000000)::text, 8, '0')`;

/** $1 id base, $2 tenant, $3 team, $4 now, $5 the words (jsonb). phone_key as phone.ts writes it (checked after). */
export const CUSTOMERS_SQL = `
INSERT INTO customers (id, tenant_id, team_id, name, company, phone, phone_key, email, status, owner_id, owned_since,
  address, last_contact_at, version, created_at, updated_at)
SELECT $1 + p.i, $2, $3,
  (w.j -> 'surnames' ->> (h.a % 12)::int) || (w.j -> 'given' ->> (h.a / 12 % 14)::int),
  (w.j -> 'cities' ->> (h.b % 8)::int) || (w.j -> 'trades' ->> (h.b / 8 % 10)::int) || '有限公司',
  CASE WHEN p.i % 20 < 10 THEN m.mobile
       WHEN p.i % 20 < 14 THEN substr(m.mobile, 1, 3) || ' ' || substr(m.mobile, 4, 4) || ' ' || substr(m.mobile, 8)
       WHEN p.i % 20 < 16 THEN substr(m.mobile, 1, 3) || '-' || substr(m.mobile, 4, 4) || '-' || substr(m.mobile, 8)
       WHEN p.i % 20 < 18 THEN '+86 ' || substr(m.mobile, 1, 3) || ' ' || substr(m.mobile, 4, 4) || ' ' || substr(m.mobile, 8)
       WHEN p.i % 20 = 18 THEN '(' || ${AREA} || ') ' || substr(${LAND}, 1, 4) || '-' || substr(${LAND}, 5) END,
  CASE WHEN p.i % 20 < 18 THEN '+86' || m.mobile WHEN p.i % 20 = 18 THEN '+86' || substr(${AREA}, 2) || ${LAND} END,
  CASE WHEN p.i % 7 <> 3 THEN (w.j -> 'surnamesPy' ->> (h.a % 12)::int) || '.' || (w.j -> 'givenPy' ->> (h.a / 12 % 14)::int)
    || p.i || '@' || (w.j -> 'tradesPy' ->> (h.b / 8 % 10)::int) || '.com.cn' END,
  CASE WHEN p.u_status < 0.35 THEN 'lead' WHEN p.u_status < 0.6 THEN 'prospect' WHEN p.u_status < 0.9 THEN 'active' ELSE 'inactive' END,
  p.owner_id, CASE WHEN p.owner_id IS NOT NULL THEN p.created_at END,
  (w.j -> 'cities' ->> (h.b % 8)::int) || '市' || (ARRAY['工业','人民','中山','解放','建设'])[1 + p.i % 5] || '路 ' || (1 + p.i % 999) || ' 号',
  CASE WHEN p.n > 0 THEN p.last_at END,
  1 + floor(p.u_edit * 3)::int, p.created_at,
  CASE WHEN p.u_edit < 1.0 / 3 THEN p.created_at ELSE p.created_at + ($4::timestamptz - p.created_at) * p.u_edit END
FROM bench_plan p
  CROSS JOIN (SELECT $5::jsonb AS j) w
  CROSS JOIN LATERAL (SELECT ${MOBILE} AS mobile) m
  -- Name and company parts drawn independently of each other and of the phone.
  CROSS JOIN LATERAL (SELECT hashint4(p.i)::bigint + 2147483648 AS a, hashint4(-p.i)::bigint + 2147483648 AS b) h
ORDER BY p.i`;

/**
 * $1 id base, $2 tenant, $3 team, $4 reps, $5 manager, $6 types, $7 last types, $8 contents, $9 places, $10 now.
 * A customer's records spread from its creation to its newest one; one in ten by the manager. Sorted
 * by time first (narrow rows), so ids and heap pages follow time as they do in production.
 */
export const ACTIVITIES_SQL = `
INSERT INTO activities (tenant_id, team_id, customer_id, actor_id, type, content, location, mentions, occurred_at, created_at)
SELECT $2, $3, x.customer_id, x.actor_id, x.type, ($8::jsonb -> x.type) ->> (x.k % 3),
  CASE WHEN x.type = 'visit' THEN $9::jsonb -> (x.k % jsonb_array_length($9::jsonb)) END, '{}', x.at,
  least($10::timestamptz, x.at + x.delay)
FROM (
  SELECT $1 + p.i AS customer_id,
    CASE WHEN random() < 0.1 THEN $5 ELSE coalesce(p.owner_id, ($4::int[])[1 + p.i % cardinality($4::int[])]) END AS actor_id,
    CASE WHEN j = p.n THEN ($7::text[])[1 + floor(random() * cardinality($7::text[]))::int]
         ELSE ($6::text[])[1 + floor(random() * cardinality($6::text[]))::int] END AS type,
    floor(random() * 1000)::int AS k,
    CASE WHEN j = p.n THEN p.last_at ELSE p.created_at + (p.last_at - p.created_at) * ((j - 1 + random()) / p.n) END AS at,
    random() * interval '20 minutes' AS delay
  FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.n) AS j
  ORDER BY at
) x`;
