//! Part 二 of the annual report, 第二十条第（一）项: how many 规章 and 行政规范性文件
//! were issued, abolished and in force in a year, counted from policy
//! items. The caller says, for each policy, its type, when it was published
//! and when (if ever) it stopped being in force; the counting rule is here
//! once, for `/stats/` and for the report pages, with its wording.

use crate::content::words::DocType;
use crate::date::Date;
use serde::Serialize;

/// How the figures are counted, printed under the table.
pub const POLICY_FIGURES_RULE: &str = "按文件类型统计：本年制发＝当年发布；本年废止＝失效日期在当年，或有效性为失效/废止的文件按更新日期（无则按发布日期）计；现行有效＝截至当年年底发布且未废止。";

/// What the count needs to know about one policy item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyRecord {
    /// 文件类型; items without one are not counted.
    pub doc_type: Option<DocType>,
    /// The date it was published (发布日期).
    pub published: Date,
    /// The date from which it counts as abolished, if it is no longer in
    /// force: its `expires` date once passed, or for one marked 失效/废止
    /// its 更新日期 (else 发布日期).
    pub abolished: Option<Date>,
}

/// 本年制发件数 / 本年废止件数 / 现行有效件数 of one document type.
#[derive(Debug, Serialize, Default, Clone, Copy, PartialEq, Eq)]
pub struct DocFigures {
    /// 本年制发件数.
    pub issued: usize,
    /// 本年废止件数.
    pub abolished: usize,
    /// 现行有效件数: published by the end of the year and not abolished
    /// by then.
    pub in_force: usize,
}

/// The figures of 第二十条第（一）项 for one year.
#[derive(Debug, Serialize, Default, Clone, Copy, PartialEq, Eq)]
pub struct PolicyFigures {
    /// 规章.
    pub regulation: DocFigures,
    /// 行政规范性文件.
    pub normative: DocFigures,
}

/// Count `records` (the policies of one district, or of any scope the
/// caller chooses) for `year`.
pub fn policy_figures(records: impl IntoIterator<Item = PolicyRecord>, year: u16) -> PolicyFigures {
    let mut figures = PolicyFigures::default();
    for record in records {
        let slot = match record.doc_type {
            Some(DocType::Regulation) => &mut figures.regulation,
            Some(DocType::Normative) => &mut figures.normative,
            _ => continue,
        };
        let published = record.published.year;
        let abolished = record.abolished.map(|d| d.year);
        slot.issued += usize::from(published == year);
        slot.abolished += usize::from(abolished == Some(year));
        slot.in_force += usize::from(published <= year && abolished.is_none_or(|a| a > year));
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(doc_type: DocType, published: &str, abolished: Option<&str>) -> PolicyRecord {
        PolicyRecord {
            doc_type: Some(doc_type),
            published: Date::parse(published).unwrap(),
            abolished: abolished.map(|a| Date::parse(a).unwrap()),
        }
    }

    #[test]
    fn issued_abolished_and_in_force_by_year() {
        let records = [
            record(DocType::Normative, "2021-03-01", None),
            record(DocType::Normative, "2022-05-01", Some("2023-06-30")),
            record(DocType::Normative, "2023-01-10", None),
            record(DocType::Regulation, "2023-02-01", None),
            record(DocType::Other, "2023-02-01", None),
        ];
        let y2022 = policy_figures(records, 2022);
        assert_eq!(
            y2022.normative,
            DocFigures {
                issued: 1,
                abolished: 0,
                in_force: 2
            }
        );
        assert_eq!(y2022.regulation, DocFigures::default());
        let y2023 = policy_figures(records, 2023);
        assert_eq!(
            y2023.normative,
            DocFigures {
                issued: 1,
                abolished: 1,
                in_force: 2
            }
        );
        assert_eq!(
            y2023.regulation,
            DocFigures {
                issued: 1,
                abolished: 0,
                in_force: 1
            }
        );
    }

    #[test]
    fn a_policy_without_a_type_is_not_counted() {
        let records = [PolicyRecord {
            doc_type: None,
            published: Date::parse("2023-01-01").unwrap(),
            abolished: None,
        }];
        assert_eq!(policy_figures(records, 2023), PolicyFigures::default());
    }

    #[test]
    fn issued_and_abolished_in_one_year_counts_both_but_not_in_force() {
        let records = [record(
            DocType::Regulation,
            "2023-01-01",
            Some("2023-12-31"),
        )];
        let f = policy_figures(records, 2023).regulation;
        assert_eq!((f.issued, f.abolished, f.in_force), (1, 1, 0));
    }
}
