#!/usr/bin/env python3
"""Build counties_160.csv: the 160 national key counties for rural-revitalization
assistance (国家乡村振兴重点帮扶县, list of 2021-08-27) with facts and flags.

Standard library only.  Run from anywhere:
    python3 scenarios/data/research/build_counties_160.py
It writes counties_160.csv next to this file and prints the checks.

Every source key used below is explained in counties_160_notes.md.
Flags follow the rules documented there; the rules are the code in this file,
so the CSV is reproducible.  Where a value comes from a per-county public
statement it is 'observed', otherwise 'assigned'.
"""
import csv
import os
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "counties_160.csv")

# --------------------------------------------------------------------------
# 1. The list.  One row per county:
#    (name_zh, name, code, prefecture_zh, prefecture, lat, lon, coord_quality, list_key)
# code: AREACITY (stats-bureau 6-digit code, current at the time of that file).
# lat/lon: SFYC23 county-seat gazetteer (2 decimals) -> coord_quality 'gazetteer';
#          'approx' = not in that file, position recalled to ~0.05 deg.
# list_key: which source puts the county on the 160 list (see notes).
#   'RECALL' = membership reconstructed, not yet confirmed by a source; any keys
#   after RECALL are supporting or contrary evidence only (see the section
#   'Verification of the reconstructed rows' in counties_160_notes.md).
# --------------------------------------------------------------------------
G, A = "gazetteer", "approx"

