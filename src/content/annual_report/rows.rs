//! The rows of table 三 (收到和处理政府信息公开申请情况) in the official order,
//! with the sums the format implies: the group rows （三）–（六） over their
//! numbered sub-rows, and （七）总计 over （一）–（六）.

use super::table::{Labelled, Spelling, s};

/// The rows of table 三, in the official order. The four group rows
/// (（三）–（六）) have no figures of their own in the official table: they
/// are the sums of their numbered sub-rows, computed (and checked when an
/// editor writes them anyway).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationRow {
    /// 一、本年新收政府信息公开申请数量.
    Received,
    /// 二、上年结转政府信息公开申请数量.
    CarriedOver,
    /// （一）予以公开.
    Disclosed,
    /// （二）部分公开.
    PartlyDisclosed,
    /// （三）不予公开: the sum of its eight sub-rows.
    Withheld,
    /// 1.属于国家秘密.
    StateSecret,
    /// 2.其他法律行政法规禁止公开.
    ForbiddenByLaw,
    /// 3.危及“三安全一稳定”.
    ThreeSecurities,
    /// 4.保护第三方合法权益.
    ThirdParty,
    /// 5.属于三类内部事务信息.
    InternalAffairs,
    /// 6.属于四类过程性信息.
    ProcessInformation,
    /// 7.属于行政执法案卷.
    EnforcementFiles,
    /// 8.属于行政查询事项.
    QueryMatters,
    /// （四）无法提供: the sum of its three sub-rows.
    Unavailable,
    /// 1.本机关不掌握相关政府信息.
    NotHeld,
    /// 2.没有现成信息需要另行制作.
    WouldBeCreated,
    /// 3.补正后申请内容仍不明确.
    StillUnclear,
    /// （五）不予处理: the sum of its five sub-rows.
    NotHandled,
    /// 1.信访举报投诉类申请.
    Petitions,
    /// 2.重复申请.
    Repeated,
    /// 3.要求提供公开出版物.
    Publications,
    /// 4.无正当理由大量反复申请.
    Excessive,
    /// 5.要求行政机关确认或重新出具已获取信息.
    Confirmation,
    /// （六）其他处理: the sum of its three sub-rows.
    OtherHandling,
    /// 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请.
    NoCorrection,
    /// 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请.
    FeeUnpaid,
    /// 3.其他.
    OtherReason,
    /// （七）总计: （一）to（六）.
    Total,
    /// 四、结转下年度继续办理.
    CarriedForward,
}

/// Number of rows of table 三.
pub const APPLICATION_ROWS: usize = 29;

use ApplicationRow as R;

impl Labelled for ApplicationRow {
    const SPELLINGS: &'static [Spelling<Self>] = APPLICATION_SPELLINGS;
    fn index(self) -> usize {
        self as usize
    }
    fn is_computed(self) -> bool {
        self.is_derived()
    }
    fn sum_of(self) -> &'static [Self] {
        self.parts()
    }
    /// A sub-row with its group, e.g. `（三）不予公开 1.属于国家秘密`.
    fn full_label(self) -> String {
        match self.group() {
            Some(group) => format!("{} {}", group.label(), self.label()),
            None => self.label().to_string(),
        }
    }
}

