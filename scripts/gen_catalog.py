#!/usr/bin/env python3
"""Generate a realistic, deterministic shopctl catalog (suppliers.csv + products.csv).

    python3 scripts/gen_catalog.py --images              # 320 products -> examples/catalog
    python3 scripts/gen_catalog.py --products 100000 --out /tmp/cat100k --no-bad-rows

The catalog is in Simplified Chinese and follows the catalog feeds of shopctl (SPEC §4):

* suppliers.csv  supplier_id,name,registered_capital,general_taxpayer,deposit,auth_chain_levels
* products.csv   product_id,supplier_id,title,brand,category,price,commission_rate,stock,status,
                 market_commission_rate,other_platform_price,tags,sale_start,sale_end,description
                 (and `image` with --images)

With --images, OUT/images/ gets ten small product pictures (PNG, a coloured tile with a simple
shape: two per category, drawn here, deflate-compressed) and the products column `image` names
one of its category's for most products (relative to the feed's folder; every eighth product has
none, the column being optional). The pictures use no randomness, so the other columns are the
same with or without --images.

Everything comes from one `random.Random(seed)`, so a given (--products, --seed, bad-rows mode)
always produces byte-identical files. Products are written row by row (nothing but the supplier
table and a few counters is held in memory), so a million rows is fine.

Unless --no-bad-rows is given, a fixed handful of rows (independent of --products) break one
rule each, at scattered positions, so that an import reports every row code: unknown-supplier,
supplier-admission, category, commission-below-market, price-parity and bad-value. A few
*valid* edge rows (commission equal to the market rate, price equal to the other platforms'
price, a description that needs quoting) are always written. `--table` prints all of these
special rows as a Markdown table on stdout.

Standard library only.
"""

import argparse
import csv
import math
import os
import sys
import time
from datetime import datetime, timedelta
from random import Random

CATEGORIES = ["食品保健", "美妆个护", "母婴玩具", "家居电器", "服饰运动"]
TAGS = ["high-margin", "high-repurchase", "high-recognition", "low-trial-cost"]

SUPPLIER_COLUMNS = ["supplier_id", "name", "registered_capital", "general_taxpayer", "deposit", "auth_chain_levels"]
PRODUCT_COLUMNS = [
    "product_id", "supplier_id", "title", "brand", "category", "price", "commission_rate", "stock", "status",
    "market_commission_rate", "other_platform_price", "tags", "sale_start", "sale_end", "description",
]