COUNTIES = {
    "Inner Mongolia": [
        ("巴林左旗", "Bairin Left Banner", "150422", "赤峰市", "Chifeng", 43.98, 119.38, G, "LIST_HN"),
        ("库伦旗", "Hure (Kulun) Banner", "150524", "通辽市", "Tongliao", 42.73, 121.77, G, "LIST_HN"),
        ("鄂伦春自治旗", "Oroqen Autonomous Banner", "150723", "呼伦贝尔市", "Hulunbuir", 50.58, 123.72, G, "LIST_HN"),
        ("化德县", "Huade", "150922", "乌兰察布市", "Ulanqab", 41.90, 114.00, G, "LIST_HN"),
        ("商都县", "Shangdu", "150923", "乌兰察布市", "Ulanqab", 41.55, 113.53, G, "LIST_HN"),
        ("四子王旗", "Siziwang Banner", "150929", "乌兰察布市", "Ulanqab", 41.52, 111.70, G, "LIST_HN"),
        ("科尔沁右翼前旗", "Horqin Right Front Banner", "152221", "兴安盟", "Hinggan League", 46.07, 121.92, G, "LIST_HN"),
        ("科尔沁右翼中旗", "Horqin Right Middle Banner", "152222", "兴安盟", "Hinggan League", 45.05, 121.47, G, "LIST_HN"),
        ("扎赉特旗", "Jalaid Banner", "152223", "兴安盟", "Hinggan League", 46.73, 122.90, G, "LIST_HN"),
        ("正镶白旗", "Zhengxiangbai Banner", "152529", "锡林郭勒盟", "Xilingol League", 42.30, 115.00, G, "LIST_HN"),
    ],
    "Guangxi": [
        ("马山县", "Mashan", "450124", "南宁市", "Nanning", 23.72, 108.17, G, "LIST_HN"),
        ("融水苗族自治县", "Rongshui", "450225", "柳州市", "Liuzhou", 25.07, 109.25, G, "LIST_HN"),
        ("三江侗族自治县", "Sanjiang", "450226", "柳州市", "Liuzhou", 25.78, 109.60, G, "LIST_HN"),
        ("德保县", "Debao", "451024", "百色市", "Baise", 23.33, 106.62, G, "LIST_HN"),
        ("那坡县", "Napo", "451026", "百色市", "Baise", 23.42, 105.83, G, "LIST_HN"),
        ("凌云县", "Lingyun", "451027", "百色市", "Baise", 24.35, 106.57, G, "LIST_HN"),
        ("乐业县", "Leye", "451028", "百色市", "Baise", 24.78, 106.55, G, "LIST_HN"),
        ("田林县", "Tianlin", "451029", "百色市", "Baise", 24.30, 106.23, G, "LIST_HN"),
        ("隆林各族自治县", "Longlin", "451031", "百色市", "Baise", 24.77, 105.33, G, "LIST_HN"),
        ("靖西市", "Jingxi", "451081", "百色市", "Baise", 23.13, 106.42, G, "LIST_HN"),
        ("昭平县", "Zhaoping", "451121", "贺州市", "Hezhou", 24.17, 110.80, G, "LIST_HN"),
        ("凤山县", "Fengshan", "451223", "河池市", "Hechi", 24.55, 107.05, G, "LIST_HN"),
        ("东兰县", "Donglan", "451224", "河池市", "Hechi", 24.52, 107.37, G, "LIST_HN"),
        ("罗城仫佬族自治县", "Luocheng", "451225", "河池市", "Hechi", 24.78, 108.90, G, "LIST_HN"),
        ("环江毛南族自治县", "Huanjiang", "451226", "河池市", "Hechi", 24.83, 108.25, G, "LIST_HN"),
        ("巴马瑶族自治县", "Bama", "451227", "河池市", "Hechi", 24.15, 107.25, G, "LIST_HN"),
        ("都安瑶族自治县", "Du'an", "451228", "河池市", "Hechi", 23.93, 108.10, G, "LIST_HN"),
        ("大化瑶族自治县", "Dahua", "451229", "河池市", "Hechi", 23.73, 107.98, G, "LIST_HN"),
        ("忻城县", "Xincheng", "451321", "来宾市", "Laibin", 24.07, 108.67, G, "LIST_HN"),
        ("天等县", "Tiandeng", "451425", "崇左市", "Chongzuo", 23.08, 107.13, G, "LIST_HN"),
    ],
    "Chongqing": [
        ("城口县", "Chengkou", "500229", "重庆市", "Chongqing", 31.95, 108.67, G, "LIST_HN"),
        ("巫溪县", "Wuxi", "500238", "重庆市", "Chongqing", 31.40, 109.63, G, "LIST_HN"),
        ("酉阳土家族苗族自治县", "Youyang", "500242", "重庆市", "Chongqing", 28.85, 108.77, G, "LIST_HN"),
        ("彭水苗族土家族自治县", "Pengshui", "500243", "重庆市", "Chongqing", 29.30, 108.17, G, "LIST_HN"),
    ],
    "Sichuan": [
        ("金川县", "Jinchuan", "513226", "阿坝藏族羌族自治州", "Aba (Ngawa)", 31.48, 102.07, G, "LIST_HN;LIST_SC"),
        ("黑水县", "Heishui", "513228", "阿坝藏族羌族自治州", "Aba (Ngawa)", 32.07, 102.98, G, "LIST_HN;LIST_SC"),
        ("壤塘县", "Rangtang", "513230", "阿坝藏族羌族自治州", "Aba (Ngawa)", 32.27, 100.98, G, "LIST_HN;LIST_SC"),
        ("阿坝县", "Aba County", "513231", "阿坝藏族羌族自治州", "Aba (Ngawa)", 32.90, 101.70, G, "LIST_HN;LIST_SC"),
        ("若尔盖县", "Ruoergai (Zoige)", "513232", "阿坝藏族羌族自治州", "Aba (Ngawa)", 33.58, 102.95, G, "LIST_HN;LIST_SC"),
        ("红原县", "Hongyuan", "513233", "阿坝藏族羌族自治州", "Aba (Ngawa)", 32.80, 102.55, G, "LIST_HN;LIST_SC"),
        ("道孚县", "Daofu", "513326", "甘孜藏族自治州", "Ganzi (Garze)", 30.98, 101.12, G, "LIST_HN;LIST_SC"),
        ("炉霍县", "Luhuo", "513327", "甘孜藏族自治州", "Ganzi (Garze)", 31.40, 100.68, G, "LIST_HN;LIST_SC"),
        ("甘孜县", "Ganzi County", "513328", "甘孜藏族自治州", "Ganzi (Garze)", 31.62, 99.98, G, "LIST_HN;LIST_SC"),
        ("新龙县", "Xinlong", "513329", "甘孜藏族自治州", "Ganzi (Garze)", 30.95, 100.32, G, "LIST_HN;LIST_SC"),
        ("德格县", "Dege", "513330", "甘孜藏族自治州", "Ganzi (Garze)", 31.82, 98.58, G, "LIST_HN;LIST_SC"),
        ("白玉县", "Baiyu", "513331", "甘孜藏族自治州", "Ganzi (Garze)", 31.22, 98.83, G, "LIST_HN;LIST_SC"),
        ("石渠县", "Shiqu", "513332", "甘孜藏族自治州", "Ganzi (Garze)", 32.98, 98.10, G, "LIST_HN;LIST_SC"),
        ("色达县", "Seda", "513333", "甘孜藏族自治州", "Ganzi (Garze)", 32.27, 100.33, G, "LIST_HN;LIST_SC"),
        ("理塘县", "Litang", "513334", "甘孜藏族自治州", "Ganzi (Garze)", 30.00, 100.27, G, "LIST_HN;LIST_SC"),
        ("盐源县", "Yanyuan", "513423", "凉山彝族自治州", "Liangshan", 27.43, 101.50, G, "LIST_HN;LIST_SC"),
        ("普格县", "Puge", "513428", "凉山彝族自治州", "Liangshan", 27.38, 102.53, G, "LIST_HN;LIST_SC"),
        ("布拖县", "Butuo", "513429", "凉山彝族自治州", "Liangshan", 27.72, 102.82, G, "LIST_HN;LIST_SC"),
        ("金阳县", "Jinyang", "513430", "凉山彝族自治州", "Liangshan", 27.70, 103.25, G, "LIST_HN;LIST_SC"),
        ("昭觉县", "Zhaojue", "513431", "凉山彝族自治州", "Liangshan", 28.02, 102.85, G, "LIST_HN;LIST_SC"),
        ("喜德县", "Xide", "513432", "凉山彝族自治州", "Liangshan", 28.32, 102.42, G, "LIST_HN;LIST_SC"),
        ("越西县", "Yuexi", "513434", "凉山彝族自治州", "Liangshan", 28.65, 102.52, G, "LIST_HN;LIST_SC"),
        ("甘洛县", "Ganluo", "513435", "凉山彝族自治州", "Liangshan", 28.97, 102.77, G, "LIST_HN;LIST_SC"),
        ("美姑县", "Meigu", "513436", "凉山彝族自治州", "Liangshan", 28.33, 103.13, G, "LIST_HN;LIST_SC"),
        ("雷波县", "Leibo", "513437", "凉山彝族自治州", "Liangshan", 28.27, 103.57, G, "LIST_HN;LIST_SC"),
    ],
    "Guizhou": [
        ("水城区", "Shuicheng", "520204", "六盘水市", "Liupanshui", 26.55, 104.95, G, "LIST_HN;HU2021"),
        ("正安县", "Zheng'an", "520324", "遵义市", "Zunyi", 28.55, 107.43, G, "LIST_HN"),
        ("务川仡佬族苗族自治县", "Wuchuan", "520326", "遵义市", "Zunyi", 28.53, 107.88, G, "LIST_HN"),
        ("关岭布依族苗族自治县", "Guanling", "520424", "安顺市", "Anshun", 25.95, 105.62, G, "LIST_HN"),
        ("紫云苗族布依族自治县", "Ziyun", "520425", "安顺市", "Anshun", 25.75, 106.08, G, "LIST_HN"),
        ("织金县", "Zhijin", "520524", "毕节市", "Bijie", 26.67, 105.77, G, "LIST_HN"),
        ("纳雍县", "Nayong", "520525", "毕节市", "Bijie", 26.78, 105.38, G, "LIST_HN;HU2021"),
        ("威宁彝族回族苗族自治县", "Weining", "520526", "毕节市", "Bijie", 26.86, 104.28, A, "LIST_HN"),
        ("赫章县", "Hezhang", "520527", "毕节市", "Bijie", 27.13, 104.72, G, "LIST_HN"),
        ("沿河土家族自治县", "Yanhe", "520627", "铜仁市", "Tongren", 28.57, 108.50, G, "LIST_HN"),
        ("松桃苗族自治县", "Songtao", "520628", "铜仁市", "Tongren", 28.17, 109.20, G, "LIST_HN"),
        ("晴隆县", "Qinglong", "522324", "黔西南布依族苗族自治州", "Qianxinan", 25.83, 105.22, G, "LIST_HN"),
        ("望谟县", "Wangmo", "522326", "黔西南布依族苗族自治州", "Qianxinan", 25.17, 106.10, G, "LIST_HN"),
        ("册亨县", "Ceheng", "522327", "黔西南布依族苗族自治州", "Qianxinan", 24.98, 105.82, G, "LIST_HN"),
        ("锦屏县", "Jinping (Guizhou)", "522628", "黔东南苗族侗族自治州", "Qiandongnan", 26.68, 109.20, G, "LIST_HN"),
        ("剑河县", "Jianhe", "522629", "黔东南苗族侗族自治州", "Qiandongnan", 26.73, 108.45, G, "LIST_HN"),
        ("榕江县", "Rongjiang", "522632", "黔东南苗族侗族自治州", "Qiandongnan", 25.93, 108.52, G, "LIST_HN"),
        ("从江县", "Congjiang", "522633", "黔东南苗族侗族自治州", "Qiandongnan", 25.75, 108.90, G, "LIST_HN"),
        ("罗甸县", "Luodian", "522728", "黔南布依族苗族自治州", "Qiannan", 25.43, 106.75, G, "LIST_HN"),
        ("三都水族自治县", "Sandu", "522732", "黔南布依族苗族自治州", "Qiannan", 25.98, 107.87, G, "LIST_HN"),
    ],
    "Yunnan": [
        ("东川区", "Dongchuan", "530113", "昆明市", "Kunming", 26.08, 103.18, G, "LIST_HN"),
        ("会泽县", "Huize", "530326", "曲靖市", "Qujing", 26.42, 103.30, G, "LIST_HN;HU2022;YN2020EXIT"),
        ("宣威市", "Xuanwei", "530381", "曲靖市", "Qujing", 26.22, 104.10, G, "LIST_HN;HU2022"),
        ("昭阳区", "Zhaoyang", "530602", "昭通市", "Zhaotong", 27.33, 103.72, G, "LIST_HN"),
        ("鲁甸县", "Ludian", "530621", "昭通市", "Zhaotong", 27.20, 103.55, G, "LIST_HN"),
        ("巧家县", "Qiaojia", "530622", "昭通市", "Zhaotong", 26.92, 102.92, G, "LIST_HN"),
        ("盐津县", "Yanjin", "530623", "昭通市", "Zhaotong", 28.12, 104.23, G, "LIST_HN"),
        ("大关县", "Daguan", "530624", "昭通市", "Zhaotong", 27.75, 103.88, G, "LIST_HN"),
        ("永善县", "Yongshan", "530625", "昭通市", "Zhaotong", 28.23, 103.63, G, "LIST_HN"),
        ("镇雄县", "Zhenxiong", "530627", "昭通市", "Zhaotong", 27.45, 104.87, G, "LIST_HN;YN2020EXIT"),
        ("彝良县", "Yiliang", "530628", "昭通市", "Zhaotong", 27.63, 104.05, G, "LIST_HN"),
        # --- below: not in any stored list page; reconstructed (see notes) ---
        ("宁蒗彝族自治县", "Ninglang", "530724", "丽江市", "Lijiang", 27.28, 100.85, G, "RECALL;YN2020EXIT"),
        ("澜沧拉祜族自治县", "Lancang", "530828", "普洱市", "Pu'er", 22.55, 99.93, G, "RECALL;YN2020EXIT"),
        ("镇康县", "Zhenkang", "530924", "临沧市", "Lincang", 23.78, 98.83, G, "RECALL"),
        ("沧源佤族自治县", "Cangyuan", "530927", "临沧市", "Lincang", 23.15, 99.25, G, "RECALL"),
        ("武定县", "Wuding", "532329", "楚雄彝族自治州", "Chuxiong", 25.53, 102.40, G, "RECALL;WUDING"),
        ("屏边苗族自治县", "Pingbian", "532523", "红河哈尼族彝族自治州", "Honghe", 22.98, 103.68, G, "RECALL;YN2020EXIT"),
        ("元阳县", "Yuanyang", "532528", "红河哈尼族彝族自治州", "Honghe", 23.23, 102.83, G, "RECALL"),
        ("红河县", "Honghe County", "532529", "红河哈尼族彝族自治州", "Honghe", 23.37, 102.42, G, "RECALL"),
        ("金平苗族瑶族傣族自治县", "Jinping (Yunnan)", "532530", "红河哈尼族彝族自治州", "Honghe", 22.78, 103.23, A, "RECALL"),
        ("绿春县", "Lüchun", "532531", "红河哈尼族彝族自治州", "Honghe", 23.00, 102.40, G, "RECALL"),
        ("广南县", "Guangnan", "532627", "文山壮族苗族自治州", "Wenshan", 24.05, 105.07, G, "RECALL;YN2020EXIT"),
        ("泸水市", "Lushui", "533301", "怒江傈僳族自治州", "Nujiang", 25.85, 98.85, G, "RECALL;YN2020EXIT"),
        ("福贡县", "Fugong", "533323", "怒江傈僳族自治州", "Nujiang", 26.90, 98.87, G, "RECALL;YN2020EXIT"),
        ("贡山独龙族怒族自治县", "Gongshan", "533324", "怒江傈僳族自治州", "Nujiang", 27.73, 98.67, G, "RECALL"),
        ("兰坪白族普米族自治县", "Lanping", "533325", "怒江傈僳族自治州", "Nujiang", 26.45, 99.42, G, "RECALL;YN2020EXIT"),
        ("维西傈僳族自治县", "Weixi", "533423", "迪庆藏族自治州", "Diqing", 27.18, 99.28, G, "RECALL"),
    ],
    "Shaanxi": [
        ("略阳县", "Lüeyang", "610727", "汉中市", "Hanzhong", 33.33, 106.15, G, "LIST_SX"),
        ("镇巴县", "Zhenba", "610728", "汉中市", "Hanzhong", 32.53, 107.90, G, "LIST_SX"),
        ("子洲县", "Zizhou", "610831", "榆林市", "Yulin", 37.62, 110.03, G, "RECALL;SX2020EXIT"),
        ("汉滨区", "Hanbin", "610902", "安康市", "Ankang", 32.68, 109.02, G, "RECALL;SX2020EXIT;XA_AK"),
        ("紫阳县", "Ziyang", "610924", "安康市", "Ankang", 32.52, 108.53, G, "RECALL;SX2020EXIT"),
        ("岚皋县", "Langao", "610925", "安康市", "Ankang", 32.32, 108.90, G, "RECALL;SX2020EXIT"),
        ("白河县", "Baihe", "610929", "安康市", "Ankang", 32.82, 110.10, G, "RECALL;SX2020EXIT;XA_AK"),
        ("丹凤县", "Danfeng", "611022", "商洛市", "Shangluo", 33.70, 110.33, G, "RECALL;SX2020EXIT"),
        ("商南县", "Shangnan", "611023", "商洛市", "Shangluo", 33.53, 110.88, G, "RECALL;SX2020EXIT"),
        ("山阳县", "Shanyang", "611024", "商洛市", "Shangluo", 33.53, 109.88, G, "RECALL;SX2020EXIT"),
        ("镇安县", "Zhen'an", "611025", "商洛市", "Shangluo", 33.43, 109.15, G, "RECALL;SX2018EXIT"),
    ],
    "Gansu": [
        ("会宁县", "Huining", "620422", "白银市", "Baiyin", 35.70, 105.05, G, "RECALL;HUINING"),
        ("清水县", "Qingshui", "620521", "天水市", "Tianshui", 34.75, 106.13, G, "RECALL"),
        ("秦安县", "Qin'an", "620522", "天水市", "Tianshui", 34.87, 105.67, G, "RECALL"),
        ("甘谷县", "Gangu", "620523", "天水市", "Tianshui", 34.73, 105.33, G, "RECALL"),
        ("张家川回族自治县", "Zhangjiachuan", "620525", "天水市", "Tianshui", 35.00, 106.22, G, "RECALL"),
        ("古浪县", "Gulang", "620622", "武威市", "Wuwei", 37.47, 102.88, G, "RECALL"),
        ("庄浪县", "Zhuanglang", "620825", "平凉市", "Pingliang", 35.20, 106.05, G, "RECALL"),
        ("环县", "Huanxian", "621022", "庆阳市", "Qingyang", 36.58, 107.30, G, "RECALL"),
        ("镇原县", "Zhenyuan", "621027", "庆阳市", "Qingyang", 35.68, 107.20, G, "RECALL;GSLAST8"),
        ("通渭县", "Tongwei", "621121", "定西市", "Dingxi", 35.20, 105.25, G, "RECALL;GSLAST8"),
        ("渭源县", "Weiyuan", "621123", "定西市", "Dingxi", 35.13, 104.22, G, "RECALL"),
        ("漳县", "Zhangxian", "621125", "定西市", "Dingxi", 34.85, 104.47, G, "RECALL"),
        ("岷县", "Minxian", "621126", "定西市", "Dingxi", 34.43, 104.03, G, "RECALL;GSLAST8"),
        ("文县", "Wenxian", "621222", "陇南市", "Longnan", 32.95, 104.68, G, "RECALL"),
        ("宕昌县", "Tanchang", "621223", "陇南市", "Longnan", 34.05, 104.38, G, "RECALL;GSLAST8"),
        ("西和县", "Xihe", "621225", "陇南市", "Longnan", 34.02, 105.30, G, "RECALL;GSLAST8"),
        ("礼县", "Lixian", "621226", "陇南市", "Longnan", 34.18, 105.17, G, "RECALL;GSLAST8"),
        ("临夏县", "Linxia County", "622921", "临夏回族自治州", "Linxia", 35.50, 103.00, G, "RECALL;GSLAST8"),
        ("康乐县", "Kangle", "622922", "临夏回族自治州", "Linxia", 35.37, 103.72, G, "RECALL"),
        ("广河县", "Guanghe", "622924", "临夏回族自治州", "Linxia", 35.48, 103.58, G, "RECALL"),
        ("和政县", "Hezheng", "622925", "临夏回族自治州", "Linxia", 35.43, 103.35, G, "RECALL"),
        ("东乡族自治县", "Dongxiang", "622926", "临夏回族自治州", "Linxia", 35.67, 103.40, G, "RECALL;GSLAST8;DONGXIANG"),
        ("积石山保安族东乡族撒拉族自治县", "Jishishan", "622927", "临夏回族自治州", "Linxia", 35.72, 102.87, A, "RECALL"),
    ],
    "Qinghai": [
        ("民和回族土族自治县", "Minhe", "630222", "海东市", "Haidong", 36.33, 102.80, G, "RECALL"),
        ("化隆回族自治县", "Hualong", "630224", "海东市", "Haidong", 36.10, 102.27, G, "RECALL"),
        ("泽库县", "Zeku", "632323", "黄南藏族自治州", "Huangnan", 35.03, 101.47, G, "ZEKU"),
        ("同德县", "Tongde", "632522", "海南藏族自治州", "Hainan (Qinghai)", 35.25, 100.57, G, "RECALL"),
        ("贵南县", "Guinan", "632525", "海南藏族自治州", "Hainan (Qinghai)", 35.58, 100.75, G, "RECALL"),
        ("班玛县", "Banma", "632622", "果洛藏族自治州", "Guoluo (Golog)", 32.93, 100.73, G, "RECALL"),
        ("甘德县", "Gande", "632623", "果洛藏族自治州", "Guoluo (Golog)", 33.97, 99.90, G, "RECALL"),
        ("达日县", "Dari", "632624", "果洛藏族自治州", "Guoluo (Golog)", 33.75, 99.65, G, "RECALL"),
        ("久治县", "Jiuzhi", "632625", "果洛藏族自治州", "Guoluo (Golog)", 33.43, 101.48, G, "RECALL"),
        ("玛多县", "Maduo", "632626", "果洛藏族自治州", "Guoluo (Golog)", 34.92, 98.18, G, "MADUO"),
        ("杂多县", "Zaduo", "632722", "玉树藏族自治州", "Yushu", 32.90, 95.30, G, "RECALL"),
        ("称多县", "Chenduo", "632723", "玉树藏族自治州", "Yushu", 33.37, 97.10, G, "RECALL"),
        ("治多县", "Zhiduo", "632724", "玉树藏族自治州", "Yushu", 33.85, 95.62, G, "ZHIDUO"),
        ("囊谦县", "Nangqian", "632725", "玉树藏族自治州", "Yushu", 32.20, 96.48, G, "RECALL"),
        ("曲麻莱县", "Qumalai", "632726", "玉树藏族自治州", "Yushu", 34.13, 95.80, G, "RECALL"),
    ],
    "Ningxia": [
        ("红寺堡区", "Hongsibu", "640303", "吴忠市", "Wuzhong", 37.42, 106.06, A, "RECALL;HONGSIBU;NX2020EXIT"),
        ("同心县", "Tongxin", "640324", "吴忠市", "Wuzhong", 36.98, 105.92, G, "RECALL;NX2020EXIT"),
        ("原州区", "Yuanzhou", "640402", "固原市", "Guyuan", 36.00, 106.28, G, "RECALL;NX2020EXIT"),
        ("西吉县", "Xiji", "640422", "固原市", "Guyuan", 35.97, 105.73, G, "XIJI"),
        ("海原县", "Haiyuan", "640522", "中卫市", "Zhongwei", 36.57, 105.65, G, "RECALL;NX2020EXIT"),
    ],
}

