/* sample_names -- the word lists of `keqing sample` (see sample_names.h).
 *
 * Lists are static tables; functions draw from them with the caller's
 * generator and build names into caller-owned buffers (no allocation).
 */
#include "sample_names.h"
#include "rng.h"

#include <string.h>

#define NELEM(a) (sizeof a / sizeof a[0])

static const struct sample_names_big bigs[SAMPLE_NAMES_NBIG] = {
    {"EAST", "华东大区"},     {"SOUTH", "华南大区"},   {"NORTH", "华北大区"},
    {"CENTRAL", "华中大区"},  {"SW", "西南大区"},      {"NW", "西北大区"},
    {"NE", "东北大区"},
};

/* Allocation order: the first seven provinces lie in seven big regions. */
static const struct sample_names_province
    provinces[SAMPLE_NAMES_NPROVINCES] = {
    {"ZJ", "浙江", 0, {"杭州", "宁波", "温州", "绍兴", "金华"}},
    {"GD", "广东", 1, {"广州", "深圳", "佛山", "东莞", "汕头"}},
    {"BJ", "北京", 2, {"朝阳", "海淀", "丰台", "东城", "西城"}},
    {"HB", "湖北", 3, {"武汉", "宜昌", "襄阳", "荆州", "黄石"}},
    {"SC", "四川", 4, {"成都", "绵阳", "德阳", "南充", "宜宾"}},
    {"SN", "陕西", 5, {"西安", "宝鸡", "咸阳", "渭南", "汉中"}},
    {"LN", "辽宁", 6, {"沈阳", "大连", "鞍山", "锦州", "营口"}},
    {"JS", "江苏", 0, {"南京", "苏州", "无锡", "常州", "南通"}},
    {"SD", "山东", 0, {"济南", "青岛", "烟台", "潍坊", "临沂"}},
    {"HA", "河南", 3, {"郑州", "洛阳", "南阳", "新乡", "开封"}},
    {"HN", "湖南", 3, {"长沙", "株洲", "湘潭", "衡阳", "岳阳"}},
    {"CQ", "重庆", 4, {"渝中", "江北", "南岸", "万州", "涪陵"}},
    {"SH", "上海", 0, {"浦东", "徐汇", "闵行", "静安", "宝山"}},
    {"FJ", "福建", 0, {"福州", "厦门", "泉州", "漳州", "莆田"}},
    {"AH", "安徽", 0, {"合肥", "芜湖", "蚌埠", "安庆", "阜阳"}},
    {"GX", "广西", 1, {"南宁", "柳州", "桂林", "玉林", "北海"}},
    {"HE", "河北", 2, {"石家庄", "唐山", "保定", "邯郸", "廊坊"}},
    {"YN", "云南", 4, {"昆明", "曲靖", "大理", "玉溪", "红河"}},
    {"JL", "吉林", 6, {"长春", "吉林", "四平", "延边", NULL}},
    {"HL", "黑龙江", 6, {"哈尔滨", "齐齐哈尔", "大庆", "牡丹江", "佳木斯"}},
    {"JX", "江西", 0, {"南昌", "赣州", "九江", "上饶", "宜春"}},
    {"SX", "山西", 2, {"太原", "大同", "运城", "长治", "临汾"}},
    {"GZ", "贵州", 4, {"贵阳", "遵义", "六盘水", "安顺", NULL}},
    {"GS", "甘肃", 5, {"兰州", "天水", "酒泉", "张掖", NULL}},
    {"TJ", "天津", 2, {"和平", "南开", "河西", "滨海", NULL}},
    {"NM", "内蒙古", 2, {"呼和浩特", "包头", "赤峰", "鄂尔多斯", NULL}},
    {"XJ", "新疆", 5, {"乌鲁木齐", "昌吉", "喀什", "伊犁", "库尔勒"}},
    {"HI", "海南", 1, {"海口", "三亚", "儋州", "琼海", NULL}},
    {"NX", "宁夏", 5, {"银川", "石嘴山", "吴忠", NULL, NULL}},
    {"QH", "青海", 5, {"西宁", "海东", "格尔木", NULL, NULL}},
    {"XZ", "西藏", 4, {"拉萨", "日喀则", "林芝", NULL, NULL}},
};

