//! End-to-end tests of `gongkai build`, `new` and `init` on the fixture sites
//! under `tests/sites/`: every kind, pages, QR codes (decoded with an
//! independent decoder), determinism, atomic output and theme overrides.

use std::path::Path;

mod common;
use common::*;

#[test]
fn policy_page_has_its_metadata_block_and_interpretation() {
    let (_tmp, out) = built("all-kinds");
    let page = read(&out, "ceshi/policies/jiaodi/index.html");
    for label in [
        "索引号",
        "主题分类",
        "发文机关",
        "成文日期",
        "发布日期",
        "文号",
        "有效性",
    ] {
        assert!(
            page.contains(&format!("<dt>{label}</dt>")),
            "missing {label}"
        );
    }
    assert!(page.contains("11430999000000000A/2023-00001"));
    assert!(page.contains("测政办发〔2023〕8号"));
    assert!(
        page.contains("/ceshi/interpretations/jiedu/"),
        "policy lists its interpretation"
    );
    assert!(
        page.contains("/ceshi/policies/jiu-banfa/"),
        "policy lists the document it replaces"
    );
    assert!(
        page.contains("/ceshi/policies/jiaodi/liucheng.txt"),
        "attachment linked"
    );
    assert_eq!(
        read(&out, "ceshi/policies/jiaodi/liucheng.txt"),
        "第一步：申请\n第二步：受理\n"
    );
}

#[test]
fn editors_markdown_is_safe_and_chinese_bold_works() {
    let (_tmp, out) = built("all-kinds");
    let page = read(&out, "ceshi/policies/jiaodi/index.html");
    assert!(page.contains("<strong>注意：</strong>本意见"));
    assert!(page.contains("<strong>“重要”</strong>通知"));
    assert!(!page.contains("<script>alert"), "raw script escaped");
    assert!(page.contains("&lt;script&gt;"));
    assert!(!page.contains("javascript:"), "script links removed");
    let event = read(&out, "ceshi/news/直播-预告-第一期/index.html");
    assert!(!event.contains("javascript:"), "unsafe replay link dropped");
    assert!(event.contains("2023-05-10 19:30"));
    assert!(event.contains("政务服务中心直播厅"));
}

#[test]
fn interpretation_and_bundle_link_both_ways() {
    let (_tmp, out) = built("all-kinds");
    let interp = read(&out, "ceshi/interpretations/jiedu/index.html");
    assert!(interp.contains("<dt>解读对象</dt>"));
    assert!(interp.contains("href=\"/ceshi/policies/jiaodi/\""));
    assert!(interp.contains("图解"));
    let bundle = read(&out, "ceshi/services/yijianshi/index.html");
    assert!(bundle.contains("一件事包含的事项"));
    assert!(
        bundle.contains("/ceshi/services/shipin/") && bundle.contains("/ceshi/services/jianfang/")
    );
    let member = read(&out, "ceshi/services/shipin/index.html");
    assert!(member.contains("所属一件事") && member.contains("/ceshi/services/yijianshi/"));
    assert!(member.contains("相关问答") && member.contains("/ceshi/faq/wenda/"));
}

#[test]
fn service_page_shows_time_limits_fee_and_materials() {
    let (_tmp, out) = built("all-kinds");
    let page = read(&out, "ceshi/services/shipin/index.html");
    for text in [
        "行政许可",
        "承诺件",
        "县、村",
        "20个工作日",
        "5个工作日",
        "不收费",
        "0730-1234567",
        "12345",
    ] {
        assert!(page.contains(text), "missing {text}");
    }
    assert!(
        page.contains("法定代表人身份证")
            && page.contains("原件及复印件")
            && page.contains("营业执照")
    );
    assert!(read(&out, "ceshi/services/yijianshi/index.html").contains("按规定收取"));
}