# --------------------------------------------------------------------------------------------
# Product templates: (name, brands, specs, packs, (min price, max price) in yuan).
# Within a template, brand × spec × pack gives distinct titles; prefixes/modifiers are only
# used once those run out (large catalogs), then a numbered 款 as a last resort.
# --------------------------------------------------------------------------------------------
T = {
    "食品保健": [
        ("西湖龙井", ["西湖牌", "卢正浩", "狮峰", "贡牌", "御牌"],
         ["明前特级 250g", "明前一级 250g", "雨前二级 500g", "明前特级 100g", "明前精选 200g"],
         ["礼盒装", "罐装", "纸包装"], (88, 1280)),
        ("每日坚果", ["三只松鼠", "百草味", "良品铺子", "沃隆", "洽洽"],
         ["750g/30袋", "525g/21袋", "375g/15袋", "1050g/42袋"], ["礼盒装", "家庭装", "袋装"], (39, 189)),
        ("五常大米 稻花香2号", ["五常稻花香", "柴火大院", "十月稻田", "乔府大院"],
         ["5kg", "10kg", "2.5kg", "2.5kg×2袋"], ["真空包装", "布袋装", "礼盒装"], (39, 199)),
        ("手撕面包", ["三只松鼠", "良品铺子", "盼盼", "达利园", "桃李"],
         ["1000g", "500g", "2000g整箱", "800g"], ["早餐装", "整箱装", "尝鲜装"], (15, 59)),
        ("猪肉脯", ["良品铺子", "百草味", "来伊份", "三只松鼠", "黄胜记"],
         ["200g", "500g", "1kg", "100g×3袋"], ["原味", "蜜汁味", "黑椒味"], (19, 129)),
        ("宁夏枸杞 特级", ["百瑞源", "杞里香", "宁安堡", "沃福百瑞"],
         ["250g", "500g", "1000g", "30g×10袋"], ["罐装", "袋装", "礼盒装"], (29, 268)),
        ("乳清蛋白粉", ["汤臣倍健", "康比特", "诺特兰德", "肌肉科技"],
         ["400g", "900g", "2磅", "5磅"], ["香草味", "巧克力味", "原味"], (89, 599)),
        ("维生素C咀嚼片", ["汤臣倍健", "养生堂", "善存", "北京同仁堂"],
         ["60片", "100片", "120片", "60片×2瓶"], ["橙子味", "柠檬味", "混合莓味"], (29, 168)),
        ("土蜂蜜 农家自产", ["冠生园", "百花牌", "秦岭山", "蜂之语"],
         ["500g", "1kg", "250g×2瓶", "2kg"], ["玻璃瓶装", "塑料瓶装", "礼盒装"], (29, 199)),
        ("柳州螺蛳粉", ["好欢螺", "李子柒", "螺霸王", "嘻螺会"],
         ["400g×3袋", "400g×5袋", "335g×10袋", "300g×6袋"], ["加辣", "原味", "加臭加辣"], (19, 99)),
        ("安溪铁观音 浓香型", ["八马", "华祥苑", "中闽魏氏", "日春"],
         ["250g", "500g", "125g×2罐", "7g×36泡"], ["礼盒装", "罐装", "真空小包"], (68, 998)),
        ("黑芝麻丸", ["五谷磨房", "老金磨方", "方家铺子", "燕之坊"],
         ["126g", "252g", "378g", "9g×30丸"], ["无蔗糖", "原味", "桑葚味"], (19, 89)),
        ("即食燕窝", ["燕之屋", "小仙炖", "官燕栈", "同仁堂"],
         ["45g×6瓶", "70g×7瓶", "75g×6瓶", "100g×3瓶"], ["冰糖款", "无糖款", "礼盒装"], (199, 1599)),
        ("深海鱼油软胶囊", ["汤臣倍健", "养生堂", "北京同仁堂", "碧生源"],
         ["100粒", "200粒", "60粒", "100粒×2瓶"], ["单瓶装", "家庭装", "礼盒装"], (59, 399)),
    ],
    "美妆个护": [
        ("玻尿酸补水面膜", ["自然堂", "珀莱雅", "一叶子", "韩束", "御泥坊", "美即"],
         ["10片装", "20片装", "5片装", "30片装"], ["补水保湿", "修护舒缓", "提亮肤色"], (19, 169)),
        ("抗氧精华液", ["珀莱雅", "自然堂", "百雀羚", "薇诺娜", "谷雨"],
         ["30ml", "50ml", "15ml", "30ml×2瓶"], ["单瓶装", "礼盒装", "囤货装"], (89, 599)),
        ("氨基酸洗面奶", ["自然堂", "百雀羚", "相宜本草", "珀莱雅", "韩束"],
         ["100g", "120g", "150g", "120g×2支"], ["温和清洁", "控油祛痘", "保湿不紧绷"], (29, 129)),
        ("清爽防晒霜 SPF50+", ["薇诺娜", "美加净", "自然堂", "完美日记", "珀莱雅"],
         ["40g", "50ml", "60ml", "30ml×2支"], ["户外款", "通勤款", "敏感肌款"], (49, 269)),
        ("丝绒哑光口红", ["完美日记", "花西子", "橘朵", "毛戈平", "卡姿兰"],
         ["#01 正红", "#02 豆沙", "#03 枫叶红", "#04 奶茶色", "#05 番茄红", "#06 烂番茄"],
         ["单支", "双支装", "礼盒装"], (39, 399)),
        ("控油蓬松洗发水", ["滋源", "蜂花", "阿道夫", "拉芳", "霸王"],
         ["500ml", "750ml", "1L", "400ml×2瓶"], ["无硅油", "去屑止痒", "清香型"], (29, 139)),
        ("烟酰胺身体乳", ["凡士林", "大宝", "百雀羚", "半亩花田"],
         ["200ml", "400ml", "250g", "200ml×2瓶"], ["保湿滋润", "美白嫩肤", "淡香型"], (29, 119)),
        ("护龈美白牙膏", ["云南白药", "舒客", "冷酸灵", "黑人", "纳爱斯"],
         ["120g×3支", "180g", "90g×2支", "210g×4支"], ["薄荷味", "留兰香", "茶香型"], (19, 99)),
        ("声波电动牙刷", ["舒客", "素士", "usmile", "小米"],
         ["成人款", "情侣套装", "儿童款", "旅行款"], ["白色", "粉色", "深空灰"], (79, 499)),
        ("气垫BB霜", ["完美日记", "花西子", "卡姿兰", "毛戈平"],
         ["#01 象牙白", "#02 自然色", "#03 小麦色"], ["单盒装", "含替换芯", "礼盒装"], (69, 399)),
        ("紧致眼霜", ["珀莱雅", "丸美", "自然堂", "韩束"],
         ["15g", "20g", "30g", "15g×2支"], ["淡纹款", "去黑眼圈款", "礼盒装"], (99, 499)),
        ("滋润护手霜", ["相宜本草", "百雀羚", "大宝", "郁美净"],
         ["50g", "80g×3支", "30g×5支", "100g"], ["玫瑰香", "樱花香", "无香型"], (15, 79)),
    ],
    "母婴玩具": [
        ("婴儿纸尿裤", ["好奇", "帮宝适", "花王", "大王", "babycare", "巴布豆"],
         ["NB码 84片", "S码 72片", "M码 60片", "L码 54片", "XL码 44片", "XXL码 36片"],
         ["单包装", "2包装", "整箱4包"], (59, 399)),
        ("婴儿拉拉裤", ["好奇", "帮宝适", "花王", "babycare", "露安适"],
         ["L码 40片", "XL码 36片", "XXL码 32片", "XXXL码 28片"], ["单包装", "2包装", "整箱4包"], (69, 399)),
        ("婴儿手口湿巾", ["babycare", "全棉时代", "心相印", "好奇", "子初"],
         ["80抽×6包", "80抽×12包", "20抽×10包", "100抽×5包"], ["带盖", "便携装", "家庭装"], (19, 99)),
        ("婴幼儿配方奶粉", ["飞鹤", "君乐宝", "金领冠", "爱他美", "美赞臣"],
         ["1段 800g", "2段 800g", "3段 800g", "3段 400g", "4段 800g"], ["罐装", "盒装", "2罐组合"], (99, 499)),
        ("婴儿营养米粉", ["英氏", "亨氏", "小皮", "贝因美"],
         ["225g", "400g", "250g×2盒", "500g"], ["原味", "铁锌钙", "果蔬味"], (29, 129)),
        ("婴儿洗发沐浴二合一", ["红色小象", "青蛙王子", "启初", "强生", "戴可思"],
         ["300ml", "500ml", "200ml×2瓶", "700ml"], ["无泪配方", "温和型", "家庭装"], (29, 119)),
        ("儿童拼装积木", ["布鲁可", "启蒙", "邦宝", "乐毕"],
         ["大颗粒 120块", "小颗粒 500块", "城市系列 300块", "恐龙系列 200块"], ["盒装", "桶装", "礼盒装"], (39, 399)),
        ("儿童遥控汽车", ["奥迪双钻", "星辉", "美致", "伟力"],
         ["1:14", "1:18", "1:24", "1:12"], ["红色", "蓝色", "黄色", "越野款"], (59, 499)),
        ("儿童吸管保温杯", ["杯具熊", "富光", "b.box", "哈尔斯"],
         ["400ml", "500ml", "600ml", "320ml"], ["小熊款", "恐龙款", "独角兽款", "宇航员款"], (49, 199)),
        ("轻便婴儿推车", ["好孩子", "宝宝好", "小龙哈彼", "babycare"],
         ["可坐可躺", "一键折叠", "高景观", "双向推行"], ["雅灰", "星空蓝", "燕麦色"], (299, 1999)),
        ("磁力片积木", ["布鲁可", "益米", "爱可优", "邦宝"],
         ["60片", "100片", "150片", "220片"], ["彩窗款", "透明款", "收纳盒装"], (49, 299)),
        ("宽口径PPSU奶瓶", ["贝亲", "可优比", "世喜", "hegen"],
         ["160ml", "240ml", "300ml", "330ml"], ["S号奶嘴", "M号奶嘴", "L号奶嘴"], (59, 269)),
    ],
    "家居电器": [
        ("304不锈钢保温杯", ["苏泊尔", "膳魔师", "哈尔斯", "富光", "象印"],
         ["350ml", "500ml", "750ml", "1L"], ["星空黑", "奶白", "樱花粉", "薄荷绿", "雾霾蓝"], (29, 299)),
        ("智能电饭煲", ["美的", "苏泊尔", "九阳", "小熊"],
         ["3L", "4L", "5L", "2L"], ["IH电磁加热", "智能预约", "球釜内胆"], (129, 999)),
        ("空气炸锅", ["美的", "苏泊尔", "九阳", "小熊", "利仁"],
         ["4.5L", "5.5L", "6L可视", "3.5L"], ["奶白", "曜石黑", "薄荷绿"], (159, 699)),
        ("家用破壁机", ["九阳", "美的", "苏泊尔", "摩飞"],
         ["1.2L", "1.75L", "1L低音", "1.5L"], ["加热款", "静音款", "免滤款"], (199, 1299)),
        ("电热水壶", ["美的", "苏泊尔", "小熊", "九阳"],
         ["1.5L", "1.7L", "1.8L", "1.2L"], ["304不锈钢", "双层防烫", "恒温款"], (49, 269)),
        ("无线手持吸尘器", ["追觅", "米家", "美的", "莱克"],
         ["大吸力", "轻量款", "除螨款", "吸拖一体"], ["标准版", "Pro版", "旗舰版"], (399, 2999)),
        ("纯棉四件套", ["罗莱", "富安娜", "水星家纺", "梦洁", "多喜爱"],
         ["1.5m床", "1.8m床", "2.0m床", "1.2m床"], ["简约条纹", "格调灰", "奶油白", "小碎花"], (129, 899)),
        ("泰国乳胶枕", ["富安娜", "水星家纺", "泰嗨", "罗莱"],
         ["成人款", "护颈款", "儿童款", "颗粒按摩款"], ["单只装", "一对装", "礼盒装"], (69, 399)),
        ("加厚收纳箱", ["禧天龙", "茶花", "爱丽思", "百露"],
         ["30L", "50L", "80L", "100L"], ["单只", "3只装", "5只装"], (29, 199)),
        ("麦饭石不粘炒锅", ["苏泊尔", "爱仕达", "炊大皇", "康巴赫"],
         ["28cm", "30cm", "32cm", "26cm"], ["燃气灶适用", "电磁炉通用", "带锅盖"], (79, 599)),
        ("静音落地扇", ["美的", "艾美特", "格力", "先锋"],
         ["七叶", "五叶", "塔扇", "循环扇"], ["遥控款", "机械款", "智能APP款"], (99, 599)),
        ("卧室加湿器", ["小熊", "美的", "德尔玛", "亚都"],
         ["4L", "5L", "6L", "3L"], ["上加水", "静音款", "香薰款"], (69, 399)),
        ("原木抽纸", ["维达", "清风", "心相印", "洁柔"],
         ["3层100抽×24包", "4层120抽×18包", "3层130抽×30包", "4层90抽×20包"], ["整箱装", "家庭装", "便携装"],
         (29, 89)),
        ("洗衣凝珠", ["蓝月亮", "立白", "超能", "奥妙"],
         ["52颗", "100颗", "30颗×2盒", "66颗"], ["薰衣草香", "除菌除螨", "持久留香"], (29, 129)),
    ],
    "服饰运动": [
        ("速干运动T恤", ["李宁", "安踏", "特步", "361度", "鸿星尔克"],
         ["男款", "女款", "情侣款"], ["黑色", "白色", "藏青", "灰色", "荧光绿"], (39, 199)),
        ("轻便跑步鞋", ["李宁", "安踏", "特步", "361度", "匹克"],
         ["男款 缓震", "女款 缓震", "男款 碳板竞速", "女款 轻便透气"], ["黑白", "全白", "荧光黄", "海军蓝"],
         (199, 999)),
        ("加绒运动裤", ["李宁", "安踏", "特步", "鸿星尔克", "乔丹"],
         ["男款", "女款", "束脚款", "直筒款"], ["黑色", "深灰", "藏青"], (69, 299)),
        ("保暖羽绒服", ["波司登", "雪中飞", "鸭鸭", "高梵", "坦博尔"],
         ["短款", "中长款", "长款", "连帽短款"], ["黑色", "米白", "雾霾蓝", "焦糖色"], (299, 1999)),
        ("三合一冲锋衣", ["骆驼", "探路者", "伯希和", "凯乐石"],
         ["男款", "女款", "情侣款", "加绒款"], ["黑色", "墨绿", "卡其", "宝蓝"], (199, 1299)),
        ("高腰瑜伽裤", ["Keep", "粒子狂热", "暴走的萝莉", "李宁"],
         ["九分", "七分", "喇叭款", "鲨鱼裤"], ["黑色", "雾霾蓝", "焦糖色", "豆沙粉"], (49, 299)),
        ("纯棉中筒袜", ["浪莎", "南极人", "猫人", "恒源祥"],
         ["5双装", "10双装", "6双礼盒", "12双装"], ["男款", "女款", "运动款"], (19, 99)),
        ("德绒保暖内衣套装", ["南极人", "恒源祥", "北极绒", "猫人"],
         ["男款", "女款", "加厚款", "薄款"], ["黑色", "肤色", "酒红", "灰色"], (59, 299)),
        ("经典帆布鞋", ["回力", "飞跃", "人本", "双星"],
         ["高帮", "低帮", "厚底", "一脚蹬"], ["黑色", "白色", "米色", "红色"], (39, 199)),
        ("标准比赛篮球", ["李宁", "安踏", "匹克", "斯伯丁"],
         ["7号", "6号", "5号"], ["PU材质", "室内外通用", "耐磨款"], (59, 399)),
        ("加厚瑜伽垫", ["Keep", "李宁", "悦步", "奥义"],
         ["6mm", "8mm", "10mm", "15mm"], ["紫色", "青绿", "蓝色", "粉色"], (39, 199)),
        ("羊毛针织开衫", ["恒源祥", "鄂尔多斯", "鹿王", "雪莲"],
         ["男款", "女款", "圆领", "V领"], ["燕麦色", "藏青", "酒红", "黑色"], (199, 1299)),
    ],
}