/* The hundred most common surnames, roughly by frequency: a string of
 * CJK characters, three bytes of UTF-8 each (pick_char). */
static const char surnames[] =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
    "肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏"
    "韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤";
static const char *const rare_surnames[] = {
    "欧阳", "司马", "诸葛", "上官", "令狐", "皇甫", "尉迟", "公孙", "慕容",
    "东方", "佘", "麻", "禤", "亓", "冼", "揭", "靳", "庞", "乜", "宓",
    "笪", "缪", "晏", "蒯",
};
/* The characters of given names, a string as surnames. */
static const char given_chars[] =
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚文斌鹏辉玲婷雪琳欣宇浩华"
    "红建国志海燕晓春梅兰英秀桂俊峰琴云凯佳慧倩颖晨阳鑫亮健彬帆博蕾薇"
    "瑶婉子梓轩睿嘉思雨萱诗涵泽宏昊立";
static const char *const given_pairs[] = {
    "建国", "建华", "晓燕", "志强", "海燕", "秀英", "桂英", "丽华", "国庆",
    "卫东", "红梅", "玉兰", "振华", "德明", "子涵", "梓轩", "一诺", "雨桐",
    "浩然", "思远", "晓东", "春华", "文静", "家豪",
};

/* Pharmacy chains; independent pharmacies get a brand from brand_words. */
static const char *const chains[] = {
    "百姓大药房", "老百姓大药房", "益丰大药房", "一心堂药店", "大参林药店",
    "海王星辰药店", "国大药房", "漱玉平民大药房", "华润堂药店", "同仁堂药店",
    "健之佳药房", "张仲景大药房", "回春堂药店", "国药控股大药房",
};
static const char *const stores[] = {
    "华联超市", "联华超市", "物美超市", "永辉超市", "家家悦超市", "步步高超市",
};
static const char *const brand_words[] = {
    "康宁", "仁和", "同济", "恒生", "华康", "瑞祥", "德信", "天和", "民生",
    "济世", "安泰", "福康", "宏达", "惠民", "百草", "仁心", "博爱", "鑫源",
    "永安", "长寿", "嘉禾", "春晖", "泰和", "颐康",
};
static const char *const pharmacy_kinds[] = {
    "大药房", "药店", "医药超市", "平价药房",
};
static const char *const roads[] = {
    "文三路", "中山路", "解放路", "人民路", "建设路", "延安路", "和平路",
    "新华路", "长江路", "黄河路", "学院路", "胜利路", "北京路", "南京路",
    "解放大道", "滨江路", "朝阳路", "光明路", "青年路", "东风路", "幸福路",
    "文化路", "友谊路", "振兴路", "工农路", "体育路", "府前街", "西湖大道",
};
static const char *const company_kinds[] = {
    "医药有限公司", "医药商业有限公司", "药业有限公司", "医药贸易有限公司",
    "医药股份有限公司", "医药连锁有限公司", "药品配送有限公司",
};

static const char *const key_terminal[] = {"店长", "采购", "药师", "财务",
    "老板", "执业药师"};
static const char *const key_channel[] = {"总经理", "采购经理", "财务经理",
    "业务经理", "采购", "财务"};
static const char *const other_terminal[] = {"营业员", "柜组长", "副店长",
    "收银员", "质管员"};
static const char *const other_channel[] = {"开票员", "仓库主管", "质管员",
    "业务员", "物流主管"};