#[test]
fn faq_questions_get_anchors() {
    let (_tmp, out) = built("all-kinds");
    let page = read(&out, "ceshi/faq/wenda/index.html");
    assert!(page.contains("<h2 id=\"如何办理\">如何办理？</h2>"));
    assert!(page.contains("href=\"#需要多久\""));
}

#[test]
fn drafts_and_future_items_are_left_out_unless_asked() {
    let (_tmp, out) = built("all-kinds");
    assert!(!out.join("ceshi/policies/caogao").exists());
    assert!(!out.join("ceshi/policies/weilai").exists());
    assert!(!read(&out, "sitemap.xml").contains("caogao"));
    let tmp = tempfile::tempdir().unwrap();
    let with_drafts = tmp.path().join("public");
    assert!(
        build(&site("all-kinds"), &with_drafts, &["--drafts"])
            .status
            .success()
    );
    assert!(
        with_drafts
            .join("ceshi/policies/caogao/index.html")
            .exists()
    );
    assert!(
        !with_drafts.join("ceshi/policies/weilai").exists(),
        "future stays out even with --drafts"
    );
}

#[test]
fn withdrawn_expired_and_repealed_items_say_so() {
    let (_tmp, out) = built("all-kinds");
    let withdrawn = read(&out, "ceshi/services/chexiao/index.html");
    assert!(withdrawn.contains("本事项已于2023年1月1日撤销"));
    assert!(
        read(&out, "ceshi/services/index.html").contains("已撤销")
            || read(&out, "ceshi/services/page/2/index.html").contains("已撤销")
    );
    let expired = read(&out, "ceshi/policies/guoqi/index.html");
    assert!(
        expired.contains("已失效"),
        "expires 2023-12-31 is before today 2024-06-01"
    );
    let repealed = read(&out, "ceshi/policies/jiu-banfa/index.html");
    assert!(repealed.contains("<dt>有效性</dt><dd>废止</dd>"));
    assert!(repealed.contains("<dt>替代文件</dt>"));
}

#[test]
fn column_lists_are_newest_first_and_paginated() {
    let (_tmp, out) = built("all-kinds");
    let first = read(&out, "ceshi/policies/index.html");
    let second = read(&out, "ceshi/policies/page/2/index.html");
    let a = first.find("交地即交证").unwrap();
    let b = first.find("到期的通知").unwrap();
    assert!(a < b, "2023-03-15 before 2022-02-01");
    assert!(second.contains("旧办法"));
    assert!(first.contains("href=\"/ceshi/policies/page/2/\""));
    assert!(first.contains("本栏目发布测试区政策文件"));
}

#[test]
fn every_page_carries_the_government_meta_tags() {
    let (_tmp, out) = built("all-kinds");
    for rel in [
        "index.html",
        "ceshi/index.html",
        "ceshi/policies/index.html",
        "ceshi/policies/jiaodi/index.html",
        "404.html",
    ] {
        let page = read(&out, rel);
        for tag in [
            "SiteName",
            "SiteDomain",
            "SiteIDCode",
            "ColumnName",
            "ColumnType",
            "ArticleTitle",
            "PubDate",
            "ContentSource",
            "Keywords",
            "Description",
            "Url",
        ] {
            assert!(
                page.contains(&format!("<meta name=\"{tag}\"")),
                "{rel} lacks {tag}"
            );
        }
        assert!(page.contains("<html lang=\"zh-CN\">"));
        assert!(page.contains("href=\"#main\""), "skip link");
    }
    let item = read(&out, "ceshi/policies/jiaodi/index.html");
    assert!(item.contains("<meta name=\"SiteIDCode\" content=\"4300009999\">"));
    assert!(item.contains("<meta name=\"PubDate\" content=\"2023-03-15\">"));
    assert!(item.contains("<meta name=\"ContentSource\" content=\"测试区人民政府办公室\">"));
    assert!(item.contains("<meta name=\"ColumnName\" content=\"政策文件\">"));
}

