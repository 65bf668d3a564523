#!/usr/bin/env python3
"""Benchmark corpus: N disclosure items of six Hunan districts, written as a
gongkai site or as a Zola site with the same items and the same text.

  python3 scripts/gen_corpus.py --format gongkai --count 10000 --out /dev/shm/gk-10k
  python3 scripts/gen_corpus.py --format zola    --count 10000 --out /dev/shm/zola-10k

Shape (the same for every seed): 40 % policy documents (政策文件, three
columns), 40 % service guides (办事指南, three columns), 20 % column
articles (four columns), spread at random over 6 districts x 10 columns,
dated 2019-01-01 .. 2024-12-30. Policy bodies are 1.5-4 KB of sections,
numbered lists and sometimes a task table; service guides follow the usual
eight headings of a 办事指南; articles are news-style paragraphs. About
2.8 KB of Markdown per item (28 MB for 10,000).

gongkai: OUT/site.toml (districts with their codes, columns with their
kinds) and OUT/content/<district>/<column>/<kind>-<n>.md with YAML front
matter in gongkai's English keys; half the service guides write item_type
as the Chinese word.

zola: OUT/config.toml, OUT/templates/*.html and the same content tree with
TOML front matter (custom fields under [extra]) and an _index.md per
district and column (columns sorted by date, 20 per page). The templates
do the page work a plain site needs: an item page with a metadata table
and links to its neighbours, paginated column lists, district and home
pages, 404, sitemap and robots.txt (no feeds, search, taxonomies or QR).

The same --seed and --count give byte-identical items in both formats.
The words (topics, departments, sentence templates, service items) are in
corpus_text.py beside this file. Python 3 standard library only.
"""

import argparse
import datetime
import json
import os
import random
import sys

from corpus_text import (ARTICLE_TITLES, DEPARTMENTS, EXTRA_HEADS, ITEM_TYPE_EN, LAWS, LEVELS,
                         MATERIALS, OPENINGS, POLICY_HEADS, POLICY_TITLES, SENTENCES, SERVICES,
                         SOURCES, STEPS, TOPICS)

# id, name, short name used in 文号, telephone area code, level word,
# administrative division code, 统一社会信用代码
DISTRICTS = [
    ("yueyang", "岳阳市", "岳", "0730", "市", "430600", "11430600006181235F"),
    ("hengyang", "衡阳市", "衡", "0734", "市", "430400", "11430400006177031K"),
    ("changshaxian", "长沙县", "长县", "0731", "县", "430121", "11430121006064122T"),
    ("yuetang", "岳塘区", "岳塘", "0731", "区", "430304", "11430304MB1531285C"),
    ("furong", "芙蓉区", "芙", "0731", "区", "430102", "11430102006012348A"),
    ("hecheng", "鹤城区", "鹤", "0745", "区", "431202", "11431202006217709N"),
]

COLUMNS = [
    ("zfwj", "政府文件", "policy"),
    ("bmwj", "部门文件", "policy"),
    ("gfxwj", "规范性文件", "policy"),
    ("bszn", "办事指南", "service"),
    ("bmfw", "便民服务", "service"),
    ("sqfw", "涉企服务", "service"),
    ("zcjd", "政策解读", "article"),
    ("gzdt", "工作动态", "article"),
    ("tzgg", "通知公告", "article"),
    ("zwgkzl", "政务公开专栏", "article"),
]

CN = "一二三四五六七八九十"
FIRST_DAY = datetime.date(2019, 1, 1)
KIND_SHARE = [("policy", 0.4), ("service", 0.4), ("article", 0.2)]