# Only for large catalogs, once brand × spec × pack is used up for a template.
TITLE_PREFIXES = ["", "【热销】", "【新品】", "【限时特惠】", "【包邮】", "【爆款】", "【囤货】"]
TITLE_MODIFIERS = ["", " 升级款", " 经典款", " 2026新款", " 尝鲜装", " 家庭实惠装"]

# Commission range (percent) per category and the share of each category in the catalog.
COMMISSION = {"食品保健": (8, 30), "美妆个护": (15, 40), "母婴玩具": (5, 20), "家居电器": (5, 18), "服饰运动": (10, 35)}
CATEGORY_WEIGHTS = [24, 22, 18, 18, 18]
REPURCHASE_CATEGORIES = {"食品保健", "美妆个护", "母婴玩具"}
WELL_KNOWN = {
    "三只松鼠", "百草味", "良品铺子", "汤臣倍健", "北京同仁堂", "自然堂", "珀莱雅", "百雀羚", "云南白药", "完美日记",
    "花西子", "好奇", "帮宝适", "飞鹤", "美的", "苏泊尔", "九阳", "维达", "蓝月亮", "李宁", "安踏", "波司登", "回力",
    "南极人", "小米", "米家", "格力", "立白",
}

DESCRIPTIONS = {  # selling points that fit any product of the category
    "食品保健": ["产地直发，新鲜到家", "0添加防腐剂", "原产地溯源，吃得放心", "老少皆宜", "独立包装，方便携带", "送礼有面子",
              "口碑爆款，复购率高", "生产日期新鲜，保质期长"],
    "美妆个护": ["敏感肌可用，温和不刺激", "成分党推荐", "化妆师同款", "小样体验装，先试后买", "国货之光", "专柜同款，正品保障"],
    "母婴玩具": ["安全认证，放心给宝宝用", "新生儿可用", "亲子互动好帮手", "宝妈口碑推荐", "母婴店同款"],
    "家居电器": ["全国联保，以旧换新", "小户型也放得下", "三年质保，只换不修", "一键操作，老人也会用", "易清洗，可拆卸"],
    "服饰运动": ["国潮设计，街拍必备", "机洗不变形", "尺码偏大，建议拍小一码", "运动休闲两相宜", "专柜同款，吊牌齐全"],
}
POINTS = {  # selling points of one kind of product (template name)
    "西湖龙井": ["明前头采，香气清高", "核心产区，一芽一叶"],
    "每日坚果": ["每天一小包，营养更均衡", "6种坚果4种果干，科学配比"],
    "五常大米 稻花香2号": ["当季新米，软糯回甘", "原产地直采，每袋可溯源"],
    "手撕面包": ["松软拉丝，早餐好搭档", "整箱囤货更划算"],
    "猪肉脯": ["精选后腿肉，越嚼越香", "办公室追剧必备"],
    "宁夏枸杞 特级": ["免洗即食，泡水泡酒都合适", "头茬鲜果，颗粒饱满"],
    "乳清蛋白粉": ["每勺25g蛋白质", "健身增肌，冲调即溶"],
    "维生素C咀嚼片": ["酸甜好吃，全家可用", "换季必备"],
    "土蜂蜜 农家自产": ["深山蜜源，自然成熟", "波美度42度以上"],
    "柳州螺蛳粉": ["汤底浓郁，配料足", "宿舍夜宵神器"],
    "安溪铁观音 浓香型": ["传统炭焙，兰花香", "耐冲泡，七泡有余香"],
    "黑芝麻丸": ["九蒸九晒，独立包装", "一天一颗，养发好习惯"],
    "即食燕窝": ["开盖即食，每瓶足量", "孕期产后滋补"],
    "深海鱼油软胶囊": ["高纯度Omega-3", "中老年养护首选"],
    "玻尿酸补水面膜": ["一片吸饱精华，上妆服帖", "熬夜急救，一夜水润"],
    "抗氧精华液": ["抗氧提亮，28天见效", "质地轻薄，易吸收"],
    "氨基酸洗面奶": ["泡沫绵密，洗后不紧绷", "温和氨基酸，早晚可用"],
    "清爽防晒霜 SPF50+": ["轻薄不油腻，夏天也能用", "防水防汗，户外不怕晒"],
    "丝绒哑光口红": ["显白不挑皮", "持妆一整天，不易沾杯"],
    "控油蓬松洗发水": ["三天不油头", "蓬松丰盈，清香持久"],
    "烟酰胺身体乳": ["秋冬不起皮", "吸收快，不粘衣服"],
    "护龈美白牙膏": ["清新口气一整天", "护龈止血，温和美白"],
    "声波电动牙刷": ["一次充电用60天", "5种模式，软毛不伤龈"],
    "气垫BB霜": ["遮瑕不卡粉", "轻薄透气，自然妆感"],
    "紧致眼霜": ["淡化细纹和黑眼圈", "按摩头设计，上脸清凉"],
    "滋润护手霜": ["不油腻，写字敲键盘都方便", "小支便携，放包里刚好"],
    "婴儿纸尿裤": ["超薄透气，宝宝夜里不闹", "瞬吸不回渗，防侧漏"],
    "婴儿拉拉裤": ["穿脱方便，活动不红屁屁", "12小时干爽"],
    "婴儿手口湿巾": ["纯水配方，手口可用", "加厚不易破"],
    "婴幼儿配方奶粉": ["接近母乳配方，好吸收", "原装进口奶源"],
    "婴儿营养米粉": ["6月龄以上宝宝第一口辅食", "高铁配方，易冲调"],
    "婴儿洗发沐浴二合一": ["无泪配方，不辣眼睛", "温和弱酸，新生儿可用"],
    "儿童拼装积木": ["早教启蒙，锻炼动手能力", "兼容主流积木品牌"],
    "儿童遥控汽车": ["充电款，续航40分钟", "防撞车身，越野不怕摔"],
    "儿童吸管保温杯": ["316不锈钢内胆，防漏吸管", "一杯三盖，幼儿园适用"],
    "轻便婴儿推车": ["一键收车，单手就能折", "可登机，出行不累"],
    "磁力片积木": ["磁力强，边角圆润不伤手", "百变造型，亲子一起玩"],
    "宽口径PPSU奶瓶": ["防胀气设计", "耐高温，可蒸汽消毒"],
    "304不锈钢保温杯": ["12小时长效保温", "一键开盖，防漏设计"],
    "智能电饭煲": ["预约定时，起床就有热粥", "不粘内胆，好清洗"],
    "空气炸锅": ["少油健康，薯条鸡翅一键做", "可视窗口，过程看得见"],
    "家用破壁机": ["一杯豆浆只要几分钟", "降噪设计，早上不吵醒家人"],
    "电热水壶": ["5分钟快速烧开", "防干烧，自动断电"],
    "无线手持吸尘器": ["大吸力，宠物毛发一吸就走", "续航60分钟，全屋够用"],
    "纯棉四件套": ["A类面料，贴身睡更舒服", "全棉亲肤，越洗越软"],
    "泰国乳胶枕": ["天然乳胶，回弹不塌", "护颈设计，睡得更香"],
    "加厚收纳箱": ["加厚不变形，可叠放", "换季收纳好帮手"],
    "麦饭石不粘炒锅": ["少油烟，不粘锅", "燃气电磁炉通用"],
    "静音落地扇": ["静音设计，不吵睡眠", "12档风速，遥控操作"],
    "卧室加湿器": ["上加水，不用搬水箱", "静音夜灯，睡觉也能开"],
    "原木抽纸": ["原生木浆，柔韧不掉屑", "一整箱够用一个季度"],
    "洗衣凝珠": ["一颗搞定一桶衣服", "除菌除螨，留香持久"],
    "速干运动T恤": ["速干透气，跑步不闷汗", "冰感面料，夏天更凉快"],
    "轻便跑步鞋": ["缓震回弹，久走不累", "轻至200g，透气网面"],
    "加绒运动裤": ["加厚加绒，零下十度也不怕", "宽松版型，显瘦百搭"],
    "保暖羽绒服": ["90%白鸭绒，轻薄保暖", "防风防泼水"],
    "三合一冲锋衣": ["防风防水，内胆可拆", "登山通勤都能穿"],
    "高腰瑜伽裤": ["弹力面料，深蹲不透", "高腰收腹，显腿长"],
    "纯棉中筒袜": ["精梳棉，吸汗防臭", "不勒脚，不掉跟"],
    "德绒保暖内衣套装": ["发热面料，薄款也暖", "无痕亲肤，贴身不起球"],
    "经典帆布鞋": ["经典百搭，学生党必备", "硫化大底，耐磨防滑"],
    "标准比赛篮球": ["手感好，抓握稳", "室内外通用，耐磨耐打"],
    "加厚瑜伽垫": ["加厚防滑，跪着不疼", "送绑带和收纳袋"],
    "羊毛针织开衫": ["100%羊毛，柔软不扎", "春秋百搭外套"],
}
GENERIC_DESCRIPTIONS = ["48小时内发货", "7天无理由退换", "正品保障，假一赔十", "顺丰包邮", "买二件再减10元", "限时特惠，手慢无",
                        "回购率超高", "店主亲测推荐", "直播间同款"]