#[test]
fn qr_png_decodes_to_the_short_link_which_redirects_to_the_item() {
    let (_tmp, out) = built("all-kinds");
    let page = read(&out, "ceshi/policies/jiaodi/index.html");
    let png = std::fs::read(out.join("ceshi/policies/jiaodi/qr.png")).unwrap();
    let url = decode_png(&png);
    // Upper case fits QR's alphanumeric mode: a smaller symbol for the same link.
    assert!(
        url.starts_with("HTTPS://GK.TEST.GOV.CN/Q/") && url.ends_with('/'),
        "{url}"
    );
    let code = url.trim_end_matches('/').rsplit('/').next().unwrap();
    assert_eq!(code.len(), 8);
    assert!(
        page.contains(&format!("https://gk.test.gov.cn/q/{code}/")),
        "page shows the short link as text"
    );
    for dir in ["q", "Q"] {
        let redirect = read(&out, &format!("{dir}/{code}/index.html"));
        assert!(redirect.contains("url=https://gk.test.gov.cn/ceshi/policies/jiaodi/"));
    }
    assert!(page.contains("<svg") && page.contains("width=\"160\" height=\"160\""));
    assert!(read(&out, "ceshi/policies/jiaodi/qr.svg").starts_with("<svg"));
}

#[test]
fn short_code_survives_renaming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site("all-kinds"), &root);
    let (_t, before) = built("all-kinds");
    let old = read(&before, "ceshi/policies/jiaodi/index.html");
    std::fs::rename(
        root.join("content/ceshi/policies/jiaodi"),
        root.join("content/ceshi/policies/jiaodi-gaiming"),
    )
    .unwrap();
    std::fs::write(
        root.join("content/ceshi/interpretations/jiedu.md"),
        std::fs::read_to_string(root.join("content/ceshi/interpretations/jiedu.md"))
            .unwrap()
            .replace("policies/jiaodi", "policies/jiaodi-gaiming"),
    )
    .unwrap();
    std::fs::write(
        root.join("content/ceshi/policies/jiu-banfa.md"),
        std::fs::read_to_string(root.join("content/ceshi/policies/jiu-banfa.md"))
            .unwrap()
            .replace("policies/jiaodi", "policies/jiaodi-gaiming"),
    )
    .unwrap();
    std::fs::write(
        root.join("content/ceshi/faq/wenda.md"),
        std::fs::read_to_string(root.join("content/ceshi/faq/wenda.md"))
            .unwrap()
            .replace("policies/jiaodi", "policies/jiaodi-gaiming"),
    )
    .unwrap();
    let out = tmp.path().join("public");
    let output = build(&root, &out, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let new = read(&out, "ceshi/policies/jiaodi-gaiming/index.html");
    let code = |page: &str| page.split("/q/").nth(1).unwrap()[..8].to_string();
    assert_eq!(code(&old), code(&new));
}

#[test]
fn odd_but_valid_files_build() {
    let (_tmp, out) = built("all-kinds");
    let bom = read(&out, "ceshi/news/bom-crlf/index.html");
    assert!(bom.contains("Windows 记事本保存的文件") && bom.contains("<p>第二段。</p>"));
    assert!(out.join("ceshi/news/no-body/index.html").exists());
    let list = read(&out, "ceshi/news/index.html") + &read(&out, "ceshi/news/page/2/index.html");
    assert!(
        list.contains(
            "/ceshi/news/%E7%9B%B4%E6%92%AD-%E9%A2%84%E5%91%8A-%E7%AC%AC%E4%B8%80%E6%9C%9F/"
        ),
        "Chinese slug percent-encoded in links"
    );
}