class Writer:
    """Draws the items: every random choice goes through one generator."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.doc_numbers = {}

    def choice(self, seq):
        return self.rng.choice(seq)

    def sentence(self, place):
        r = self.rng
        depts = r.sample(DEPARTMENTS, 3)
        return self.choice(SENTENCES).format(
            d=place["name"], unit=place["unit"], topic=self.choice(TOPICS), year=place["year"],
            dept=place["name"] + depts[0][0], dept2=depts[1][0], dept3=depts[2][0],
            month=r.randint(1, 12), day=r.randint(1, 10), cn=CN[r.randint(0, 5)],
            cn2=CN[r.randint(1, 3)], n1=r.randint(3, 60), n1b=r.randint(5, 90),
            n2=r.randint(20, 2000), n3=r.randint(2, 40), pct=r.choice([85, 90, 93, 95, 98]),
            money=r.randint(30, 8000), days=r.randint(2, 10), days2=r.randint(12, 30),
            pct2=r.randint(20, 60))

    def paragraph(self, place, low, high):
        return "".join(self.sentence(place) for _ in range(self.rng.randint(low, high)))

    def doc_number(self, prefix, year):
        key = (prefix, year)
        self.doc_numbers[key] = self.doc_numbers.get(key, 0) + self.rng.randint(1, 4)
        return f"{prefix}〔{year}〕{self.doc_numbers[key]}号"

    def policy(self, place, column):
        r = self.rng
        name = place["name"]
        if column == "bmwj" or (column == "gfxwj" and r.random() < 0.4):
            dept, code = self.choice(DEPARTMENTS)
            issuer, prefix = name + dept, place["short"] + code
        else:
            office = r.random() < 0.5
            issuer = name + ("人民政府办公室" if office else "人民政府")
            prefix = place["short"] + self.choice(["政办发", "政办函"] if office else ["政发", "政函"])
        written = place["date"] - datetime.timedelta(days=r.randint(0, 14))
        title = self.choice(POLICY_TITLES).format(
            issuer=issuer, d=name, topic=place["topic"], year=written.year, year2=written.year + 2)
        parts = [self.choice(OPENINGS[place["unit"]]),
                 f"为贯彻落实上级关于{place['topic']}的部署要求，结合{name}实际，"
                 f"经{name}人民政府同意，现{self.choice(['通知如下', '提出以下意见', '制定本方案'])}。"]
        # Sections until the body nears its drawn length: one more head
        # goes in before the last while the text is short.
        target = r.randint(1800, 4400)
        heads = list(self.choice(POLICY_HEADS))
        extra = [h for h in EXTRA_HEADS if h not in heads]
        size = sum(len(p.encode()) for p in parts) + 320
        i = 0
        while i < len(heads):
            section = self.policy_section(place, i, heads[i], len(heads), written.year)
            parts.extend(section)
            size += sum(len(p.encode()) + 2 for p in section)
            i += 1
            if i == len(heads) - 1 and size + 500 < target and extra:
                heads.insert(i, extra.pop(r.randrange(len(extra))))
        parts.append(f"本{self.choice(['通知', '方案', '办法', '意见'])}自印发之日起施行，"
                     f"有效期{r.randint(2, 5)}年。")
        parts.append(f"{issuer}  \n{written.year}年{written.month}月{written.day}日")
        parts.append(self.choice(["（此件主动公开）", "（此件公开发布）"]))
        meta = {"doc_number": self.doc_number(prefix, written.year), "issuer": issuer,
                "written": written.isoformat()}
        return title, meta, "\n\n".join(parts)

    def policy_section(self, place, i, head, count, year):
        r = self.rng
        out = [f"## {CN[i]}、{head}", self.paragraph(place, 1, 2)]
        if i == count - 1:
            return out
        shape = r.random()
        if shape < 0.45:
            for j in range(r.randint(2, 3)):
                out.append(f"（{CN[j]}）**{self.choice(TOPICS)}。**" + self.paragraph(place, 1, 2))
        elif shape < 0.75:
            out.append("\n".join(f"{j + 1}. {self.sentence(place)}" for j in range(r.randint(3, 5))))
        if i == 1 and r.random() < 0.35:
            out.append(self.task_table(place, year))
        return out

    def task_table(self, place, year):
        r = self.rng
        rows = ["| 序号 | 工作任务 | 责任单位 | 完成时限 |", "| --- | --- | --- | --- |"]
        for k in range(r.randint(3, 6)):
            rows.append(f"| {k + 1} | {self.choice(TOPICS)} | {place['name']}{self.choice(DEPARTMENTS)[0]} "
                        f"| {year}年{r.randint(3, 12)}月底前 |")
        return "\n".join(rows)

    def service(self, place, column):
        r = self.rng
        name = place["name"]
        item_type = self.choice(list(SERVICES))
        service = self.choice(SERVICES[item_type])
        level, level_en = self.choice(LEVELS)
        legal = r.choice([5, 10, 15, 20, 30, 60])
        promised = r.randint(1, min(legal, 15))
        materials = r.sample(MATERIALS, r.randint(2, 7))
        phone = f"{place['area']}-{r.randint(2000000, 8999999)}"
        dept = name + self.choice(DEPARTMENTS)[0]
        title = f"{name}{service}办事指南" if r.random() < 0.6 else f"{service}（{level}）"
        fee = self.choice(["不收费", "不收费", "按规定标准收费"])
        parts = [
            "## 一、基本信息",
            "| 项目 | 内容 |\n| --- | --- |\n"
            f"| 事项名称 | {service} |\n| 事项类型 | {item_type} |\n| 实施主体 | {dept} |\n"
            f"| 办理层级 | {level} |\n| 法定办结时限 | {legal}个工作日 |\n"
            f"| 承诺办结时限 | {promised}个工作日 |\n| 收费 | {fee} |",
            "## 二、设定依据",
            f"《{self.choice(LAWS)}》第{CN[r.randint(0, 8)]}十{CN[r.randint(0, 8)]}条。",
            "## 三、受理条件", self.paragraph(place, 2, 3),
            "## 四、申请材料", "\n".join(f"{i + 1}. {m}" for i, m in enumerate(materials)),
            "## 五、办理流程",
            "\n".join(f"{i + 1}. **{s}**：{self.sentence(place)}"
                      for i, s in enumerate(STEPS[:r.randint(3, 5)])),
            "## 六、办理地点和时间",
            f"{name}政务服务中心{r.randint(1, 4)}楼{r.randint(1, 40)}号窗口；法定工作日上午9:00—12:00，"
            f"下午{self.choice(['13:30', '14:00', '14:30'])}—17:30。也可通过“湘易办”App或湖南省政务服务网在线办理。",
            "## 七、咨询和监督电话",
            f"咨询电话：{phone}；监督电话：12345。",
        ]
        if r.random() < 0.6:
            parts += ["## 八、常见问题", self.paragraph(place, 2, 5)]
        meta = {"item_type": item_type, "level": level, "level_en": level_en,
                "promised_days": promised, "materials": materials, "phone": phone}
        return title, meta, "\n\n".join(parts)

    def article(self, place, column):
        r = self.rng
        name, date = place["name"], place["date"]
        title = self.choice(ARTICLE_TITLES).format(d=name, topic=place["topic"], year=date.year)
        parts = [f"{date.year}年{date.month}月{date.day}日，" + self.paragraph(place, 1, 2)]
        for _ in range(r.randint(3, 6)):
            if r.random() < 0.3:
                parts.append(f"**{self.choice(['突出', '聚焦', '坚持'])}“{self.choice('实快优便联智')}”字，"
                             f"推动{self.choice(TOPICS)}落地见效。**")
            parts.append(self.paragraph(place, 2, 5))
        source = self.choice(SOURCES).format(d=name)
        parts.append(f"（来源：{source}）")
        return title, {"source": source}, "\n\n".join(parts)


def kinds(count, rng):
    """Exactly 40/40/20 per cent, in a random order."""
    out = []
    for kind, share in KIND_SHARE[:-1]:
        out += [kind] * round(count * share)
    out += [KIND_SHARE[-1][0]] * (count - len(out))
    rng.shuffle(out)
    return out


def items(count, seed):
    """Yield (district, column, slug, title, date, kind, meta, body)."""
    writer = Writer(seed)
    r = writer.rng
    columns = {k: [c for c in COLUMNS if c[2] == k] for k, _ in KIND_SHARE}
    for n, kind in enumerate(kinds(count, r)):
        column = writer.choice(columns[kind])
        district = writer.choice(DISTRICTS)
        date = FIRST_DAY + datetime.timedelta(days=r.randint(0, 6 * 365 - 1))
        place = {"name": district[1], "short": district[2], "area": district[3],
                 "unit": district[4], "topic": writer.choice(TOPICS), "date": date, "year": date.year}
        title, meta, body = getattr(writer, kind)(place, column[0])
        yield district, column, f"{kind}-{n:06d}", title, date, kind, meta, body


# ---- writing -----------------------------------------------------------------

def quoted(text):
    """A double-quoted string that TOML and YAML read alike."""
    return json.dumps(text, ensure_ascii=False)


def scalar(value):
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(quoted(v) for v in value) + "]"
    return quoted(value)


def save(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def gongkai_front(title, date, kind, meta, district, index_no, n):
    lines = ["---", f"title: {quoted(title)}", f"date: {date.isoformat()}",
             f"index_no: {quoted(index_no)}"]
    if kind == "policy":
        fields = [("doc_number", meta["doc_number"]), ("issuer", meta["issuer"]),
                  ("written", meta["written"]), ("validity", "valid")]
    elif kind == "service":
        item_type = meta["item_type"] if n % 2 == 0 else ITEM_TYPE_EN[meta["item_type"]]
        fields = [("item_type", item_type), ("levels", [meta["level_en"]]),
                  ("promised_days", meta["promised_days"]), ("materials", meta["materials"]),
                  ("phone", meta["phone"])]
    else:
        fields = [("source", meta["source"])]
    for key, value in fields:
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {quoted(v)}" for v in value]
        else:
            lines.append(f"{key}: {scalar(value)}")
    return "\n".join(lines + ["---", ""])


def zola_front(title, date, kind, meta, district, column):
    extra = {"item_kind": kind, "district": district[1], "column": column[1]}
    if kind == "policy":
        extra.update(doc_number=meta["doc_number"], issuer=meta["issuer"], written_date=meta["written"])
    elif kind == "service":
        extra.update(item_type=meta["item_type"], level=meta["level"],
                     time_limit_days=meta["promised_days"], materials=meta["materials"],
                     phone=meta["phone"])
    else:
        extra.update(source=meta["source"])
    lines = ["+++", f"title = {quoted(title)}", f"date = {date.isoformat()}", "[extra]"]
    lines += [f"{k} = {scalar(v)}" for k, v in extra.items()]
    return "\n".join(lines + ["+++", ""])


def gongkai_site_toml(base_url):
    out = ['title = "湖南政务公开（基准站点）"', f"base_url = {quoted(base_url)}", ""]
    for d in DISTRICTS:
        out += ["[[district]]", f"id = {quoted(d[0])}", f"name = {quoted(d[1])}",
                f"code = {quoted(d[5])}", f"org_code = {quoted(d[6])}", ""]
    for c in COLUMNS:
        out += ["[[column]]", f"id = {quoted(c[0])}", f"name = {quoted(c[1])}",
                f"kind = {quoted(c[2])}", ""]
    return "\n".join(out)


def write_zola_site(out, base_url):
    content = os.path.join(out, "content")
    save(os.path.join(content, "_index.md"), '+++\ntitle = "政府信息公开"\n+++\n')
    for d in DISTRICTS:
        save(os.path.join(content, d[0], "_index.md"),
             f'+++\ntitle = {quoted(d[1])}\ntemplate = "district.html"\n+++\n')
        for c in COLUMNS:
            save(os.path.join(content, d[0], c[0], "_index.md"),
                 f'+++\ntitle = {quoted(c[1])}\nsort_by = "date"\npaginate_by = 20\n'
                 f'template = "column.html"\n+++\n')
    save(os.path.join(out, "config.toml"), ZOLA_CONFIG.format(base_url=quoted(base_url)))
    for name, text in ZOLA_TEMPLATES.items():
        save(os.path.join(out, "templates", name), text.lstrip("\n"))


ZOLA_CONFIG = """base_url = {base_url}
title = "湖南政务公开（基准站点）"
default_language = "zh"
compile_sass = false
build_search_index = false
generate_feeds = false
generate_sitemap = true
generate_robots_txt = true
"""

ZOLA_TEMPLATES = {
    "base.html": """
