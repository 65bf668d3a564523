//! The CI files `gongkai init` writes: both parse as YAML and do what the
//! publisher guide says (install from the one source named at the top, keep
//! `.gongkai-cache/` and nothing beside the output, build with `--locked`,
//! deploy with rsync that keeps unchanged files' times).

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// What every shell command of a CI file must (not) do.
fn assert_commands(commands: &[String], file: &str) {
    let installs: Vec<&String> = commands
        .iter()
        .filter(|c| c.contains("cargo install"))
        .collect();
    assert!(!installs.is_empty(), "{file}: no install step");
    for command in &installs {
        assert!(
            command.contains("cargo install $GONGKAI_INSTALL --locked"),
            "{file}: install must use the variable: {command}"
        );
        assert!(
            !command.contains("cargo install gongkai"),
            "{file}: {command}"
        );
    }
    for command in commands {
        assert!(!command.contains("rsync -a"), "{file}: {command}");
        assert!(
            !command.split_whitespace().any(|w| w == "--delete"),
            "{file}: {command}"
        );
    }
}

/// The position of the first command containing `needle`.
fn position(commands: &[String], needle: &str, file: &str) -> usize {
    commands
        .iter()
        .position(|c| c.contains(needle))
        .unwrap_or_else(|| panic!("{file}: no command with {needle}: {commands:#?}"))
}

const DEPLOY: &str = "rsync -rlp --checksum --delete-after --delay-updates";

#[test]
fn the_github_workflow_installs_caches_builds_locked_and_deploys() {
    let (_tmp, dir) = init_site();
    let file = ".github/workflows/publish.yml";
    let doc = yaml(&dir.join(file));
    let install = doc["env"]["GONGKAI_INSTALL"].as_str().unwrap();
    assert!(install.ends_with(" gongkai"), "{install}");
    let jobs = doc["jobs"].as_object().unwrap();
    assert_eq!(jobs.keys().collect::<Vec<_>>(), ["check", "publish"]);
    let steps = |job: &str| doc["jobs"][job]["steps"].as_array().unwrap().clone();
    let runs = |job: &str| -> Vec<String> {
        steps(job)
            .iter()
            .filter_map(|s| s["run"].as_str().map(str::to_string))
            .collect()
    };
    let check = runs("check");
    assert_commands(&check, file);
    assert!(
        position(&check, "cargo install", file)
            < position(&check, "gongkai check --locked --format github", file)
    );
    let publish = runs("publish");
    assert_commands(&publish, file);
    let build = position(&publish, "gongkai build --locked", file);
    assert!(position(&publish, "cargo install", file) < build);
    let deploy = position(&publish, DEPLOY, file);
    assert!(build < deploy, "deploy after the build");
    assert!(publish[deploy].contains("public/ \"$DEPLOY_TARGET\""));
    assert!(doc["env"]["DEPLOY_TARGET"].is_string());

    let cached: Vec<String> = steps("publish")
        .iter()
        .filter(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .flat_map(|s| strings(&s["with"]["path"]))
        .collect();
    assert!(cached.iter().any(|p| p == ".gongkai-cache"), "{cached:?}");
    assert!(
        !cached.iter().any(|p| p.contains("public")),
        "the build state beside the output is not cached: {cached:?}"
    );
    let qr_cache_step = steps("publish")
        .iter()
        .position(|s| strings(&s["with"]["path"]).contains(&".gongkai-cache".to_string()))
        .unwrap();
    let build_step = steps("publish")
        .iter()
        .position(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("gongkai build"))
        })
        .unwrap();
    assert!(
        qr_cache_step < build_step,
        "cache restored before the build"
    );
}

#[test]
fn the_gitlab_pipeline_installs_caches_builds_locked_and_deploys() {
    let (_tmp, dir) = init_site();
    let file = ".gitlab-ci.yml";
    let doc = yaml(&dir.join(file));
    let install = doc["variables"]["GONGKAI_INSTALL"].as_str().unwrap();
    assert!(install.ends_with(" gongkai"), "{install}");
    assert!(doc["variables"]["DEPLOY_TARGET"].is_string());
    let before = strings(&doc["default"]["before_script"]);
    assert_commands(&before, file);
    let caches = doc["default"]["cache"].as_array().unwrap();
    let cached: Vec<String> = caches.iter().flat_map(|c| strings(&c["paths"])).collect();
    assert!(cached.iter().any(|p| p == ".gongkai-cache/"), "{cached:?}");
    assert!(!cached.iter().any(|p| p.contains("public")), "{cached:?}");
    // The binary is installed where the cache keeps it, and found there.
    assert!(cached.iter().any(|p| p == ".gongkai/"), "{cached:?}");
    assert!(
        before
            .iter()
            .any(|c| c.contains("$CI_PROJECT_DIR/.gongkai/bin"))
    );

    let check = strings(&doc["check"]["script"]);
    assert_commands(&[before.clone(), check.clone()].concat(), file);
    position(&check, "gongkai check --locked", file);
    let publish = strings(&doc["publish"]["script"]);
    assert_commands(&[before, publish.clone()].concat(), file);
    let build = position(&publish, "gongkai build --locked", file);
    let deploy = position(&publish, DEPLOY, file);
    assert!(build < deploy, "deploy after the build");
    assert!(publish[deploy].contains("public/ \"$DEPLOY_TARGET\""));
    assert_eq!(
        doc["publish"]["rules"][0]["if"],
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
    );
}

#[test]
fn the_publisher_guide_shows_the_files_init_writes() {
    let (_tmp, dir) = init_site();
    let guide = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/publisher-guide.md"),
    )
    .unwrap();
    for file in [".github/workflows/publish.yml", ".gitlab-ci.yml"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(
            guide.contains(&format!("```yaml\n{text}```\n")),
            "docs/publisher-guide.md shows an outdated {file}"
        );
    }
}