QUOTED_DESCRIPTIONS = ['"网红"同款', '被粉丝叫作"回购王"', '上过"好物榜"', '"闭眼入"系列']

# Supplier names: city + 字号 + trade + organisation form, or a farmers' cooperative.
SUPPLIER_CITIES = {
    "食品保健": ["杭州", "临安", "安溪", "福州", "成都", "长沙", "芜湖", "合肥", "武汉", "昆明", "漳州", "柳州"],
    "美妆个护": ["广州", "上海", "杭州", "汕头", "苏州", "湖州", "深圳", "珠海"],
    "母婴玩具": ["宁波", "汕头", "温州", "杭州", "泉州", "东莞", "义乌", "台州"],
    "家居电器": ["佛山", "中山", "慈溪", "永康", "义乌", "深圳", "南通", "宁波"],
    "服饰运动": ["泉州", "晋江", "石狮", "广州", "杭州", "厦门", "福州", "嘉兴"],
}
SUPPLIER_TRADES = {
    "食品保健": ["茶业", "食品", "农产品", "坚果炒货", "生物科技", "营养品", "蜂业", "粮油"],
    "美妆个护": ["化妆品", "日化", "生物科技", "美容用品", "个人护理用品"],
    "母婴玩具": ["母婴用品", "玩具", "婴童用品", "儿童用品", "早教用品"],
    "家居电器": ["小家电", "电器", "家居用品", "厨具", "日用品", "小家电经销", "家纺"],
    "服饰运动": ["服饰", "运动用品", "鞋业", "纺织", "针织", "体育用品"],
}
SUPPLIER_BRANDNAMES = {
    "食品保健": ["西湖龙井", "茗香", "山里红", "农家乐", "禾丰", "谷丰", "百味"],
    "美妆个护": ["美肤", "雪颜", "丽人", "玉容", "芳华", "水润"],
    "母婴玩具": ["贝贝", "童乐", "宝宝乐", "爱婴", "乐童", "小天使"],
    "家居电器": ["美的", "安居", "家美", "厨乐", "佳宜", "暖家"],
    "服饰运动": ["运动风", "动感", "健步", "飞跃", "锦绣", "衣美"],
}
NAME_CHARS = "鑫源恒丰华美金禾绿康宁瑞盛宏达天和润泽德隆永佳安信汇通嘉诚兴旺福顺昌荣新创亿辉明远海宇星"
ORG_FORMS = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"]
COOPERATIVES = [
    ("五常", "大米"), ("安溪", "铁观音茶叶"), ("赣南", "脐橙"), ("中宁", "枸杞"), ("眉县", "猕猴桃"), ("阿克苏", "苹果"),
    ("秦岭", "土蜂蜜"), ("盱眙", "龙虾"), ("临安", "山核桃"), ("洛川", "苹果"), ("武夷山", "岩茶"), ("普洱", "茶叶"),
]
COOP_TOWNS = ["", "龙凤山镇", "新华村", "东岭村", "青山镇", "柳河村", "红旗村", "向阳村", "大坪村", "石门镇"]
COOP_FORMS = ["种植合作社", "种植专业合作社", "专业合作社"]

