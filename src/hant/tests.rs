//! Unit tests of the conversion, the site phrases and the search fold. The
//! expected texts are what `opencc -c s2tw.json` (Debian 1.1.6) writes; the
//! comparison with the command itself is tests/traditional_opencc.rs.

use super::*;

/// Phrases from government pages, Simplified and as OpenCC `s2tw` writes
/// them.
const PHRASES: &[(&str, &str)] = &[
    ("政务服务", "政務服務"),
    ("政务公开", "政務公開"),
    ("办事指南", "辦事指南"),
    ("不动产登记", "不動產登記"),
    ("行政许可", "行政許可"),
    ("行政复议", "行政複議"),
    ("岳阳市", "岳陽市"),
    ("岳麓区", "嶽麓區"),
    ("鹤城区", "鶴城區"),
    ("一次性告知单", "一次性告知單"),
    ("信息公开", "信息公開"),
    ("发文机关", "發文機關"),
    ("发布日期", "發佈日期"),
    ("统一社会信用代码", "統一社會信用代碼"),
    ("关于印发实施意见的通知", "關於印發實施意見的通知"),
    ("审批时限为5分钟", "審批時限為5分鐘"),
    ("人民群众满意", "人民群眾滿意"),
    ("启用新版办事指南", "啟用新版辦事指南"),
    ("原件和复印件各一份", "原件和複印件各一份"),
    ("准予许可", "准予許可"),
    ("批准文件", "批准文件"),
    ("核准登记", "核准登記"),
    ("若干意见", "若干意見"),
    ("头发", "頭髮"),
    ("台风预警", "颱風預警"),
    ("日历", "日曆"),
    ("干预", "干預"),
    ("联系电话", "聯繫電話"),
    ("劳动关系", "勞動關係"),
    ("干部", "幹部"),
    ("干净", "乾淨"),
    ("一只", "一隻"),
    ("历史", "歷史"),
    ("松紧", "鬆緊"),
    ("周末", "週末"),
    ("平台", "平臺"),
    ("标准", "標準"),
];

#[test]
fn converts_government_phrases_as_opencc_does() {
    for (simplified, traditional) in PHRASES {
        assert_eq!(to_traditional(simplified), *traditional, "{simplified}");
    }
}

#[test]
fn fold_takes_the_phrases_back_to_simplified() {
    let fold = |text: &str| -> String { text.chars().map(to_simplified_char).collect() };
    for (simplified, traditional) in PHRASES {
        assert_eq!(fold(traditional), fold(simplified), "{traditional}");
    }
    for (traditional, simplified) in [("複印件", "复印件"), ("頭髮", "头发"), ("颱風", "台风")]
    {
        assert_eq!(fold(traditional), simplified);
        assert_eq!(fold(simplified), simplified);
    }
}

#[test]
fn keeps_vocabulary() {
    // No TWPhrases: no 資訊 for 信息, no 軟體 for 软件.
    assert_eq!(to_traditional("信息"), "信息");
    assert_eq!(to_traditional("软件"), "軟件");
    assert_eq!(to_traditional("网络"), "網絡");
}

#[test]
fn a_character_alone_takes_its_first_candidate() {
    // Outside a phrase: OpenCC's first candidate, in Taiwan's forms.
    for (simplified, traditional) in [
        ("发", "發"),
        ("后", "後"),
        ("干", "幹"),
        ("里", "裡"),
        ("复", "復"),
        ("台", "臺"),
        ("准", "準"),
        ("系", "系"),
        ("只", "只"),
        ("钟", "鍾"),
        ("岳", "嶽"),
        ("面", "面"),
    ] {
        assert_eq!(to_traditional(simplified), traditional, "{simplified}");
    }
}

#[test]
fn writes_taiwan_forms_also_for_traditional_input() {
    assert_eq!(to_traditional("为众伪启群峰床秘吃"), "為眾偽啟群峰床秘吃");
    // TWVariants applies to every character, converted or not.
    assert_eq!(
        to_traditional("爲衆僞啓羣峯牀祕喫裏"),
        "為眾偽啟群峰床秘吃裡"
    );
    assert_eq!(to_traditional("着急 污染"), "著急 汙染");
}

#[test]
fn traditional_text_mostly_stays_as_written() {
    for text in [
        "政務服務",
        "辦事指南：不動產登記",
        "複印件",
        "頭髮",
        "颱風",
        "乾隆",
    ] {
        assert!(matches!(to_traditional(text), Cow::Borrowed(t) if t == text));
    }
    // As in OpenCC, a character both scripts use converts alone.
    assert_eq!(to_traditional("岳陽市"), "嶽陽市");
    assert_eq!(to_traditional("臺風"), "臺風");
    // And the conversion is not idempotent everywhere.
    assert_eq!(to_traditional("幺"), "么");
    assert_eq!(to_traditional("么"), "麼");
}

