//! The 主题分类 of the 国务院政策文件库: 22 topics, most with sub-topics
//! (`topics.txt`), and the lookup that tells whether an item's `topic` is
//! one of them. Editors may write a topic (`财政、金融、审计`), a topic and
//! sub-topic as the library shows them (`财政、金融、审计\财政`, also with
//! `/` or `>`), or a sub-topic alone (`财政`: every sub-topic name but 其他
//! belongs to one topic). A value not on the list gets the nearest topic
//! as a suggestion when one stands out.

use std::sync::OnceLock;

/// The embedded list: a topic at the start of a line, its sub-topics
/// indented under it, `#` comments.
const OFFICIAL: &str = include_str!("topics.txt");

/// Characters accepted between a topic and its sub-topic.
const SEPARATORS: [char; 6] = ['\\', '/', '／', '＼', '>', '＞'];

/// One topic of the list with its sub-topics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicGroup {
    /// The topic (一级分类), e.g. `城乡建设、环境保护`.
    pub name: &'static str,
    /// Its sub-topics (二级分类), e.g. `城乡建设（含住房）`.
    pub subtopics: Vec<&'static str>,
}

/// A value found on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    /// The topic.
    pub topic: &'static str,
    /// The sub-topic, when the value names one.
    pub subtopic: Option<&'static str>,
}

impl Topic {
    /// The form the 国务院政策文件库 shows: `一级` or `一级\二级`.
    pub fn canonical(&self) -> String {
        match self.subtopic {
            Some(sub) => format!("{}\\{sub}", self.topic),
            None => self.topic.to_string(),
        }
    }
}

/// A value not on the list, with the nearest entry when one stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotListed {
    /// What the editor probably meant.
    pub suggestion: Option<Topic>,
}

/// The whole list.
pub fn official() -> &'static [TopicGroup] {
    static LIST: OnceLock<Vec<TopicGroup>> = OnceLock::new();
    LIST.get_or_init(|| parse(OFFICIAL))
}

fn parse(text: &'static str) -> Vec<TopicGroup> {
    let mut groups: Vec<TopicGroup> = Vec::new();
    for line in text.lines() {
        let name = line.trim();
        if name.is_empty() || name.starts_with('#') {
            continue;
        }
        match groups.last_mut() {
            Some(group) if line.starts_with(' ') => group.subtopics.push(name),
            _ => groups.push(TopicGroup {
                name,
                subtopics: Vec::new(),
            }),
        }
    }
    groups
}

/// Look an item's `topic` up on the official list.
pub fn lookup(text: &str) -> Result<Topic, NotListed> {
    exact(text.trim()).ok_or_else(|| NotListed {
        suggestion: exact(&normalized(text)).or_else(|| nearest(text)),
    })
}

/// The value as written (surrounding white space aside) on the list.
fn exact(text: &str) -> Option<Topic> {
    let list = official();
    if let Some((first, second)) = text.split_once(SEPARATORS) {
        let (first, second) = (first.trim(), second.trim());
        let group = list.iter().find(|g| g.name == first)?;
        let sub = group.subtopics.iter().find(|s| **s == second)?;
        return Some(Topic {
            topic: group.name,
            subtopic: Some(sub),
        });
    }
    if let Some(group) = list.iter().find(|g| g.name == text) {
        return Some(Topic {
            topic: group.name,
            subtopic: None,
        });
    }
    list.iter().find_map(|g| {
        let sub = g.subtopics.iter().find(|s| **s == text)?;
        Some(Topic {
            topic: g.name,
            subtopic: Some(sub),
        })
    })
}