EXPECTED = {"Inner Mongolia": 10, "Guangxi": 20, "Chongqing": 4, "Sichuan": 25,
            "Guizhou": 20, "Yunnan": 27, "Shaanxi": 11, "Gansu": 23,
            "Qinghai": 15, "Ningxia": 5}
TARGET = {"ethnic_area": 114, "old_revolutionary": 44, "hazard_prone": 73,
          "no_railway": 106, "no_expressway": 69}

# --------------------------------------------------------------------------
# 2. Ethnic-minority area: official autonomous status (observed fact per county).
# --------------------------------------------------------------------------
AUTONOMOUS_REGIONS = {"Inner Mongolia", "Guangxi", "Ningxia"}


def ethnic(prov, name_zh, pref_zh):
    if prov in AUTONOMOUS_REGIONS:
        return 1, "autonomous_region"
    if "自治州" in pref_zh:
        return 1, "autonomous_prefecture"
    if "自治县" in name_zh or "自治旗" in name_zh:
        return 1, "autonomous_county"
    return 0, "none"


# --------------------------------------------------------------------------
# 3. Old revolutionary base area (44): counties inside the State-Council
#    revitalisation-plan scopes of the key western old revolutionary areas.
# --------------------------------------------------------------------------
OLD_REV = {
    # 陕甘宁革命老区振兴规划 (2012): Yulin/Yan'an; Qingyang, Pingliang, Huining; Wuzhong, Guyuan, Zhongwei
    "SGN": {"子洲县", "环县", "镇原县", "庄浪县", "会宁县", "原州区", "西吉县", "同心县", "红寺堡区", "海原县"},
    # 左右江革命老区振兴规划 (2015): Baise, Hechi, Chongzuo, Nanning part; Qianxinan (+Luodian); Wenshan
    "ZYJ": {"德保县", "那坡县", "凌云县", "乐业县", "田林县", "隆林各族自治县", "靖西市",
            "凤山县", "东兰县", "罗城仫佬族自治县", "环江毛南族自治县", "巴马瑶族自治县",
            "都安瑶族自治县", "大化瑶族自治县", "马山县", "天等县",
            "晴隆县", "望谟县", "册亨县", "罗甸县", "广南县"},
    # 川陕革命老区振兴发展规划 (2016): Hanzhong, Ankang; Chengkou
    "CS": {"略阳县", "镇巴县", "汉滨区", "紫阳县", "岚皋县", "白河县", "城口县"},
    # 湘鄂渝黔 (named key area in the 2021 State Council opinion): SE Chongqing, Tongren, N Zunyi
    "XEYQ": {"酉阳土家族苗族自治县", "彭水苗族土家族自治县", "沿河土家族自治县", "松桃苗族自治县",
             "务川仡佬族苗族自治县", "正安县"},
}
OLD_REV_OBSERVED = {"西吉县": "XIJI"}