#[test]
fn markup_and_other_scripts_stay_byte_identical() {
    for text in [
        "",
        r#"<a href="/x/">"#,
        "<!DOCTYPE html>\n<meta charset=\"utf-8\"><p class=\"a\">x &amp; y</p>",
        "é ü ñ — “quotes” … ©",
        "ひらがな カタカナ",
        "，。、；：？！「」《》〔〕",
        "😀 emoji and \u{1F600}",
        "\u{FDD0}/path\u{FDD1} \u{FDD2}\u{FDD3}\u{FDD4}",
    ] {
        assert!(matches!(to_traditional(text), Cow::Borrowed(t) if t == text));
    }
}

#[test]
fn converts_around_markup_and_placeholders() {
    let html = "<li><a href=\"\u{FDD0}/yueyang/services/bdc/\">不动产登记</a> \
                <span>2023-05-01</span> 岳政办发〔2023〕12号 复印件</li>";
    let expected = "<li><a href=\"\u{FDD0}/yueyang/services/bdc/\">不動產登記</a> \
                    <span>2023-05-01</span> 嶽政辦發〔2023〕12號 複印件</li>";
    assert_eq!(to_traditional(html), expected);
    assert_eq!(to_traditional("a关b门c"), "a關b門c");
    // Markup between characters ends a phrase, as it does for OpenCC.
    assert_eq!(to_traditional("头<b>发</b>"), "頭<b>發</b>");
    assert_eq!(to_traditional("头\u{FDD0}发"), "頭\u{FDD0}發");
}

#[test]
fn the_longest_phrase_wins() {
    // 复印 and 复印机 are both phrases.
    assert_eq!(to_traditional("复印机复印件"), "複印機複印件");
    // A phrase at the very end of the text, and one cut short by it.
    assert_eq!(to_traditional("请提交复印件"), "請提交複印件");
    assert_eq!(to_traditional("台"), "臺");
}

#[test]
fn remembered_runs_convert_as_fresh_ones() {
    let text = "<p>复印件</p><p>复印件</p>头发，头发。<b>头发</b> a𫗭b 头\u{FDD0}发 \
                复印件一份复印件一份复印件一份复印件一份复印件一份复印件一份复印件一份复印件一份";
    let standard = Converter::standard();
    let fresh = standard.convert_alone(text.as_bytes());
    for _ in 0..3 {
        assert_eq!(standard.convert_bytes(text.as_bytes()), fresh);
    }
    // Another converter does not take the standard one's runs.
    let site = Converter::with_phrases(&[("头发".to_string(), "頭发".to_string())]);
    assert_eq!(site.convert("<b>头发</b>"), "<b>頭发</b>");
    assert_eq!(standard.convert("<b>头发</b>"), "<b>頭髮</b>");
    assert_eq!(site.convert("<b>头发</b>"), "<b>頭发</b>");
}

#[test]
fn every_phrase_alone_converts_to_its_output() {
    let standard = Converter::standard();
    let chars: std::collections::HashMap<char, char> = tables::pairs("chars").into_iter().collect();
    for phrase in tables::builtin_phrases() {
        let expected = match phrase.output {
            Some(output) => output.to_string(),
            None => phrase
                .key
                .chars()
                .map(|c| chars.get(&c).copied().unwrap_or(c))
                .collect(),
        };
        assert_eq!(standard.convert(phrase.key), expected, "{}", phrase.key);
    }
}

#[test]
fn handles_four_byte_characters_and_length_changes() {
    // 𫗭 (U+2B5ED, four bytes) → 餵 (three bytes), and back to four:
    // 㛟 (U+36DF) → 𡞵 (U+217B5).
    assert_eq!(to_traditional("a𫗭b"), "a餵b");
    assert_eq!(to_traditional("㛟关"), "𡞵關");
    assert_eq!(to_simplified_char('𡞵'), '㛟');
    // A four-byte character without an entry, then one ASCII byte.
    assert_eq!(to_traditional("𠀀x"), "𠀀x");
    // Changes of the same length, then not, then the same again.
    assert_eq!(to_traditional("门𫗭门㛟门"), "門餵門𡞵門");
    assert_eq!(to_traditional("门<𫗭>门<㛟>门"), "門<餵>門<𡞵>門");
}

#[test]
fn site_phrases_take_part_in_the_longest_match() {
    let phrase = |k: &str, v: &str| (k.to_string(), v.to_string());
    let site = Converter::with_phrases(&[
        phrase("岳麓区", "岳麓區"),
        phrase("复印", "副本"),
        phrase("信息", "資訊"),
        phrase("钟", "鐘"),
        phrase("为民", "爲民"),
    ]);
    // Replaces OpenCC's own phrase, and its character.
    assert_eq!(site.convert("岳麓区"), "岳麓區");
    assert_eq!(site.convert("钟表 分钟 钟"), "鐘錶 分鐘 鐘");
    // The longer OpenCC phrase still wins over a shorter site phrase.
    assert_eq!(site.convert("复印机；复印件"), "複印機；副本件");
    assert_eq!(site.convert("政府信息公开"), "政府資訊公開");
    // Written as given, TWVariants or not.
    assert_eq!(site.convert("为民服务"), "爲民服務");
    // The standard conversion is untouched.
    assert_eq!(to_traditional("岳麓区信息"), "嶽麓區信息");
}

