//! Dates as editors write them when they do not write `YYYY-MM-DD`:
//! `2024年6月7日`, `2024.6.7`, `2024/6/7`, `2024-6-7`, `20240607`, with
//! full-width digits too. They are not accepted (a date has one spelling in
//! the files), but the message says which date was probably meant.

use crate::date::Date;

/// A date read from an editor's spelling, and a time of day if one followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Guess {
    year: u16,
    month: u8,
    day: u8,
    time: Option<(u8, u8)>,
}

/// The message for a value that is not a valid date (`with_time`: a date
/// or a date and time is wanted).
pub fn invalid_date_message(text: &str, with_time: bool) -> String {
    let written = text.trim();
    let (what, format, example) = if with_time {
        ("时间", "YYYY-MM-DD 或 YYYY-MM-DD HH:MM", "2023-06-01 15:00")
    } else {
        ("日期", "YYYY-MM-DD", "2023-06-01")
    };
    let generic = format!("“{written}” 不是有效{what}：请写成 {format}，例如 {example}");
    let Some(g) = guess(written) else {
        return generic;
    };
    let date = format!("{:04}-{:02}-{:02}", g.year, g.month, g.day);
    if !(1..=12).contains(&g.month) {
        return format!(
            "“{written}” 不是有效日期：没有 {} 月，请核对（日期写成 {format}）",
            g.month
        );
    }
    if Date::parse(&date).is_none() {
        return format!(
            "“{written}” 不是有效日期：{} 年 {} 月没有 {} 日，请核对（日期写成 {format}）",
            g.year, g.month, g.day
        );
    }
    let meant = match (g.time, with_time) {
        (Some((h, m)), true) if h < 24 && m < 60 => format!("{date} {h:02}:{m:02}"),
        (Some(_), true) => return generic,
        _ => date,
    };
    if meant == written {
        return generic;
    }
    format!(
        "“{written}” 的格式不对：要写成 {format}（月、日都是两位，用半角数字和减号），这里应写成 {meant}"
    )
}

/// Whether a text looks like a date in one of the spellings editors use.
pub fn looks_like_date(text: &str) -> bool {
    guess(text.trim()).is_some()
}

/// Read `2024年6月7日`, `2024.6.7`, `2024/6/7`, `2024-6-7` or `20240607`,
/// optionally followed by a time (`15:00`, `15：00`).
fn guess(text: &str) -> Option<Guess> {
    let text: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '：' => ':',
            '－' | '—' => '-',
            _ => c,
        })
        .collect();
    let digits: Vec<(usize, &str)> = number_runs(&text);
    let (year, month, day, rest) = match digits.as_slice() {
        [(_, ymd), rest @ ..] if ymd.len() == 8 => (&ymd[..4], &ymd[4..6], &ymd[6..], rest),
        [(_, y), (_, m), (_, d), rest @ ..] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => {
            (*y, *m, *d, rest)
        }
        _ => return None,
    };
    let time = match rest {
        [] => None,
        [(_, h), (_, m)] if h.len() <= 2 && m.len() == 2 => {
            Some((h.parse().ok()?, m.parse().ok()?))
        }
        _ => return None,
    };
    let separators_ok = text
        .chars()
        .all(|c| c.is_ascii_digit() || "年月日号.。/-:、 ".contains(c));
    separators_ok.then_some(())?;
    Some(Guess {
        year: year.parse().ok()?,
        month: month.parse().ok()?,
        day: day.parse().ok()?,
        time,
    })
}

/// The runs of ASCII digits of a text, with their byte offsets.
fn number_runs(text: &str) -> Vec<(usize, &str)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_spellings_suggest_the_date() {
        for written in [
            "2024年6月7日",
            "2024.6.7",
            "2024/6/7",
            "2024-6-7",
            "２０２４年６月７日",
            "20240607",
            "2024年06月07号",
        ] {
            let message = invalid_date_message(written, false);
            assert!(
                message.ends_with("这里应写成 2024-06-07"),
                "{written}: {message}"
            );
        }
    }

    #[test]
    fn times_are_kept_where_a_time_is_wanted() {
        let message = invalid_date_message("2024年6月7日 9:30", true);
        assert!(
            message.ends_with("这里应写成 2024-06-07 09:30"),
            "{message}"
        );
        let message = invalid_date_message("2024/6/7 15：00", false);
        assert!(message.ends_with("这里应写成 2024-06-07"), "{message}");
    }

    #[test]
    fn impossible_and_unreadable_dates_say_so() {
        assert!(invalid_date_message("2023年2月29日", false).contains("2023 年 2 月没有 29 日"));
        assert_eq!(
            invalid_date_message("明年", false),
            "“明年” 不是有效日期：请写成 YYYY-MM-DD，例如 2023-06-01"
        );
        assert!(
            invalid_date_message("2023-13-01", false)
                .starts_with("“2023-13-01” 不是有效日期：没有 13 月")
        );
        assert!(
            invalid_date_message("2023-06-01 25:00", true)
                .starts_with("“2023-06-01 25:00” 不是有效时间")
        );
        assert!(guess("2024年6月7日下午").is_none());
        assert!(guess("1.2.3").is_none());
    }
}