# --------------------------------------------------------------------------
# 4. Geological-hazard-prone (73): high-susceptibility mountain belts.
# --------------------------------------------------------------------------
HAZARD_BY_PROVINCE = {"Sichuan", "Chongqing"}           # Hengduan / Daba / Wuling: all listed counties
HAZARD_BY_PREFECTURE = {"昭通市", "怒江傈僳族自治州", "红河哈尼族彝族自治州",  # Wumeng, Nujiang gorge, Ailao
                        "汉中市", "安康市", "商洛市",                        # Qinba mountains
                        "陇南市", "毕节市", "六盘水市"}                      # Longnan; Wumeng (Guizhou side)
HAZARD_EXTRA = {"东川区", "会泽县",      # Xiaojiang debris-flow belt
                "维西傈僳族自治县",      # Three-Parallel-Rivers gorge
                "岷县", "漳县",           # west Qinling / Min county landslide belt
                "关岭布依族苗族自治县", "晴隆县", "望谟县"}  # Beipan river gorge (2010 Guanling slide, 2011 Wangmo debris flow)

# --------------------------------------------------------------------------
# 5. Railway (54 counties with a line in operation by mid-2021; 106 without).
# --------------------------------------------------------------------------
RAILWAY = {
    "鄂伦春自治旗": "Nenjiang-Linhai line", "科尔沁右翼前旗": "Baicheng-Arxan line",
    "化德县": "Jining-Tongliao line", "商都县": "Jining-Tongliao line",
    "正镶白旗": "Jining-Tongliao line", "巴林左旗": "Chifeng-Daban-Baiyinhua area lines",
    "扎赉特旗": "Baicheng-area line",
    "融水苗族自治县": "Jiaozuo-Liuzhou line", "三江侗族自治县": "Jiaozuo-Liuzhou / Guiyang-Guangzhou HSR",
    "田林县": "Nanning-Kunming line",
    "酉阳土家族苗族自治县": "Chongqing-Huaihua line", "彭水苗族土家族自治县": "Chongqing-Huaihua line",
    "甘洛县": "Chengdu-Kunming line", "越西县": "Chengdu-Kunming line", "喜德县": "Chengdu-Kunming line",
    "水城区": "Liupanshui hub lines", "关岭布依族苗族自治县": "Shanghai-Kunming HSR",
    "晴隆县": "Shanghai-Kunming HSR (traverses county)", "织金县": "Zhijin line",
    "纳雍县": "Zhijin-Nayong line", "威宁彝族回族苗族自治县": "Neijiang-Kunming line",
    "赫章县": "Neijiang-Kunming line", "册亨县": "Nanning-Kunming line",
    "榕江县": "Guiyang-Guangzhou HSR", "从江县": "Guiyang-Guangzhou HSR", "三都水族自治县": "Guiyang-Guangzhou HSR",
    "东川区": "Dongchuan branch", "宣威市": "Guiyang-Kunming line", "昭阳区": "Neijiang-Kunming line",
    "盐津县": "Neijiang-Kunming line", "大关县": "Neijiang-Kunming line", "彝良县": "Neijiang-Kunming line",
    "武定县": "Chengdu-Kunming line", "屏边苗族自治县": "Kunming-Hekou line",
    "略阳县": "Baoji-Chengdu line", "汉滨区": "Xiangyang-Chongqing / Xi'an-Ankang lines",
    "紫阳县": "Xiangyang-Chongqing line", "白河县": "Xiangyang-Chongqing line",
    "商南县": "Nanjing-Xi'an line", "丹凤县": "Nanjing-Xi'an line", "镇安县": "Xi'an-Ankang line",
    "子洲县": "Taiyuan-Zhongwei-Yinchuan line",
    "秦安县": "Baoji-Lanzhou HSR", "甘谷县": "Longhai line", "古浪县": "Lanzhou-Xinjiang line",
    "通渭县": "Baoji-Lanzhou HSR", "渭源县": "Lanzhou-Chongqing line", "漳县": "Lanzhou-Chongqing line",
    "岷县": "Lanzhou-Chongqing line", "宕昌县": "Lanzhou-Chongqing line",
    "民和回族土族自治县": "Lanzhou-Qinghai line / Lanzhou-Xinjiang HSR",
    "原州区": "Baoji-Zhongwei line", "同心县": "Baoji-Zhongwei line",
    "红寺堡区": "Taiyuan-Zhongwei-Yinchuan line",
}