#[test]
fn aliases_redirect_and_extras_exist() {
    let (_tmp, out) = built("all-kinds");
    assert!(
        read(&out, "old/jiu-banfa.html")
            .contains("https://gk.test.gov.cn/ceshi/policies/jiu-banfa/")
    );
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://gk.test.gov.cn/ceshi/policies/jiaodi/</loc>"));
    assert!(read(&out, "robots.txt").contains("Sitemap: https://gk.test.gov.cn/sitemap.xml"));
    assert!(read(&out, "404.html").contains("页面未找到"));
    let items: serde_json::Value = serde_json::from_str(&read(&out, "api/items.json")).unwrap();
    assert_eq!(items["format"], "1.0");
    assert_eq!(items["items"].as_array().unwrap().len(), 12);
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, first) = built("all-kinds");
    let (_b, second) = built("all-kinds");
    let (x, y) = (tree(&first), tree(&second));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (rel, bytes) in &x {
        assert!(bytes == &y[rel], "{rel} differs");
    }
}

#[test]
fn a_site_with_only_content_builds_from_the_embedded_default() {
    let (_tmp, out) = built("no-config");
    let home = read(&out, "index.html");
    assert!(home.contains("mycounty"), "district named after its folder");
    assert!(read(&out, "mycounty/index.html").contains("工作动态"));
    assert!(out.join("mycounty/news/hello/index.html").exists());
    assert!(
        out.join("mycounty/gazette/index.html").exists(),
        "standard columns"
    );
    assert!(out.join("style.css").exists());
}

#[test]
fn theme_files_override_the_embedded_theme_one_by_one() {
    let (_tmp, out) = built("theme-override");
    assert!(
        read(&out, "xian/news/a/index.html")
            .contains("<h1 class=\"custom-item\">自定义：主题测试</h1>")
    );
    assert!(
        read(&out, "xian/index.html").contains("<nav class=\"nav\""),
        "district page falls back to the embedded template"
    );
    assert_eq!(
        read(&out, "style.css"),
        "/* custom */ body { color: #000; }\n"
    );
    assert!(read(&out, "gongkai.js").contains("localStorage"));
    assert_eq!(read(&out, "extra/logo.txt"), "logo\n");
}

#[test]
fn new_writes_the_next_index_number_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(&site("all-kinds"), root);
    let first = gongkai(&["new", "policies", "关于测试的通知"], root);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let path = root.join("content/ceshi/policies/关于测试的通知.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("index_no: \"11430999000000000A/2024-00001\""),
        "{text}"
    );
    assert!(
        text.contains("date: \"\""),
        "no publication date is invented"
    );
    assert!(
        text.contains("例如 2024-06-01"),
        "today is shown as an example"
    );
    let again = gongkai(&["new", "policies", "关于测试的通知"], root);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let second = gongkai(&["new", "政策文件", "第二份通知"], root);
    assert!(second.status.success());
    let text2 = std::fs::read_to_string(root.join("content/ceshi/policies/第二份通知.md")).unwrap();
    assert!(text2.contains("/2024-00002\""), "{text2}");
    // Fill in the required issuer and date and publish: the site still builds.
    std::fs::write(
        &path,
        text.replace("issuer: \"\"", "issuer: \"测试区人民政府\"")
            .replace("date: \"\"", "date: 2024-06-01")
            .replace("draft: true", "draft: false"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let output = build(root, &out, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        out.join("ceshi/policies/关于测试的通知/index.html")
            .exists()
    );
}

#[test]
fn init_writes_a_starter_site_that_builds_and_refuses_to_overwrite() {
    let (tmp, dir) = init_site();
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/publish.yml")).unwrap();
    assert!(
        workflow.contains("gongkai check --locked --format github")
            && workflow.contains("gongkai build --locked")
    );
    assert!(
        std::fs::read_to_string(dir.join(".gitlab-ci.yml"))
            .unwrap()
            .contains("gongkai build --locked")
    );
    assert!(dir.join(".gitignore").exists());
    for kind in ["policies", "interpretations", "services", "news", "faq"] {
        assert!(
            std::fs::read_dir(dir.join("content/shifanqu").join(kind))
                .unwrap()
                .count()
                >= 1,
            "sample {kind}"
        );
    }
    let site_toml = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    let again = gongkai(&["init", dir.to_str().unwrap()], tmp.path());
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.join("site.toml")).unwrap(),
        site_toml
    );
    let out = tmp.path().join("public");
    let built = build(&dir, &out, &[]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(
        out.join("shifanqu/services/gaoling-jintie/index.html")
            .exists()
    );
}