static const char *const purposes[] = {
    "新品陈列沟通", "回款对账", "库存盘点", "促销活动协商", "了解竞品动态",
    "季度返利确认", "订单跟进", "店员培训", "学术推广", "节日促销方案",
    "价格政策说明", "陈列位置调整", "客情维护", "收集销售数据",
    "签订年度协议", "新品进店洽谈", "近效期产品处理", "会员活动策划",
};

static const char *const notes_favor[] = {
    "帮店长联系物流加急到货", "协助门店布置节日堆头", "帮客户咨询孩子升学政策",
    "替采购预约体检", "帮门店联系维修空调",
};
static const char *const notes_problem[] = {
    "解决断货问题", "协调发票差错", "处理近效期产品换货", "解决回款对账差异",
    "协调破损产品补发",
};
static const char *const notes_complaint[] = {
    "处理退货投诉", "处理顾客对包装破损的投诉", "处理送货延迟投诉",
    "处理价格不一致投诉",
};
static const char *const notes_advice[] = {
    "为门店出主意提升会员复购", "建议调整品类结构", "帮客户设计季节性促销",
    "建议优化收银台陈列",
};
static const char *const notes_need[] = {
    "了解门店下季度采购需求", "了解客户对新品的需求", "了解店员培训需求",
    "了解客户的资金周转情况",
};
static const char *const notes_labor[] = {
    "帮忙整理货架", "协助盘点库存", "帮忙搬货上架", "协助更换价签",
};
static const char *const notes_material[] = {
    "提供顾问式产品资料", "送去新版药品知识手册", "提供店员培训课件",
    "提供慢病管理宣传资料",
};

struct list {
    const char *const *s;
    size_t n;
};
#define LIST(a) {a, NELEM(a)}

static const struct list service_notes[7] = {
    LIST(notes_favor), LIST(notes_problem), LIST(notes_complaint),
    LIST(notes_advice), LIST(notes_need), LIST(notes_labor),
    LIST(notes_material),
};

static const char *pick(struct rng *r, const struct list l)
{
    return l.s[rng_below(r, (uint32_t)l.n)];
}
#define PICK(r, a) pick(r, (struct list)LIST(a))

/* Character k of chars, a string of 3-byte UTF-8 characters, into out. */
static const char *char_at(const char *chars, size_t k, char out[4])
{
    memcpy(out, chars + 3 * k, 3);
    out[3] = '\0';
    return out;
}

/* One character of chars, uniformly (as PICK over a list of them). */
static const char *pick_char(struct rng *r, const char *chars, char out[4])
{
    return char_at(chars, rng_below(r, (uint32_t)(strlen(chars) / 3)), out);
}

/* Bounded concatenation: appends the whole of s at *len, or nothing when
 * it does not fit in out[n] (never half a UTF-8 character). */
static void put(char *out, size_t n, size_t *len, const char *s)
{
    size_t k = strlen(s);
    if (*len + k >= n)
        return;
    memcpy(out + *len, s, k);
    *len += k;
    out[*len] = '\0';
}

const struct sample_names_big *sample_names_big_region(int i)
{
    return i >= 0 && i < SAMPLE_NAMES_NBIG ? &bigs[i] : NULL;
}

const struct sample_names_province *sample_names_province(int i)
{
    return i >= 0 && i < SAMPLE_NAMES_NPROVINCES ? &provinces[i] : NULL;
}

int sample_names_ncities(const struct sample_names_province *p)
{
    int n = 0;
    while (n < 5 && p->city[n])
        n++;
    return n;
}

size_t sample_names_person(struct rng *r, char *out, size_t n)
{
    size_t len = 0;
    char c[4];
    if (n == 0)
        return 0;
    out[0] = '\0';
    put(out, n, &len, rng_chance(r, 0.03) ? PICK(r, rare_surnames)
                                          : pick_char(r, surnames, c));
    if (rng_chance(r, 0.12)) {
        put(out, n, &len, PICK(r, given_pairs));
    } else {
        put(out, n, &len, pick_char(r, given_chars, c));
        if (rng_chance(r, 0.65))
            put(out, n, &len, pick_char(r, given_chars, c));
    }
    return len;
}