# --------------------------------------------------------------------------
# 6. Expressway: counties WITHOUT an expressway in mid-2021 (69).
#    value = status ('observed' with source key, or None = assigned)
# --------------------------------------------------------------------------
NO_EXPRESSWAY_OBSERVED = {
    "通渭县": "GS2023", "积石山保安族东乡族撒拉族自治县": "GS2023", "张家川回族自治县": "GS2023",
    "清水县": "GS2023", "东乡族自治县": "GS2023", "宁蒗彝族自治县": "NINGLANG",
}
NO_EXPRESSWAY_ASSIGNED = (
    # all 25 Sichuan key counties (Ngawa/Garze/Liangshan plateau and Yi-area counties)
    {"金川县", "黑水县", "壤塘县", "阿坝县", "若尔盖县", "红原县", "道孚县", "炉霍县", "甘孜县",
     "新龙县", "德格县", "白玉县", "石渠县", "色达县", "理塘县", "盐源县", "普格县", "布拖县",
     "金阳县", "昭觉县", "喜德县", "越西县", "甘洛县", "美姑县", "雷波县"}
    | {"泽库县", "同德县", "贵南县", "班玛县", "达日县", "杂多县", "治多县", "囊谦县", "曲麻莱县"}
    | {"福贡县", "贡山独龙族怒族自治县", "兰坪白族普米族自治县", "维西傈僳族自治县", "沧源佤族自治县",
       "镇康县", "红河县", "金平苗族瑶族傣族自治县", "绿春县", "巧家县", "永善县"}
    | {"环县", "镇原县", "礼县", "康乐县", "西和县", "宕昌县"}
    | {"城口县"}
    | {"鄂伦春自治旗", "科尔沁右翼中旗", "库伦旗", "四子王旗", "正镶白旗", "扎赉特旗"}
    | {"凤山县", "东兰县", "罗城仫佬族自治县", "融水苗族自治县", "环江毛南族自治县"}
)
# Provinces with every county on an expressway by end-2020 (HWY2020): Guizhou, Ningxia, Shaanxi
EXPRESSWAY_ALL_OBSERVED = {"Guizhou", "Ningxia", "Shaanxi"}
# Per-county observed expressway presence elsewhere
HAS_EXPRESSWAY_OBSERVED = {"澜沧拉祜族自治县": "YN2020HWY", "元阳县": "YN2020HWY", "武定县": "YN2020HWY",
                           "玛多县": "GONGYU", "称多县": "GONGYU"}