/// Common slips made uniform: other commas for 、, half-width brackets
/// for full-width ones, no spaces.
fn normalized(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            ',' | '，' | '､' | '·' | ';' | '；' => '、',
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

/// The topic sharing the most parts (split at 、 and separators) with
/// `text`: a part equal to one of the topic's or its sub-topics' parts
/// counts two, a part inside one counts one. `None` on a tie or no match.
fn nearest(text: &str) -> Option<Topic> {
    let normal = normalized(text);
    let parts: Vec<&str> = normal
        .split(|c: char| c == '、' || SEPARATORS.contains(&c))
        .filter(|p| !p.is_empty() && *p != "其他")
        .collect();
    let score = |group: &TopicGroup| -> usize {
        let words: Vec<&str> = std::iter::once(group.name)
            .chain(group.subtopics.iter().copied())
            .flat_map(|n| n.split('、'))
            .collect();
        parts
            .iter()
            .map(|p| {
                if words.contains(p) {
                    2
                } else {
                    usize::from(words.iter().any(|w| w.contains(p)))
                }
            })
            .sum()
    };
    let mut scored: Vec<(usize, &TopicGroup)> = official().iter().map(|g| (score(g), g)).collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [(best, group), rest @ ..] if *best > 0 && rest.first().is_none_or(|r| r.0 < *best) => {
            Some(Topic {
                topic: group.name,
                subtopic: None,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> String {
        lookup(text).unwrap().canonical()
    }

    fn suggested(text: &str) -> Option<String> {
        lookup(text).unwrap_err().suggestion.map(|t| t.canonical())
    }

    #[test]
    fn the_list_has_22_topics_and_unique_subtopic_names() {
        let list = official();
        assert_eq!(list.len(), 22);
        assert_eq!(list[1].name, "综合政务");
        assert_eq!(list.last().unwrap().name, "其他");
        let subs: usize = list.iter().map(|g| g.subtopics.len()).sum();
        assert_eq!(subs, 121);
        let mut names: Vec<&str> = list
            .iter()
            .flat_map(|g| g.subtopics.iter().copied())
            .filter(|s| *s != "其他")
            .collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a sub-topic alone names one topic");
        assert!(list.iter().all(|g| !names.contains(&g.name)));
    }

    #[test]
    fn topics_subtopics_and_their_forms_are_found() {
        assert_eq!(found("综合政务"), "综合政务");
        assert_eq!(found(" 城乡建设、环境保护 "), "城乡建设、环境保护");
        assert_eq!(found("财政、金融、审计\\财政"), "财政、金融、审计\\财政");
        assert_eq!(found("财政、金融、审计/审计"), "财政、金融、审计\\审计");
        assert_eq!(found("综合政务 > 政务公开"), "综合政务\\政务公开");
        assert_eq!(found("综合政务／其他"), "综合政务\\其他");
        assert_eq!(
            found("城乡建设（含住房）"),
            "城乡建设、环境保护\\城乡建设（含住房）"
        );
        assert_eq!(found("其他"), "其他");
        assert_eq!(found("国务院组织机构"), "国务院组织机构");
    }

    #[test]
    fn values_off_the_list_get_the_nearest_topic() {
        assert_eq!(
            suggested("城乡建设、住房").as_deref(),
            Some("城乡建设、环境保护")
        );
        assert_eq!(
            suggested("公安、安全生产、司法").as_deref(),
            Some("公安、安全、司法")
        );
        assert_eq!(
            suggested("财政,金融,审计").as_deref(),
            Some("财政、金融、审计")
        );
        assert_eq!(
            suggested("城乡建设(含住房)").as_deref(),
            Some("城乡建设、环境保护\\城乡建设（含住房）")
        );
        assert_eq!(
            suggested("财政、金融、审计\\税收").as_deref(),
            Some("财政、金融、审计")
        );
        assert_eq!(suggested("主题1"), None);
        assert_eq!(suggested(""), None);
        assert_eq!(suggested("其他\\其他"), None);
    }

    #[test]
    fn every_topic_of_the_demo_site_is_listed() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(content)
            .into_iter()
            .filter_map(Result::ok)
        {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            for line in text.lines() {
                let value = line
                    .strip_prefix("topic:")
                    .or_else(|| line.strip_prefix("主题分类:"));
                if let Some(value) = value {
                    seen += 1;
                    assert!(lookup(value).is_ok(), "{}: {value}", entry.path().display());
                }
            }
        }
        assert!(seen > 30, "the demo's items have topics");
    }

    #[test]
    fn a_subtopic_under_the_wrong_topic_is_not_listed() {
        assert!(lookup("综合政务\\财政").is_err());
        assert!(lookup("其他\\其他").is_err());
    }
}