static size_t terminal_name(struct rng *r, const char *city, char *out,
                            size_t n)
{
    size_t len = 0;
    uint32_t kind = rng_below(r, 10);
    out[0] = '\0';
    put(out, n, &len, city);
    if (kind < 6) {             /* chain branch: 杭州百姓大药房(文三路店) */
        put(out, n, &len, PICK(r, chains));
        put(out, n, &len, "(");
        put(out, n, &len, PICK(r, roads));
        put(out, n, &len, "店)");
    } else if (kind < 9) {      /* independent: 杭州仁和大药房 */
        put(out, n, &len, PICK(r, brand_words));
        put(out, n, &len, PICK(r, pharmacy_kinds));
    } else {                    /* store: 杭州永辉超市(中山路店) */
        put(out, n, &len, PICK(r, stores));
        put(out, n, &len, "(");
        put(out, n, &len, PICK(r, roads));
        put(out, n, &len, "店)");
    }
    return len;
}

static size_t channel_name(struct rng *r, const char *city,
                           const char *province, const char *big_short,
                           char *out, size_t n)
{
    size_t len = 0;
    uint32_t kind = rng_below(r, 10);
    out[0] = '\0';
    put(out, n, &len, kind < 2 ? big_short : kind < 6 ? province : city);
    put(out, n, &len, PICK(r, brand_words));
    put(out, n, &len, PICK(r, company_kinds));
    return len;
}

size_t sample_names_customer(struct rng *r, int terminal, const char *city,
                             const char *province, const char *big_short,
                             char *out, size_t n)
{
    if (n == 0)
        return 0;
    return terminal ? terminal_name(r, city, out, n)
                    : channel_name(r, city, province, big_short, out, n);
}

const char *sample_names_position(struct rng *r, int terminal, int key)
{
    if (key)
        return terminal ? PICK(r, key_terminal) : PICK(r, key_channel);
    return terminal ? PICK(r, other_terminal) : PICK(r, other_channel);
}

const char *sample_names_purpose(struct rng *r)
{
    return PICK(r, purposes);
}

const char *sample_names_service_note(struct rng *r, int kind)
{
    if (kind < 0 || kind > 6)
        kind = 0;
    return pick(r, service_notes[kind]);
}

static void each_list(const struct list l,
                      void (*fn)(const char *, void *), void *arg)
{
    for (size_t i = 0; i < l.n; i++)
        fn(l.s[i], arg);
}
#define EACH(a) each_list((struct list)LIST(a), fn, arg)

static void each_char(const char *chars, void (*fn)(const char *, void *),
                      void *arg)
{
    char c[4];
    for (size_t k = 0; k < strlen(chars) / 3; k++)
        fn(char_at(chars, k, c), arg);
}

void sample_names_each(void (*fn)(const char *s, void *arg), void *arg)
{
    for (int i = 0; i < SAMPLE_NAMES_NBIG; i++) {
        fn(bigs[i].code, arg);
        fn(bigs[i].name, arg);
    }
    for (int i = 0; i < SAMPLE_NAMES_NPROVINCES; i++) {
        fn(provinces[i].code, arg);
        fn(provinces[i].name, arg);
        for (int c = 0; c < sample_names_ncities(&provinces[i]); c++)
            fn(provinces[i].city[c], arg);
    }
    each_char(surnames, fn, arg);
    EACH(rare_surnames);
    each_char(given_chars, fn, arg);
    EACH(given_pairs); EACH(chains); EACH(stores); EACH(brand_words);
    EACH(pharmacy_kinds); EACH(roads); EACH(company_kinds);
    EACH(key_terminal); EACH(key_channel); EACH(other_terminal);
    EACH(other_channel); EACH(purposes);
    for (int k = 0; k < 7; k++)
        each_list(service_notes[k], fn, arg);
}