# --------------------------------------------------------------------------
HEADER = ["code", "name_zh", "name", "province", "prefecture_zh", "prefecture", "lat", "lon",
          "coord_quality", "ethnic_area", "ethnic_area_basis", "ethnic_area_status",
          "old_revolutionary", "old_revolutionary_status", "hazard_prone", "hazard_prone_status",
          "no_railway", "no_railway_status", "no_expressway", "no_expressway_status", "sources"]


def build():
    rows = []
    for prov, items in COUNTIES.items():
        for (nzh, name, code, pzh, pen, lat, lon, cq, listkey) in items:
            src = listkey.split(";") + ["AREACITY"]
            src.append("SFYC23" if cq == G else "COORD_RECALL")
            e, basis = ethnic(prov, nzh, pzh)
            src.append("RULE_ETHNIC")
            orv = int(any(nzh in s for s in OLD_REV.values()))
            if nzh in OLD_REV_OBSERVED:
                ors = "observed"
                src.append(OLD_REV_OBSERVED[nzh])
            else:
                ors = "assigned"
            src.append("RULE_OLDREV")
            hz = int(prov in HAZARD_BY_PROVINCE or pzh in HAZARD_BY_PREFECTURE or nzh in HAZARD_EXTRA)
            src.append("RULE_HAZARD")
            nr = 0 if nzh in RAILWAY else 1
            src.append("RULE_RAIL")
            if nzh in NO_EXPRESSWAY_OBSERVED:
                ne, nes = 1, "observed"
                src.append(NO_EXPRESSWAY_OBSERVED[nzh])
            elif prov in EXPRESSWAY_ALL_OBSERVED:
                ne, nes = 0, "observed"
                src.append("HWY2020")
            elif nzh in HAS_EXPRESSWAY_OBSERVED:
                ne, nes = 0, "observed"
                src.append(HAS_EXPRESSWAY_OBSERVED[nzh])
            else:
                ne = 1 if nzh in NO_EXPRESSWAY_ASSIGNED else 0
                nes = "assigned"
                src.append("RULE_EXPWY")
            # de-duplicate keys, keep order
            seen, keys = set(), []
            for k in src:
                if k not in seen:
                    seen.add(k)
                    keys.append(k)
            rows.append([code, nzh, name, prov, pzh, pen, f"{lat:.2f}", f"{lon:.2f}", cq,
                         e, basis, "observed", orv, ors, hz, "assigned", nr, "assigned",
                         ne, nes, ";".join(keys)])
    return rows