FESTIVALS = [(1, 10), (3, 8), (5, 20), (6, 1), (6, 18), (8, 8), (9, 9), (11, 11), (12, 12)]

# Special rows: (kind, expected row code or None when valid, note).
BAD_KINDS = [
    ("unknown-supplier-1", "unknown-supplier"),
    ("unknown-supplier-2", "unknown-supplier"),
    ("admission-capital-1", "supplier-admission"),
    ("admission-capital-2", "supplier-admission"),
    ("admission-taxpayer-1", "supplier-admission"),
    ("admission-taxpayer-2", "supplier-admission"),
    ("admission-deposit-1", "supplier-admission"),
    ("admission-deposit-2", "supplier-admission"),
    ("admission-chain-1", "supplier-admission"),
    ("admission-chain-2", "supplier-admission"),
    ("below-market-1", "commission-below-market"),
    ("below-market-2", "commission-below-market"),
    ("parity-1", "price-parity"),
    ("parity-2", "price-parity"),
    ("category-digital", "category"),
    ("category-books", "category"),
    ("bad-price-decimals", "bad-value"),
    ("bad-price-negative", "bad-value"),
    ("bad-title-empty", "bad-value"),
    ("bad-stock-negative", "bad-value"),
    ("bad-commission-120", "bad-value"),
    ("bad-status", "bad-value"),
    ("bad-tag", "bad-value"),
    ("bad-sale-start-zone", "bad-value"),
]
VALID_EDGE_KINDS = [
    ("equal-market", None),
    ("equal-price", None),
    ("quoting", None),
]
CODE_ORDER = ["unknown-supplier", "supplier-admission", "category", "commission-below-market", "price-parity", "bad-value"]

# Fixed suppliers (1-based index): boundaries that pass, and one failure per admission condition.
SP_CAPITAL_BOUNDARY = 4     # registered capital exactly 1000000: passes
SP_CAPITAL_FAIL = 7         # 999999.99: fails
SP_TAXPAYER_FAIL = 11       # general_taxpayer false: fails
SP_DEPOSIT_FAIL = 15        # deposit 9999: fails
SP_CHAIN_BOUNDARY = 18      # 3 authorisation levels: passes
SP_CHAIN_FAIL = 22          # 4 levels: fails
SP_DEPOSIT_BOUNDARY = 26    # deposit exactly 10000.00: passes
MIN_SUPPLIERS = 30


# --------------------------------------------------------------------------------------------
# Formatting helpers (amounts are kept in fen, rates in basis points: no float rounding).
# --------------------------------------------------------------------------------------------