const APPLICATION_SPELLINGS: &[Spelling<ApplicationRow>] = &[
    s(
        R::Received,
        "本年新收",
        "一、本年新收政府信息公开申请数量",
        &[],
    ),
    s(
        R::CarriedOver,
        "上年结转",
        "二、上年结转政府信息公开申请数量",
        &[],
    ),
    s(R::Disclosed, "予以公开", "（一）予以公开", &[]),
    s(
        R::PartlyDisclosed,
        "部分公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        &[],
    ),
    s(R::Withheld, "不予公开", "（三）不予公开", &[]),
    s(R::StateSecret, "属于国家秘密", "1.属于国家秘密", &[]),
    s(
        R::ForbiddenByLaw,
        "其他法律行政法规禁止公开",
        "2.其他法律行政法规禁止公开",
        &[],
    ),
    s(
        R::ThreeSecurities,
        "危及“三安全一稳定”",
        "3.危及“三安全一稳定”",
        &[],
    ),
    s(
        R::ThirdParty,
        "保护第三方合法权益",
        "4.保护第三方合法权益",
        &[],
    ),
    s(
        R::InternalAffairs,
        "属于三类内部事务信息",
        "5.属于三类内部事务信息",
        &[],
    ),
    s(
        R::ProcessInformation,
        "属于四类过程性信息",
        "6.属于四类过程性信息",
        &[],
    ),
    s(
        R::EnforcementFiles,
        "属于行政执法案卷",
        "7.属于行政执法案卷",
        &[],
    ),
    s(
        R::QueryMatters,
        "属于行政查询事项",
        "8.属于行政查询事项",
        &[],
    ),
    s(R::Unavailable, "无法提供", "（四）无法提供", &[]),
    s(
        R::NotHeld,
        "本机关不掌握相关政府信息",
        "1.本机关不掌握相关政府信息",
        &[],
    ),
    s(
        R::WouldBeCreated,
        "没有现成信息需要另行制作",
        "2.没有现成信息需要另行制作",
        &[],
    ),
    s(
        R::StillUnclear,
        "补正后申请内容仍不明确",
        "3.补正后申请内容仍不明确",
        &[],
    ),
    s(R::NotHandled, "不予处理", "（五）不予处理", &[]),
    s(
        R::Petitions,
        "信访举报投诉类申请",
        "1.信访举报投诉类申请",
        &[],
    ),
    s(R::Repeated, "重复申请", "2.重复申请", &[]),
    s(
        R::Publications,
        "要求提供公开出版物",
        "3.要求提供公开出版物",
        &[],
    ),
    s(
        R::Excessive,
        "无正当理由大量反复申请",
        "4.无正当理由大量反复申请",
        &[],
    ),
    s(
        R::Confirmation,
        "要求行政机关确认或重新出具已获取信息",
        "5.要求行政机关确认或重新出具已获取信息",
        &[],
    ),
    s(R::OtherHandling, "其他处理", "（六）其他处理", &[]),
    s(
        R::NoCorrection,
        "逾期不补正",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        &[],
    ),
    s(
        R::FeeUnpaid,
        "逾期未缴费",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        &["逾期未缴纳费用"],
    ),
    s(R::OtherReason, "其他", "3.其他", &[]),
    s(R::Total, "总计", "（七）总计", &[]),
    s(
        R::CarriedForward,
        "结转下年度",
        "四、结转下年度继续办理",
        &[],
    ),
];

impl ApplicationRow {
    /// The rows a derived row sums; empty for rows an editor must fill in.
    pub fn parts(self) -> &'static [ApplicationRow] {
        match self {
            R::Withheld => &[
                R::StateSecret,
                R::ForbiddenByLaw,
                R::ThreeSecurities,
                R::ThirdParty,
                R::InternalAffairs,
                R::ProcessInformation,
                R::EnforcementFiles,
                R::QueryMatters,
            ],
            R::Unavailable => &[R::NotHeld, R::WouldBeCreated, R::StillUnclear],
            R::NotHandled => &[
                R::Petitions,
                R::Repeated,
                R::Publications,
                R::Excessive,
                R::Confirmation,
            ],
            R::OtherHandling => &[R::NoCorrection, R::FeeUnpaid, R::OtherReason],
            R::Total => &[
                R::Disclosed,
                R::PartlyDisclosed,
                R::Withheld,
                R::Unavailable,
                R::NotHandled,
                R::OtherHandling,
            ],
            _ => &[],
        }
    }

    /// True for rows computed from others: （三）–（六） and （七）总计.
    pub fn is_derived(self) -> bool {
        !self.parts().is_empty()
    }

    /// The group row (（三）–（六）) a numbered sub-row belongs to.
    pub fn group(self) -> Option<ApplicationRow> {
        [R::Withheld, R::Unavailable, R::NotHandled, R::OtherHandling]
            .into_iter()
            .find(|g| g.parts().contains(&self))
    }

    /// True when the row has figures in the official table (the group rows
    /// （三）–（六） are only headings beside their sub-rows there).
    pub fn has_figures_in_official_table(self) -> bool {
        !matches!(
            self,
            R::Withheld | R::Unavailable | R::NotHandled | R::OtherHandling
        )
    }
}