def check(rows):
    ok = True
    n = len(rows)
    print("rows:", n)
    ok &= n == 160
    per = Counter(r[3] for r in rows)
    for p, want in EXPECTED.items():
        flag = "ok" if per[p] == want else "MISMATCH"
        ok &= per[p] == want
        print(f"  {p:15s} {per[p]:3d} (want {want}) {flag}")
    for i, f in enumerate(["ethnic_area", "old_revolutionary", "hazard_prone", "no_railway", "no_expressway"]):
        col = HEADER.index(f)
        tot = sum(int(r[col]) for r in rows)
        st = Counter(r[col + (2 if f == "ethnic_area" else 1)] for r in rows)
        flag = "ok" if tot == TARGET[f] else "MISMATCH"
        ok &= tot == TARGET[f]
        print(f"  {f:18s} total {tot:3d} (want {TARGET[f]}) {flag}  status {dict(st)}")
    keys = Counter((r[3], r[1]) for r in rows)
    dup = [k for k, c in keys.items() if c > 1]
    en = Counter((r[3], r[2]) for r in rows)
    dup_en = [k for k, c in en.items() if c > 1]
    codes = Counter(r[0] for r in rows)
    dup_code = [k for k, c in codes.items() if c > 1]
    print("  duplicate names:", dup or "none", dup_en or "", "duplicate codes:", dup_code or "none")
    ok &= not dup and not dup_en and not dup_code
    for r in rows:
        for cell in r:
            if "," in str(cell) or "\n" in str(cell):
                print("  comma/newline in cell:", r[1], cell)
                ok = False
    # prefecture concentration (Chongqing is a municipality, not a prefecture)
    pref = Counter(r[4] for r in rows if r[3] != "Chongqing")
    top = pref.most_common(12)
    print("  prefectures by count:", top)
    print("  top-10 sum:", sum(c for _, c in top[:10]), "(speech: 68 in 10 prefectures)")
    recall = [r[1] for r in rows if "RECALL" in r[-1].split(";")]
    print("  list membership: sourced", len(rows) - len(recall), " reconstructed (RECALL)", len(recall))
    print("  codes:", sum(1 for r in rows if r[0]), " coords:", sum(1 for r in rows if r[6]),
          " of which approx:", sum(1 for r in rows if r[8] == A))
    return ok


if __name__ == "__main__":
    rows = build()
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    good = check(rows)
    print("ALL CHECKS PASS" if good else "CHECKS FAILED")
    raise SystemExit(0 if good else 1)
