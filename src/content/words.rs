//! The fixed vocabularies of front matter: each value has an English word and
//! the Chinese word an editor may write instead.

use super::fields::Word;
use serde::Serialize;

macro_rules! words {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $en:literal / $zh:literal $(| $more:literal)*),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $(
                #[doc = $zh]
                $variant
            ),+
        }

        impl Word for $name {
            const WORDS: &'static [($name, &'static str, &'static str)] = &[
                $( ($name::$variant, $en, $zh), $( ($name::$variant, $en, $more), )* )+
            ];
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The English word.
            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// The Chinese word shown on pages.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.en())
            }
        }
    };
}

words! {
    /// The kind of an item, decided by its column.
    Kind {
        Policy = "policy" / "政策文件",
        Interpretation = "interpretation" / "政策解读",
        Service = "service" / "办事指南",
        Article = "article" / "栏目文章",
        Faq = "faq" / "问答知识库",
    }
}

words! {
    /// 文件类型 of a policy document.
    DocType {
        Regulation = "regulation" / "规章",
        Normative = "normative" / "行政规范性文件" | "规范性文件",
        Other = "other" / "其他文件" | "其他",
    }
}

words! {
    /// 有效性 of a policy document.
    Validity {
        Valid = "valid" / "有效",
        Amended = "amended" / "已修订",
        Expired = "expired" / "失效" | "已失效",
        Repealed = "repealed" / "废止" | "已废止",
    }
}

words! {
    /// 公开方式.
    Disclosure {
        Proactive = "proactive" / "主动公开",
        OnRequest = "on_request" / "依申请公开",
    }
}

words! {
    /// 形式 of an interpretation.
    Form {
        Text = "text" / "文字",
        Graphic = "graphic" / "图解" | "一图看懂",
        Qa = "qa" / "问答",
        Video = "video" / "视频",
    }
}

words! {
    /// 事项类型 of a service.
    ItemType {
        License = "license" / "行政许可",
        Payment = "payment" / "行政给付",
        Confirmation = "confirmation" / "行政确认",
        Adjudication = "adjudication" / "行政裁决",
        Reward = "reward" / "行政奖励",
        Filing = "filing" / "行政备案",
        PublicService = "public_service" / "公共服务",
        Other = "other" / "其他",
    }
}

words! {
    /// 办件类型.
    CaseType {
        Immediate = "immediate" / "即办件",
        Promised = "promised" / "承诺件",
    }
}

words! {
    /// 办理层级.
    Level {
        City = "city" / "市" | "市级",
        County = "county" / "县" | "县级",
        Township = "township" / "乡" | "乡级" | "镇",
        Village = "village" / "村" | "村级" | "社区",
    }
}

words! {
    /// 形式 of an application material.
    MaterialForm {
        Original = "original" / "原件",
        Copy = "copy" / "复印件",
        Both = "both" / "原件及复印件",
    }
}