#[test]
fn usage_errors_exit_2_and_content_errors_exit_1() {
    let root = site("all-kinds");
    assert_eq!(
        gongkai(&["build", "--no-such-flag"], &root).status.code(),
        Some(2)
    );
    assert_eq!(gongkai(&["frobnicate"], &root).status.code(), Some(2));
    assert_eq!(
        gongkai(&["check", "--root", "/nonexistent/site"], &root)
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn output_directory_may_not_swallow_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site("no-config"), &root);
    for out in [root.clone(), root.join("content"), tmp.path().to_path_buf()] {
        let output = build(&root, &out, &[]);
        assert_eq!(output.status.code(), Some(1), "{}", out.display());
    }
    assert!(root.join("content/mycounty/news/hello.md").exists());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site("no-config"), &root);
    let secret = tmp.path().join("secret.md");
    std::fs::write(
        &secret,
        "---\ntitle: 机密\ndate: 2023-01-01\n---\n机密内容\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, root.join("content/mycounty/news/link.md")).unwrap();
    let out = tmp.path().join("public");
    let output = build(&root, &out, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/mycounty/news/link.md:1:1: 错误: 符号链接指向网站目录之外"),
        "{stderr}"
    );
}

#[test]
fn check_formats_for_ci() {
    let root = site("all-kinds");
    let ok = gongkai(&["check", "--root", root.to_str().unwrap()], &root);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/bad-enum-word/site");
    let github = gongkai(
        &[
            "check",
            "--format",
            "github",
            "--root",
            bad.to_str().unwrap(),
        ],
        &root,
    );
    let stdout = String::from_utf8_lossy(&github.stdout);
    assert!(
        stdout.contains(
            "::error file=content/qu/services/x.md,line=5,col=12::item_type: “许可” 不是可选值之一"
        ),
        "{stdout}"
    );
    let json = gongkai(
        &["check", "--format", "json", "--root", bad.to_str().unwrap()],
        &root,
    );
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&json.stdout)
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(first["line"], 4);
    assert_eq!(first["field"], "levels");
}

#[test]
fn check_shows_the_source_line_and_warnings() {
    let bad = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/bad-enum-word/site");
    let text = gongkai(&["check", "--root", bad.to_str().unwrap()], &bad);
    let stderr = String::from_utf8_lossy(&text.stderr);
    assert!(
        stderr.contains(" 5 | item_type: 许可\n   |            ^"),
        "{stderr}"
    );
    let root = site("all-kinds");
    let ok = gongkai(&["check", "--root", root.to_str().unwrap()], &root);
    let stderr = String::from_utf8_lossy(&ok.stderr);
    assert!(ok.status.success());
    assert!(
        stderr.contains("content/ceshi/policies/guoqi.md:1:1: 警告: doc_number: 政策文件没有文号"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/ceshi/services/jianfang.md:1:1: 警告: promised_days:"),
        "{stderr}"
    );
    assert!(stderr.contains("警告: summary: 没有摘要"), "{stderr}");
    let denied = gongkai(
        &["check", "--deny-warnings", "--root", root.to_str().unwrap()],
        &root,
    );
    assert_eq!(denied.status.code(), Some(1));
    let github = gongkai(
        &[
            "check",
            "--format",
            "github",
            "--root",
            root.to_str().unwrap(),
        ],
        &root,
    );
    assert!(String::from_utf8_lossy(&github.stdout).contains(
        "::warning file=content/ceshi/policies/guoqi.md,line=1,col=1::doc_number: 政策文件没有文号"
    ));
}
