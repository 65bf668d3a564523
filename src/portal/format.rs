//! The format version of an export file and why an export cannot be used
//! ([`ExportError`], in words for the publisher). The version is read
//! before anything else of a file, so that a file of another major version
//! is refused with its version, not with whatever field it no longer has.

use super::contract;
use serde::{Deserialize, Deserializer};
use std::fmt;

/// A format version `MAJOR.MINOR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Changes that old readers cannot follow.
    pub major: u32,
    /// Additions that old readers of the same major version ignore.
    pub minor: u32,
}

impl Version {
    /// Parse `MAJOR.MINOR` (decimal numbers, nothing else).
    pub fn parse(text: &str) -> Option<Version> {
        let (major, minor) = text.split_once('.')?;
        let number = |part: &str| -> Option<u32> {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        Some(Version {
            major: number(major)?,
            minor: number(minor)?,
        })
    }

    /// True when a reader of this build can read it.
    pub fn is_readable(self) -> bool {
        self.major == contract::MAJOR
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Version::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("格式版本“{text}”不是“主版本.次版本”的形式"))
        })
    }
}

/// Why an export cannot be used; the messages are for the publisher.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Not JSON, or not of the documented shape.
    #[error("{file} 无法解析：{message}")]
    Malformed {
        /// The export file.
        file: String,
        /// What the parser said.
        message: String,
    },
    /// Written before exports carried a version.
    #[error(
        "{file} 没有格式版本（format），是旧版 gongkai 生成的：请该网站用新版 gongkai 重新构建"
    )]
    Unversioned {
        /// The export file.
        file: String,
    },
    /// Another major version.
    #[error("{file} 的格式版本是 {found}，本版 gongkai 只能读取 {}.x：{}", contract::MAJOR, upgrade_hint(*found))]
    OtherMajor {
        /// The export file.
        file: String,
        /// Its version.
        found: Version,
    },
    /// Failed checks (the first few are listed).
    #[error("{}{}", problems.join("；"), more_hint(*more))]
    Invalid {
        /// What is wrong, one line each.
        problems: Vec<String>,
        /// How many more problems were not listed.
        more: usize,
    },
    /// The file could not be read.
    #[error("{file} 读取失败：{message}")]
    Unreadable {
        /// The export file.
        file: String,
        /// The underlying error.
        message: String,
    },
}

fn upgrade_hint(found: Version) -> &'static str {
    if found.major > contract::MAJOR {
        "请升级门户使用的 gongkai"
    } else {
        "请该网站升级 gongkai 后重新构建"
    }
}

fn more_hint(more: usize) -> String {
    if more == 0 {
        String::new()
    } else {
        format!("；另有 {more} 处问题")
    }
}

/// The `format` of an export file, read before anything else so that a
/// file of another major version is refused with its version, not with
/// whatever field it no longer has.
pub fn check_version(file: &str, bytes: &[u8]) -> Result<Version, ExportError> {
    #[derive(Deserialize)]
    struct Probe {
        format: Option<String>,
    }
    // An export before versions was a bare array; anything but an object
    // has no version. (Looking at the first byte spares building a value
    // of a file of tens of megabytes.)
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Ok(_) => Err(ExportError::Unversioned { file: file.into() }),
            Err(e) => Err(malformed(file, &e)),
        };
    }
    let probe: Probe = serde_json::from_slice(bytes).map_err(|e| malformed(file, &e))?;
    version_of(file, probe.format.as_deref())
}

/// The version a `format` value names, or why it cannot be read.
pub(crate) fn version_of(file: &str, format: Option<&str>) -> Result<Version, ExportError> {
    let Some(format) = format else {
        return Err(ExportError::Unversioned { file: file.into() });
    };
    let version = Version::parse(format).ok_or_else(|| ExportError::Malformed {
        file: file.into(),
        message: format!("格式版本“{format}”不是“主版本.次版本”的形式"),
    })?;
    if !version.is_readable() {
        return Err(ExportError::OtherMajor {
            file: file.into(),
            found: version,
        });
    }
    Ok(version)
}

pub(crate) fn malformed(file: &str, error: &serde_json::Error) -> ExportError {
    ExportError::Malformed {
        file: file.into(),
        message: error.to_string(),
    }
}