<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
</head>
<body>
<header><a href="{{ get_url(path='/') }}">{{ config.title }}</a></header>
<main>{% block main %}{% endblock main %}</main>
<footer>主办：人民政府办公室　网站标识码：4300000001</footer>
</body>
</html>
""",
    "page.html": """
{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock title %}
{% block main %}
{% set x = page.extra %}
<h1>{{ page.title }}</h1>
<table class="meta">
<tr><th>所属区域</th><td>{{ x.district }}</td><th>栏目</th><td>{{ x.column }}</td></tr>
<tr><th>发布日期</th><td>{{ page.date }}</td><th>类别</th><td>{{ x.item_kind }}</td></tr>
{% if x.item_kind == "policy" %}
<tr><th>发文机关</th><td>{{ x.issuer }}</td><th>文号</th><td>{{ x.doc_number }}</td></tr>
<tr><th>成文日期</th><td colspan="3">{{ x.written_date }}</td></tr>
{% elif x.item_kind == "service" %}
<tr><th>事项类型</th><td>{{ x.item_type }}</td><th>办理层级</th><td>{{ x.level }}</td></tr>
<tr><th>承诺时限</th><td>{{ x.time_limit_days }} 个工作日</td><th>咨询电话</th><td>{{ x.phone }}</td></tr>
<tr><th>申请材料</th><td colspan="3"><ol>{% for m in x.materials %}<li>{{ m }}</li>{% endfor %}</ol></td></tr>
{% else %}
<tr><th>信息来源</th><td colspan="3">{{ x.source }}</td></tr>
{% endif %}
</table>
<article>{{ page.content | safe }}</article>
<nav>
{% if page.lower %}<a rel="prev" href="{{ page.lower.permalink }}">上一条：{{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a rel="next" href="{{ page.higher.permalink }}">下一条：{{ page.higher.title }}</a>{% endif %}
</nav>
{% endblock main %}
""",
    "column.html": """
{% extends "base.html" %}
{% block title %}{{ section.title }} | {{ config.title }}{% endblock title %}
{% block main %}
<h1>{{ section.title }}</h1>
<ol class="items">
{% for p in paginator.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a>{% if p.extra.doc_number %} {{ p.extra.doc_number }}{% endif %} <time>{{ p.date }}</time></li>
{% endfor %}</ol>
<nav>
{% if paginator.previous %}<a href="{{ paginator.previous }}">上一页</a>{% endif %}
第 {{ paginator.current_index }} 页，共 {{ paginator.number_pagers }} 页
{% if paginator.next %}<a href="{{ paginator.next }}">下一页</a>{% endif %}
</nav>
{% endblock main %}
""",
    "district.html": """
{% extends "base.html" %}
{% block title %}{{ section.title }} | {{ config.title }}{% endblock title %}
{% block main %}
<h1>{{ section.title }}</h1>
<ul>
{% for path in section.subsections %}{% set column = get_section(path=path, metadata_only=true) %}<li><a href="{{ column.permalink }}">{{ column.title }}</a></li>
{% endfor %}</ul>
{% endblock main %}
""",
    "index.html": """
{% extends "base.html" %}
{% block main %}
{% for path in section.subsections %}{% set district = get_section(path=path, metadata_only=true) %}
<section>
<h2><a href="{{ district.permalink }}">{{ district.title }}</a></h2>
<ul>
{% for sub in district.subsections %}{% set column = get_section(path=sub, metadata_only=true) %}<li><a href="{{ column.permalink }}">{{ column.title }}</a></li>
{% endfor %}</ul>
</section>
{% endfor %}
{% endblock main %}
""",
    "404.html": """
{% extends "base.html" %}
{% block main %}<h1>找不到这个页面</h1>{% endblock main %}
""",
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--format", choices=["gongkai", "zola"], required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20240601)
    # A live-looking domain, not a placeholder: the benchmark builds a site
    # that registers its QR codes in qr.lock, as a published site does.
    ap.add_argument("--base-url", default="https://www.zwgk-hn.gov.cn")
    a = ap.parse_args(argv)
    if a.count < 0:
        ap.error("--count must be 0 or more")
    if os.path.exists(a.out) and os.listdir(a.out):
        ap.error(f"{a.out} exists and is not empty")
    content = os.path.join(a.out, "content")
    counts = {kind: 0 for kind, _ in KIND_SHARE}
    sequence = {}
    size = 0
    for n, (district, column, slug, title, date, kind, meta, body) in enumerate(items(a.count, a.seed)):
        counts[kind] += 1
        if a.format == "gongkai":
            key = (district[0], date.year)
            sequence[key] = sequence.get(key, 0) + 1
            index_no = f"{district[6]}/{date.year}-{sequence[key]:05d}"
            front = gongkai_front(title, date, kind, meta, district, index_no, n)
        else:
            front = zola_front(title, date, kind, meta, district, column)
        text = front + body + "\n"
        size += len(text.encode("utf-8"))
        save(os.path.join(content, district[0], column[0], slug + ".md"), text)
    if a.format == "gongkai":
        save(os.path.join(a.out, "site.toml"), gongkai_site_toml(a.base_url))
    else:
        write_zola_site(a.out, a.base_url)
    print(f"{a.count} items ({counts['policy']} policy, {counts['service']} service, "
          f"{counts['article']} article), {size} bytes of Markdown -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