#[test]
fn site_phrases_are_checked() {
    assert_eq!(check_phrase("岳麓区", "岳麓區"), None);
    assert_eq!(check_phrase("乔治·华盛顿", "喬治·華盛頓"), None);
    for (key, value) in [
        ("", "x"),
        ("ab", "x"),
        ("信息 公开", "x"),
        ("·信息", "x"),
        ("复印件", ""),
        ("复印件", "  "),
        ("复印件", "複<b>印件"),
        ("复印件", "a\"b"),
        ("复印件", "a\nb"),
        (&"信".repeat(LONGEST_SITE_PHRASE + 1), "x"),
    ] {
        assert!(check_phrase(key, value).is_some(), "{key:?} {value:?}");
    }
    let traditional = check_phrase("複印件", "複本").unwrap_or_default();
    assert!(traditional.contains("“複”是繁体字"), "{traditional}");
    assert!(is_traditional_only('後') && is_traditional_only('髮'));
    assert!(!is_traditional_only('复') && !is_traditional_only('乾'));
}

/// Every code point the tables could cover.
fn all_chars() -> impl Iterator<Item = char> {
    (0..tables::LIMIT).filter_map(char::from_u32)
}

#[test]
fn fold_is_idempotent_and_agrees_with_conversion() {
    let fold = |text: &str| -> String { text.chars().map(to_simplified_char).collect() };
    let standard = Converter::standard();
    let mut buf = [0; 4];
    for c in all_chars() {
        let folded = to_simplified_char(c);
        assert_eq!(to_simplified_char(folded), folded, "U+{:04X}", u32::from(c));
        let text = c.encode_utf8(&mut buf);
        // Without the cache of runs: a quarter of a million of them.
        let converted = standard.convert_alone(text.as_bytes());
        let converted = std::str::from_utf8(converted.as_deref().unwrap_or(text.as_bytes()));
        assert_eq!(fold(converted.unwrap_or_default()), fold(text), "{c}");
    }
    for phrase in tables::builtin_phrases() {
        assert_eq!(
            fold(&to_traditional(phrase.key)),
            fold(phrase.key),
            "{}",
            phrase.key
        );
    }
}

#[test]
fn table_file_is_complete_and_well_formed() {
    for name in ["chars", "phrases", "fold"] {
        let (count, lines) = tables::section(name);
        assert!(count > 1000, "{name}");
        assert_eq!(lines.count(), count, "{name}");
    }
    let (count, lines) = tables::section("traditional");
    assert_eq!(lines.flat_map(str::chars).count(), count);
    assert_eq!(tables::pairs("chars").len(), tables::section("chars").0);
    assert_eq!(simplified_fold_pairs().len(), tables::section("fold").0);
    let phrases = tables::builtin_phrases();
    assert!(
        phrases.windows(2).all(|w| w[0].key < w[1].key),
        "sorted, no repeats"
    );
    for phrase in &phrases {
        assert!(phrase.key.chars().count() >= 2, "{}", phrase.key);
        assert!(!phrase.key.starts_with(|c: char| c.is_ascii()));
        if let Some(output) = phrase.output {
            assert_eq!(output.chars().count(), phrase.key.chars().count());
        }
    }
}

#[test]
fn bytes_that_are_not_utf8_are_kept() {
    // 关 is E5 85 B3.
    assert_eq!(
        to_traditional_bytes(b"\xff\xe5\x85\xb3").as_deref(),
        Some(&b"\xff\xe9\x97\x9c"[..])
    );
    for bad in [
        &b"\xe5\x85"[..],    // cut short
        b"\xe5\x85a",        // cut short before ASCII
        b"\xe0\x80\x80",     // overlong
        b"\xed\xa0\x80",     // surrogate
        b"\xf4\x90\x80\x80", // beyond U+10FFFF
        b"\x85\xb3\xe5",     // continuation bytes first
    ] {
        assert_eq!(to_traditional_bytes(bad), None, "{bad:?}");
    }
    // A character without an entry, or a bad byte, cuts a phrase.
    assert_eq!(
        to_traditional_bytes("复印\u{FFFF}".as_bytes()).map(String::from_utf8),
        Some(Ok("複印\u{FFFF}".to_string()))
    );
    assert_eq!(
        to_traditional_bytes(b"\xe5\xa4\x8d\xff\xe5\x8d\xb0"),
        Some(b"\xe5\xbe\xa9\xff\xe5\x8d\xb0".to_vec()),
        "复 \\xff 印: 復, as alone"
    );
    assert_eq!(to_traditional_bytes("plain ASCII text".as_bytes()), None);
    let text = "关于x门𫗭复印件";
    assert_eq!(
        to_traditional_bytes(text.as_bytes()).map(String::from_utf8),
        Some(Ok(to_traditional(text).into_owned()))
    );
}