def money_text(fen, style):
    """style 0: 129.00; 1: 129 when whole, else 129.90; 2: shortest (129, 129.9, 129.95)."""
    yuan, f = divmod(fen, 100)
    if style == 0:
        return "%d.%02d" % (yuan, f)
    if f == 0:
        return str(yuan)
    if style == 2 and f % 10 == 0:
        return "%d.%d" % (yuan, f // 10)
    return "%d.%02d" % (yuan, f)


def rate_text(bp, percent):
    whole, f = divmod(bp, 100)
    if f == 0:
        s = str(whole)
    elif f % 10 == 0:
        s = "%d.%d" % (whole, f // 10)
    else:
        s = "%d.%02d" % (whole, f)
    return s + "%" if percent else s


def rfc3339(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"


# --------------------------------------------------------------------------------------------
# Suppliers
# --------------------------------------------------------------------------------------------

def make_suppliers(rng, count, with_bad):
    """Returns a list of dicts (id, category, admitted, row)."""
    width = max(3, len(str(count)))
    used = set()
    cats = []
    while len(cats) < count:
        block = CATEGORIES[:]
        rng.shuffle(block)
        cats.extend(block)
    suppliers = []
    for i in range(1, count + 1):
        cat = cats[i - 1]
        sid = "SP%0*d" % (width, i)
        name = supplier_name(rng, cat, used)
        coop = name.endswith("合作社")
        capital = rng.choice([2000000, 3000000, 5000000, 5000000, 8000000, 10000000, 10000000, 20000000, 30000000,
                              50000000, 100000000, 1200000, 1500000, 6660000])
        if coop:
            capital = rng.choice([1000000, 1500000, 2000000, 3000000, 5000000])
        capital_text = money_text(capital * 100, 0 if rng.random() < 0.3 else 1)
        deposit = rng.choice([20000, 20000, 30000, 50000, 50000, 100000, 15000])
        deposit_text = money_text(deposit * 100, 0 if rng.random() < 0.5 else 1)
        taxpayer = "true"
        r = rng.random()
        chain = 0 if coop or r < 0.3 else (1 if r < 0.7 else (2 if r < 0.9 else 3))
        admitted = True
        note = ""
        if i == SP_CAPITAL_BOUNDARY:
            capital_text, note = "1000000", "registered capital exactly 1000000 (boundary, passes)"
        elif i == SP_CHAIN_BOUNDARY:
            chain, note = 3, "auth_chain_levels exactly 3 (boundary, passes)"
        elif i == SP_DEPOSIT_BOUNDARY:
            deposit_text, note = "10000.00", "deposit exactly 10000.00 (boundary, passes)"
        elif with_bad and i == SP_CAPITAL_FAIL:
            capital_text, admitted, note = "999999.99", False, "registered capital 999999.99 < 1000000"
        elif with_bad and i == SP_TAXPAYER_FAIL:
            taxpayer, admitted, note = "false", False, "general_taxpayer false"
        elif with_bad and i == SP_DEPOSIT_FAIL:
            deposit_text, admitted, note = "9999", False, "deposit 9999 < 10000"
        elif with_bad and i == SP_CHAIN_FAIL:
            chain, admitted, note = 4, False, "auth_chain_levels 4 > 3"
        suppliers.append({
            "id": sid, "category": cat, "admitted": admitted, "note": note,
            "row": [sid, name, capital_text, taxpayer, deposit_text, str(chain)],
        })
    return suppliers


def supplier_name(rng, cat, used):
    for attempt in range(50):
        if cat == "食品保健" and rng.random() < 0.15:
            place, produce = rng.choice(COOPERATIVES)
            town = rng.choice(COOP_TOWNS) if attempt > 0 or rng.random() < 0.3 else ""
            name = place + town + produce + rng.choice(COOP_FORMS)
        else:
            city = rng.choice(SUPPLIER_CITIES[cat])
            if rng.random() < 0.3:
                zihao = rng.choice(SUPPLIER_BRANDNAMES[cat])
            else:
                zihao = rng.choice(NAME_CHARS) + rng.choice(NAME_CHARS)
                if zihao[0] == zihao[1]:
                    continue
            name = city + zihao + rng.choice(SUPPLIER_TRADES[cat]) + rng.choice(ORG_FORMS)
        if name not in used:
            used.add(name)
            return name
    n = 2
    while True:  # practically unreachable
        name = "%s%s第%d分公司" % (rng.choice(SUPPLIER_CITIES[cat]), rng.choice(SUPPLIER_TRADES[cat]), n)
        if name not in used:
            used.add(name)
            return name
        n += 1


# --------------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------------

class Template:
    __slots__ = ("cat", "name", "brands", "specs", "packs", "lo", "hi", "space", "stride", "offset", "uses")

    def __init__(self, rng, cat, spec):
        name, brands, specs, packs, (lo, hi) = spec
        self.cat, self.name, self.brands, self.specs, self.packs = cat, name, brands, specs, packs
        self.lo, self.hi = lo, hi
        self.space = len(brands) * len(specs) * len(packs)
        # k-th use -> (offset + k * stride) mod space: a permutation, so titles never repeat.
        while True:
            s = rng.randrange(1, self.space) if self.space > 1 else 1
            if math.gcd(s, self.space) == 1:
                break
        self.stride, self.offset, self.uses = s, rng.randrange(self.space), 0

    def next_title(self):
        k = self.uses
        self.uses += 1
        tier, j = divmod(k, self.space)
        idx = (self.offset + j * self.stride) % self.space
        nb, ns = len(self.brands), len(self.specs)
        b = idx % nb
        idx //= nb
        s = idx % ns
        p = idx // ns
        brand = self.brands[b]
        np_, nm = len(TITLE_PREFIXES), len(TITLE_MODIFIERS)
        extra, tier = divmod(tier, np_ * nm)
        prefix = TITLE_PREFIXES[tier % np_]
        modifier = TITLE_MODIFIERS[tier // np_]
        title = "%s%s %s %s %s%s" % (prefix, brand, self.name, self.specs[s], self.packs[p], modifier)
        if extra:
            title += " %d号款" % (extra + 1)
        return brand, title


def price_fen(rng, lo, hi):
    yuan = lo + int(rng.random() * (hi - lo + 1))
    r = rng.random()
    if yuan >= 100:
        yuan = max(lo, (yuan // 10) * 10 + 9)  # 129, 199, 1299 …
        cents = 0 if r < 0.75 else 90
    else:
        cents = 90 if r < 0.55 else (0 if r < 0.8 else (80 if r < 0.9 else 99))
    fen = yuan * 100 + cents
    return min(max(fen, 990), 299900)


def stratified_positions(rng, n, k):
    """k distinct positions in 1..n-1 (row 0 stays a plain row), one per equal stratum."""
    lo_bound = 1 if n > k else 0
    span = n - lo_bound
    out = []
    for j in range(k):
        a = lo_bound + (span * j) // k
        b = lo_bound + (span * (j + 1)) // k
        out.append(a + int(rng.random() * (b - a)))
    return out


def generate(args):
    rng = Random(args.seed)
    n = args.products
    with_bad = not args.no_bad_rows
    n_sup = max(MIN_SUPPLIERS, round(n / 10))
    suppliers = make_suppliers(rng, n_sup, with_bad)
    width = max(3, len(str(n_sup)))

    admitted_by_cat = {c: [s["id"] for s in suppliers if s["admitted"] and s["category"] == c] for c in CATEGORIES}
    assert all(admitted_by_cat[c] for c in CATEGORIES)
    failing = [s for s in suppliers if not s["admitted"]]
    fail_by_kind = {
        "capital": "SP%0*d" % (width, SP_CAPITAL_FAIL), "taxpayer": "SP%0*d" % (width, SP_TAXPAYER_FAIL),
        "deposit": "SP%0*d" % (width, SP_DEPOSIT_FAIL), "chain": "SP%0*d" % (width, SP_CHAIN_FAIL),
    }
    sup_cat = {s["id"]: s["category"] for s in suppliers}

    templates = {c: [Template(rng, c, t) for t in T[c]] for c in CATEGORIES}

    kinds = (BAD_KINDS if with_bad else []) + VALID_EDGE_KINDS
    if n < len(kinds):
        if with_bad:
            sys.exit("gen_catalog: with bad rows, --products must be at least %d (or use --no-bad-rows)" % len(kinds))
        kinds = kinds[:n]  # a tiny clean catalog: as many valid edge rows as fit
    order = list(range(len(kinds)))
    rng.shuffle(order)
    positions = stratified_positions(rng, n, len(kinds))
    special = {positions[j]: kinds[order[j]] for j in range(len(kinds))}

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "suppliers.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(SUPPLIER_COLUMNS)
        for s in suppliers:
            w.writerow(s["row"])

    pid_width = max(6, len(str(n)))
    cum = []
    acc = 0
    for wgt in CATEGORY_WEIGHTS:
        acc += wgt
        cum.append(acc / sum(CATEGORY_WEIGHTS))
    r = rng.random
    report = []  # (product_id, kind, code, note)

    with open(os.path.join(args.out, "products.csv"), "w", encoding="utf-8", newline="", buffering=1 << 20) as f:
        w = csv.writer(f, lineterminator="\n")
        pictures = write_pictures(args.out) if args.images else None
        w.writerow(PRODUCT_COLUMNS + (["image"] if pictures else []))
        writerow = w.writerow
        for i in range(n):
            pid = "P%0*d" % (pid_width, i + 1)
            spec = special.get(i)
            kind = spec[0] if spec else None

            # category (forced to the failing supplier's for supplier-admission rows)
            forced_sup = None
            if kind and kind.startswith("admission-"):
                forced_sup = fail_by_kind[kind.split("-")[1]]
                cat = sup_cat[forced_sup]
                r()
            else:
                x = r()
                cat = CATEGORIES[-1]
                for ci, c in enumerate(cum):
                    if x < c:
                        cat = CATEGORIES[ci]
                        break
            tl = templates[cat]
            tpl = tl[int(r() * len(tl))]
            brand, title = tpl.next_title()
            sl = admitted_by_cat[cat]
            sid = sl[int(r() * len(sl))]
            if forced_sup:
                sid = forced_sup

            pf = price_fen(rng, tpl.lo, tpl.hi)
            lo, hi = COMMISSION[cat]
            x = r()
            step = 100 if x < 0.7 else 50
            cbp = (lo * 100 + int(r() * ((hi - lo) * 100 // step + 1)) * step)
            x = r()
            comm_percent = x < 0.35
            commission = rate_text(cbp, comm_percent)

            x = r()
            if x < 0.04:
                stock = 0
            elif x < 0.09:
                stock = 10000 + int(r() * 90000)
            else:
                stock = 20 + int(r() * 4981)
            status = "off" if r() < 0.05 else "on"

            market = ""
            if r() < 0.35:
                d = (0, 50, 100, 100, 200, 200, 300, 500)[int(r() * 8)]
                mbp = max(100, cbp - d)
                if mbp > cbp:
                    mbp = cbp
                market = rate_text(mbp, r() < 0.3)

            other = ""
            if r() < 0.35:
                if r() < 0.1:
                    ofen = pf
                else:
                    ofen = pf + int(pf * (0.03 + 0.3 * r()))
                    ofen = ofen - ofen % 10
                    if ofen < pf:
                        ofen = pf
                other = money_text(ofen, int(r() * 3))

            # tags: ~60% have at least one, ~3% all four
            x = r()
            if x < 0.40:
                tags = ""
            elif x < 0.43:
                tags = ";".join(TAGS)
            else:
                chosen = [
                    r() < (0.55 if cbp >= 2000 else 0.15),
                    r() < (0.5 if cat in REPURCHASE_CATEGORIES else 0.15),
                    r() < (0.6 if brand in WELL_KNOWN else 0.1),
                    r() < (0.6 if pf < 5000 else 0.1),
                ]
                if not any(chosen):
                    chosen[int(r() * 4)] = True
                tags = ";".join(t for t, c in zip(TAGS, chosen) if c)

            # sale window: ~10% of products
            sale_start = sale_end = ""
            if r() < 0.10:
                sale_start, sale_end = sale_window(rng)

            # description
            x = r()
            if x < 0.30:
                desc = ""
            else:
                dl = POINTS[tpl.name] if r() < 0.6 else DESCRIPTIONS[cat]
                desc = dl[int(r() * len(dl))]
                y = r()
                if y < 0.45:
                    desc += "，" + GENERIC_DESCRIPTIONS[int(r() * len(GENERIC_DESCRIPTIONS))]
                elif y < 0.52:
                    desc += "," + GENERIC_DESCRIPTIONS[int(r() * len(GENERIC_DESCRIPTIONS))]
                elif y < 0.56:
                    desc = QUOTED_DESCRIPTIONS[int(r() * len(QUOTED_DESCRIPTIONS))] + "，" + desc
                elif y < 0.565:
                    desc += "\n" + GENERIC_DESCRIPTIONS[int(r() * len(GENERIC_DESCRIPTIONS))]

            price = money_text(pf, 0 if r() < 0.6 else 1)
            row = [pid, sid, title, brand, cat, price, commission, str(stock), status, market, other, tags,
                   sale_start, sale_end, desc]
            if spec:
                code, note = apply_special(row, kind, pf, cbp, width, n_sup)
                report.append((pid, kind, spec[1], note))
            if pictures:
                # Most products have a picture of their category; every eighth has none.
                choices = pictures.get(row[4])
                row.append(choices[(i // 8) % 2] if choices and i % 8 != 7 else "")
            writerow(row)

    return suppliers, failing, report, n


def sale_window(rng):
    x = rng.random()
    month, day = FESTIVALS[int(rng.random() * len(FESTIVALS))]
    days = 1 + int(rng.random() * 20)
    if x < 0.30:    # in the past
        start = datetime(2025 if rng.random() < 0.6 else 2024, month, day)
        return rfc3339(start), rfc3339(start + timedelta(days=days, seconds=-1))
    if x < 0.55:    # in the future
        start = datetime(2027, month, day)
        return rfc3339(start), rfc3339(start + timedelta(days=days, seconds=-1))
    if x < 0.70:    # running: started in the past, ends in the future
        return rfc3339(datetime(2025, month, day)), rfc3339(datetime(2027, 12, 31, 23, 59, 59))
    if x < 0.85:    # presale: starts in the future, no end
        return rfc3339(datetime(2027, month, day, 20)), ""
    # ends only: some ended, some still running
    end = datetime(2025 if rng.random() < 0.5 else 2027, month, day, 23, 59, 59)
    return "", rfc3339(end)


def apply_special(row, kind, pf, cbp, width, n_sup):
    """Mutates one field of a valid row; returns (code, note)."""
    if kind == "unknown-supplier-1":
        row[1] = "SP%0*d" % (width, n_sup + 1)
        return "unknown-supplier", "supplier_id %s is not in suppliers.csv" % row[1]
    if kind == "unknown-supplier-2":
        row[1] = "SP%0*d" % (width, 0)
        return "unknown-supplier", "supplier_id %s is not in suppliers.csv" % row[1]
    if kind.startswith("admission-"):
        return "supplier-admission", "supplier %s fails admission" % row[1]
    if kind == "below-market-1":
        row[6], row[9] = rate_text(cbp, False), rate_text(cbp + 500, True)
        return "commission-below-market", "commission_rate %s < market_commission_rate %s" % (row[6], row[9])
    if kind == "below-market-2":
        row[6], row[9] = rate_text(cbp, True), rate_text(cbp + 50, False)
        return "commission-below-market", "commission_rate %s < market_commission_rate %s" % (row[6], row[9])
    if kind == "equal-market":
        row[6], row[9] = rate_text(cbp, True), "%d.%02d" % divmod(cbp, 100)  # 12.5% vs 12.50
        return None, "valid: commission_rate %s equals market_commission_rate %s" % (row[6], row[9])
    if kind == "parity-1":
        row[10] = money_text(pf - 1000 if pf > 2000 else pf - 100, 0)
        return "price-parity", "price %s > other_platform_price %s" % (row[5], row[10])
    if kind == "parity-2":
        row[10] = money_text(pf - 1, 0)
        return "price-parity", "price %s > other_platform_price %s (by 1 fen)" % (row[5], row[10])
    if kind == "equal-price":
        row[5], row[10] = money_text(pf, 0), money_text(pf, 2)
        return None, "valid: price %s equals other_platform_price %s" % (row[5], row[10])
    if kind == "category-digital":
        row[4] = "数码家电"
        return "category", "category 数码家电"
    if kind == "category-books":
        row[4] = "图书"
        return "category", "category 图书"
    if kind == "bad-price-decimals":
        row[5] = "19.999"
        return "bad-value", "price 19.999 (3 decimals)"
    if kind == "bad-price-negative":
        row[5] = "-" + money_text(pf, 0)
        return "bad-value", "negative price %s" % row[5]
    if kind == "bad-title-empty":
        row[2] = ""
        return "bad-value", "empty title"
    if kind == "bad-stock-negative":
        row[7] = "-3"
        return "bad-value", "stock -3"
    if kind == "bad-commission-120":
        row[6], row[9] = "120", ""
        return "bad-value", "commission_rate 120"
    if kind == "bad-status":
        row[8] = "maybe"
        return "bad-value", "status maybe"
    if kind == "bad-tag":
        row[11] = "high-margin;best-seller"
        return "bad-value", "unknown tag best-seller"
    if kind == "bad-sale-start-zone":
        row[12], row[13] = "2026-11-01T00:00:00", "2026-11-30T23:59:59+08:00"
        return "bad-value", "sale_start 2026-11-01T00:00:00 has no zone"
    if kind == "quoting":
        row[14] = '"国民好物",回购率超高\n第二行：买二件再减10元'
        return None, "valid: description with a comma, double quotes and a line break"
    raise AssertionError(kind)


# --------------------------------------------------------------------------------------------
# Product pictures (--images): palette PNGs drawn with filled shapes, deflate-compressed.
# --------------------------------------------------------------------------------------------
IMAGE_SLUGS = {"食品保健": "food", "美妆个护": "beauty", "母婴玩具": "baby", "家居电器": "home", "服饰运动": "sports"}
IMAGE_SIDE = 512


def png_palette(width, height, palette, pixels):
    """A PNG file (colour type 3, 8 bits per pixel) of `pixels` (rows of palette indices)."""
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(row) for row in pixels)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
            + chunk(b"PLTE", b"".join(bytes(c) for c in palette)) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


class Canvas:
    def __init__(self, side, colour):
        self.side = side
        self.px = [[colour] * side for _ in range(side)]

    def rect(self, x, y, w, h, c):
        for yy in range(max(0, y), min(self.side, y + h)):
            row = self.px[yy]
            for xx in range(max(0, x), min(self.side, x + w)):
                row[xx] = c

    def circle(self, cx, cy, r, c):
        for yy in range(max(0, cy - r), min(self.side, cy + r + 1)):
            for xx in range(max(0, cx - r), min(self.side, cx + r + 1)):
                if (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r:
                    self.px[yy][xx] = c

    def rounded(self, x, y, w, h, r, c):
        self.rect(x + r, y, w - 2 * r, h, c)
        self.rect(x, y + r, w, h - 2 * r, c)
        for cx, cy in ((x + r, y + r), (x + w - r - 1, y + r), (x + r, y + h - r - 1), (x + w - r - 1, y + h - r - 1)):
            self.circle(cx, cy, r, c)

    def triangle(self, cx, top, bottom, w, c):
        for yy in range(top, bottom + 1):
            half = (yy - top) * w // (2 * (bottom - top))
            self.rect(cx - half, yy, 2 * half + 1, 1, c)


# Palette: 0 background, 1 a darker shade, 2 white, 3 the shape's colour, 4 an accent.
IMAGE_PALETTES = {
    "food": [(0xE3, 0xF2, 0xD9), (0xB9, 0xDB, 0xA5), (0xFF, 0xFF, 0xFF), (0x3C, 0x8D, 0x2F), (0xC9, 0x8B, 0x2B)],
    "beauty": [(0xFC, 0xE4, 0xEC), (0xF5, 0xB8, 0xCB), (0xFF, 0xFF, 0xFF), (0xD8, 0x4C, 0x7A), (0x9C, 0x27, 0xB0)],
    "baby": [(0xFF, 0xF4, 0xCC), (0xFF, 0xE0, 0x8A), (0xFF, 0xFF, 0xFF), (0xF5, 0xA6, 0x23), (0x42, 0xA5, 0xF5)],
    "home": [(0xE1, 0xEE, 0xFB), (0xB3, 0xD1, 0xF2), (0xFF, 0xFF, 0xFF), (0x1E, 0x6F, 0xC8), (0x90, 0xA4, 0xAE)],
    "sports": [(0xFF, 0xE8, 0xD9), (0xFF, 0xC4, 0x9E), (0xFF, 0xFF, 0xFF), (0xF2, 0x6B, 0x1D), (0x33, 0x33, 0x33)],
}


def draw_picture(slug, variant):
    s = IMAGE_SIDE
    c = Canvas(s, 0)
    c.circle(s // 2, s // 2, s * 2 // 5, 1)  # a soft disc behind the object
    if slug == "food":  # a tea jar with its lid and a leaf
        c.rounded(156, 176, 200, 220, 36, 3 if variant == 0 else 4)
        c.rounded(140, 140, 232, 50, 20, 4 if variant == 0 else 3)
        c.rounded(196, 240, 120, 90, 16, 2)
        c.circle(256, 285, 26, 3 if variant == 0 else 4)
    elif slug == "beauty":  # a bottle with a cap, and a round jar
        c.rounded(150, 170, 120, 240, 30, 3)
        c.rounded(180, 110, 60, 70, 12, 4)
        c.rounded(290, 290, 110, 120, 24, 4 if variant == 0 else 2)
        c.rect(290, 330, 110, 16, 3 if variant == 0 else 4)
    elif slug == "baby":  # a ball and a block
        c.circle(210, 280, 110, 3 if variant == 0 else 4)
        c.rect(100, 270, 220, 22, 2)
        c.rounded(310, 170, 110, 110, 18, 4 if variant == 0 else 3)
        c.circle(365, 225, 22, 2)
    elif slug == "home":  # an appliance with a round window
        c.rounded(146, 120, 220, 280, 28, 2)
        c.rect(146, 160, 220, 10, 4)
        c.circle(256, 290, 80, 3 if variant == 0 else 4)
        c.circle(256, 290, 52, 2)
        c.circle(190, 140, 10, 3)
    else:  # sports: a pennant over a bar
        c.triangle(256, 110, 330, 260, 3 if variant == 0 else 4)
        c.rounded(116, 350, 280, 46, 20, 4 if variant == 0 else 3)
        c.circle(256, 250, 40, 2)
    return png_palette(s, s, IMAGE_PALETTES[slug], c.px)


def write_pictures(out):
    """Writes OUT/images/<slug>-<variant>.png; returns {category: [relative paths]}."""
    folder = os.path.join(out, "images")
    os.makedirs(folder, exist_ok=True)
    paths = {}
    for cat, slug in IMAGE_SLUGS.items():
        paths[cat] = []
        for v in (0, 1):
            name = "images/%s-%d.png" % (slug, v + 1)
            with open(os.path.join(out, name), "wb") as f:
                f.write(draw_picture(slug, v))
            paths[cat].append(name)
    return paths


def main():
    ap = argparse.ArgumentParser(description="Generate a deterministic shopctl catalog (suppliers.csv, products.csv).")
    ap.add_argument("--products", type=int, default=320, help="number of product rows (default 320)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--out", default="examples/catalog", help="output folder (default examples/catalog)")
    ap.add_argument("--no-bad-rows", action="store_true",
                    help="no rule-breaking rows and no suppliers that fail admission")
    ap.add_argument("--images", action="store_true",
                    help="also draw product pictures into OUT/images and fill the products column image")
    ap.add_argument("--table", action="store_true",
                    help="print the special rows (product_id, expected code, what) as a Markdown table on stdout")
    args = ap.parse_args()
    if args.products < 1:
        ap.error("--products must be at least 1")

    t0 = time.monotonic()
    suppliers, failing, report, n = generate(args)
    elapsed = time.monotonic() - t0

    counts = {c: 0 for c in CODE_ORDER}
    valid_edges = 0
    for _, _, code, _ in report:
        if code:
            counts[code] += 1
        else:
            valid_edges += 1
    bad_total = sum(counts.values())
    per_code = ", ".join("%s %d" % (c, counts[c]) for c in CODE_ORDER)
    failing_text = " ".join(s["id"] for s in failing) or "none"
    print("gen_catalog: %d suppliers (%d fail admission: %s), %d products; intended bad rows %d (%s); "
          "valid edge rows %d; seed %d -> %s in %.2fs"
          % (len(suppliers), len(failing), failing_text, n, bad_total, per_code, valid_edges, args.seed, args.out,
             elapsed), file=sys.stderr)

    if args.table:
        print("| product_id | expected | row |")
        print("|---|---|---|")
        for pid, _, code, note in sorted(report, key=lambda x: x[0]):
            print("| %s | %s | %s |" % (pid, "`%s`" % code if code else "accepted", note))
        print()
        print("| supplier_id | admission | why |")
        print("|---|---|---|")
        for s in suppliers:
            if s["note"]:
                print("| %s | %s | %s |" % (s["id"], "passes" if s["admitted"] else "**fails**", s["note"]))


if __name__ == "__main__":
    main()
