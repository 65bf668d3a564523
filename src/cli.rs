//! The command line: one argument struct per command, each with its own `run`.

use crate::config::Config;
use crate::content::library::{self, LoadOptions};
use crate::date::Date;
use crate::diag::{Diagnostic, Error, Result};
use crate::incremental;
use crate::output::{Discard, Staging};
use crate::qrlock;
use crate::render::{self, Site, theme::Theme};
use crate::report::{Format, Reporter};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// gongkai：政务公开静态网站生成器
#[derive(Debug, Parser)]
#[command(name = "gongkai", version, about)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 生成网站（写入 public/）
    Build(BuildArgs),
    /// 检查全部内容与模板，不写任何文件
    Check(CheckArgs),
    /// 按栏目模板新建一个条目
    New(NewArgs),
    /// 新建一个示例网站
    Init(InitArgs),
    /// 在本机预览网站：修改文件后自动重新生成并刷新浏览器
    Serve(ServeArgs),
}

/// `gongkai build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// 网站根目录
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// 输出目录（默认 <root>/public）
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 覆盖 site.toml 中的 base_url
    #[arg(long)]
    pub base_url: Option<String>,
    /// 同时发布草稿
    #[arg(long)]
    pub drafts: bool,
    /// 不输出进度与汇总
    #[arg(long, short)]
    pub quiet: bool,
    /// qr.lock 需要变更时报错而不是更新它（用于 CI）
    #[arg(long)]
    pub locked: bool,
    /// 输出各阶段耗时
    #[arg(long)]
    pub timings: bool,
}

/// `gongkai check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// 网站根目录
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// 同时检查草稿
    #[arg(long)]
    pub drafts: bool,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// 有警告时也以失败退出
    #[arg(long)]
    pub deny_warnings: bool,
    /// qr.lock 需要更新时报错（与 build --locked 一致，用于合并请求）
    #[arg(long)]
    pub locked: bool,
}

/// `gongkai new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// 栏目 id 或名称，例如 policies 或 政策文件
    pub column: String,
    /// 标题
    pub title: String,
    /// 区县 id（网站只有一个区县时可省略）
    #[arg(long)]
    pub district: Option<String>,
    /// 网站根目录
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// `gongkai init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// 目标目录（默认当前目录）
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// `gongkai serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// 网站根目录
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// 端口（0 表示自动选一个空闲端口）
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// 监听地址（默认 127.0.0.1，只有本机能访问）
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// 同时预览草稿
    #[arg(long)]
    pub drafts: bool,
}

/// QR codes drawn by earlier builds, under the site root (see qr::Cache).
pub const QR_CACHE: &str = ".gongkai-cache/qr.bin";

/// What a successful build produced.
struct Built {
    items: usize,
    pages: usize,
    files: usize,
    bytes: u64,
    /// Files written (the others were in place already).
    written: usize,
    /// Whether jobs were kept from the previous build.
    partial: bool,
}

/// Take the files of the jobs `plan` keeps from the current output `out`;
/// a job whose files cannot be taken is rendered instead. Returns the jobs
/// to render (`None`: all) and the files of the jobs kept.
fn keep_unchanged(
    staging: &Staging,
    out: &Path,
    previous: Option<&incremental::State>,
    plan: incremental::Plan,
) -> (
    Option<std::collections::HashSet<render::plan::JobKey>>,
    std::collections::HashMap<render::plan::JobKey, Vec<String>>,
) {
    use rayon::prelude::*;
    let (Some(mut run), Some(previous)) = (plan.run, previous) else {
        return (None, Default::default());
    };
    let results: Vec<(render::plan::JobKey, Vec<String>, bool)> = plan
        .keep
        .into_par_iter()
        .map(|(key, files)| {
            let records: Option<Vec<_>> = files
                .iter()
                .map(|f| previous.current.files.get(f).map(|r| (f.clone(), *r)))
                .collect();
            let kept =
                records.is_some_and(|records| staging.keep(out, &previous.current, &records));
            (key, files, kept)
        })
        .collect();
    let mut kept = std::collections::HashMap::new();
    for (key, files, ok) in results {
        if ok {
            kept.insert(key, files);
        } else {
            run.insert(key);
        }
    }
    (Some(run), kept)
}

/// Load the configuration, the content and the theme, reporting the
/// problems of all three together.
pub(crate) fn load_site(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
) -> Result<(Config, library::Library, Theme)> {
    let mut config = Config::load(root)?;
    if let Some(url) = base_url {
        config.set_base_url(url)?;
    }
    let options = LoadOptions {
        drafts,
        today: Date::today(),
    };
    let loaded = crate::timings::phase("load content (walk, parse, validate)", || {
        library::load(root, &config, options)
    });
    let theme = crate::timings::phase("load theme", || Theme::load(root, &config.theme));
    match (loaded, theme) {
        (Ok(library), Ok(theme)) => Ok((config, library, theme)),
        (loaded, theme) => {
            let mut diags: Vec<Diagnostic> = loaded.err().unwrap_or_default();
            diags.extend(theme.err().unwrap_or_default());
            Err(Error::Content(diags))
        }
    }
}

impl BuildArgs {
    /// Build the site into the output directory, atomically.
    pub fn run(&self) -> Result<()> {
        let started = Instant::now();
        if self.timings {
            crate::timings::enable();
        }
        let out = self.out.clone().unwrap_or_else(|| self.root.join("public"));
        check_output_dir(&self.root, &out)?;
        // Builds into the same output take turns; what the previous one
        // left (see crate::incremental) is read while the site loads.
        let _lock = crate::output::lock_output(&out)?;
        let state_file = incremental::State::path_for(&out);
        let state_reader = {
            let path = state_file.clone();
            std::thread::spawn(move || incremental::State::load(&path))
        };
        let (config, library, theme) =
            load_site(&self.root, self.base_url.as_deref(), self.drafts)?;
        let lock = read_lock(&self.root)?;
        let go_live = crate::golive::problems(&config);
        let reconciled = qrlock::reconcile(&lock, &library, go_live.is_empty());
        let (mut previous, global, items, current_ok) =
            crate::timings::phase("compare with the previous build", || {
                let previous = state_reader.join().ok().flatten();
                let global =
                    incremental::global_key(&self.root, &config, &theme, &library, self.drafts);
                let items = incremental::item_states(&library);
                // Files of the current output are taken only when they are
                // still what the state says (checked as each is taken).
                let current_ok = previous.is_some() && out.is_dir();
                (previous, global, items, current_ok)
            });
        let plan = match &previous {
            Some(previous) if current_ok => {
                incremental::plan(Some(previous), global, &items, &config, &library)
            }
            _ => incremental::Plan::everything(),
        };
        let spare = previous.as_mut().and_then(|p| p.spare.take());
        let staging =
            crate::timings::phase("check the spare output", || Staging::reuse(&out, spare))?;
        let (run, kept) = crate::timings::phase("keep unchanged files", || {
            keep_unchanged(&staging, &out, previous.as_ref(), plan)
        });
        let progress = std::sync::Arc::new(crate::progress::Progress::default());
        let bar = crate::progress::Bar::start(std::sync::Arc::clone(&progress), self.quiet);
        let cache_file = self.root.join(QR_CACHE);
        let qr_cache = crate::qr::Cache::load(&cache_file);
        let site = Site {
            root: &self.root,
            config: &config,
            library: &library,
            theme: &theme,
            progress: Some(&progress),
            qr: &qr_cache,
        };
        let selection = render::plan::Selection {
            only: run.as_ref(),
            track: true,
            keep_docs: false,
            docs: None,
        };
        let rendered = render::render_selected(&site, &staging, selection);
        drop(bar);
        let mut diags = lock_problems(&reconciled, &go_live, self.locked, self.drafts);
        let (pages, tracked) = match (rendered, diags.is_empty()) {
            (Ok(done), true) => done,
            (Ok(_), false) => return Err(Error::Content(diags)),
            (Err(Error::Content(more)), _) => {
                diags.extend(more);
                return Err(Error::Content(diags));
            }
            (Err(other), _) => return Err(other),
        };
        let built = Built {
            items: library.items.iter().filter(|i| i.published).count(),
            pages,
            files: staging.tally.files(),
            bytes: staging.tally.bytes(),
            written: staging.written(),
            partial: run.is_some(),
        };
        // Between the exchange and the new state, the state file would
        // describe trees that moved: remove it first (a build killed in
        // between then starts from scratch). The previous output becomes
        // the spare tree when the state describes it.
        let _ = std::fs::remove_file(&state_file);
        let committed =
            crate::timings::phase("swap output into place", || staging.commit(current_ok))?;
        // The state and the QR cache only save work; failing to write them
        // must not fail the build.
        let mut jobs = kept;
        jobs.extend(tracked.outputs);
        let state = incremental::State {
            global,
            items: library
                .items
                .iter()
                .map(|i| i.id.clone())
                .zip(items)
                .collect(),
            jobs,
            current: committed.record,
            spare: previous
                .filter(|_| committed.kept_previous)
                .map(|p| p.current),
        };
        let _ = crate::timings::phase("save build state and QR cache", || {
            rayon::join(
                || state.save(&state_file),
                || {
                    let (_, drawn) = qr_cache.hits();
                    if built.partial {
                        // Codes of the items not rendered stay in the cache.
                        qr_cache.keep_earlier();
                    }
                    if drawn > 0 || !built.partial {
                        qr_cache.save(&cache_file)
                    } else {
                        Ok(())
                    }
                },
            )
        });
        // A --drafts build is a preview: it issues no codes.
        let record = reconciled.changed && !self.drafts;
        if record {
            write_lock(&self.root, &reconciled.text)?;
        }
        if !self.quiet && built.partial {
            crate::say!(
                "已生成 {}：{} 个条目，{} 个文件，{}（沿用上次的结果，重新生成 {} 个页面，写入 {} 个文件），用时 {:.2} 秒",
                out.display(),
                built.items,
                built.files,
                human_bytes(built.bytes),
                built.pages,
                built.written,
                started.elapsed().as_secs_f64()
            );
        } else if !self.quiet {
            crate::say!(
                "已生成 {}：{} 个条目，{} 个页面，{} 个文件，{}，用时 {:.2} 秒",
                out.display(),
                built.items,
                built.pages,
                built.files,
                human_bytes(built.bytes),
                started.elapsed().as_secs_f64()
            );
        }
        if !self.quiet {
            let warnings = crate::content::lint::warnings(&library).len();
            if warnings > 0 {
                crate::say!(
                    "另有 {warnings} 条警告（如缺少摘要、文号、承诺时限），运行 gongkai check 查看"
                );
            }
            if record && !reconciled.added.is_empty() {
                crate::say!(
                    "qr.lock 新登记 {} 个二维码短码，请一并提交",
                    reconciled.added.len()
                );
            }
        }
        // Not live yet: said every time, even with --quiet, since QR codes
        // printed from this output carry a placeholder for good.
        Reporter::new(Format::Text, &self.root).print_all(go_live);
        if self.timings {
            crate::say!("{}", crate::timings::report(started.elapsed()));
        }
        Ok(())
    }
}

fn read_lock(root: &Path) -> Result<String> {
    let path = root.join(qrlock::FILE);
    if !path.exists() {
        return Ok(String::new());
    }
    let bytes = crate::fsutil::read(&path)?;
    crate::content::source::decode(qrlock::FILE, &bytes).map_err(|d| Error::Content(vec![d]))
}

/// Replace qr.lock atomically (write beside it, then rename).
fn write_lock(root: &Path, text: &str) -> Result<()> {
    let path = root.join(qrlock::FILE);
    let temp = root.join(format!(".{}.{}.tmp", qrlock::FILE, std::process::id()));
    crate::fsutil::write(&temp, text.as_bytes())?;
    crate::fsutil::rename(&temp, &path)
}

/// The errors of a build's `qr.lock` check: locked codes without an item,
/// and under `--locked` a site that is not live or a register that would
/// change.
fn lock_problems(
    reconciled: &qrlock::Reconciled,
    go_live: &[Diagnostic],
    locked: bool,
    drafts: bool,
) -> Vec<Diagnostic> {
    let mut diags = reconciled.diags.clone();
    if locked {
        diags.extend(crate::golive::locked_errors(go_live));
        if reconciled.changed && !drafts {
            diags.push(locked_error(reconciled));
        }
    }
    diags
}

fn locked_error(reconciled: &qrlock::Reconciled) -> Diagnostic {
    let shown: Vec<&str> = reconciled
        .added
        .iter()
        .take(5)
        .map(String::as_str)
        .collect();
    let message = if reconciled.added.is_empty() {
        "--locked：qr.lock 需要更新（条目 id 有变化）。请在本地运行 gongkai build 并提交 qr.lock"
            .to_string()
    } else {
        format!(
            "--locked：本次构建会新发放 {} 个二维码短码（{}{}），qr.lock 需要更新。请在本地运行 gongkai build 并提交 qr.lock",
            reconciled.added.len(),
            shown.join("、"),
            if reconciled.added.len() > 5 {
                "…"
            } else {
                ""
            }
        )
    };
    Diagnostic::error(qrlock::FILE, 1, 1, message)
}

/// Refuse an output directory that would swallow the site itself.
fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
    let root = root
        .canonicalize()
        .map_err(|e| crate::fsutil::io_error("找不到网站目录", root, e))?;
    let out_abs = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(out))
            .unwrap_or_else(|_| out.to_path_buf())
    };
    let out_abs = out_abs.canonicalize().unwrap_or(out_abs);
    let dangerous = root.starts_with(&out_abs)
        || out_abs.starts_with(root.join("content"))
        || out_abs.parent().is_none();
    if dangerous {
        return Err(Error::Other(format!(
            "输出目录 {} 会覆盖网站源文件：请换一个目录（默认 public/）",
            out.display()
        )));
    }
    Ok(())
}

fn human_bytes(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

impl CheckArgs {
    /// Validate and render everything, writing nothing. Returns the warnings.
    pub fn run(&self) -> Result<Vec<Diagnostic>> {
        let (config, library, theme) = load_site(&self.root, None, self.drafts)?;
        let qr_cache = crate::qr::Cache::load(&self.root.join(QR_CACHE));
        let site = Site {
            root: &self.root,
            config: &config,
            library: &library,
            theme: &theme,
            progress: None,
            qr: &qr_cache,
        };
        let sink = Discard::default();
        let lock = read_lock(&self.root)?;
        let go_live = crate::golive::problems(&config);
        let reconciled = qrlock::reconcile(&lock, &library, go_live.is_empty());
        let mut diags = lock_problems(&reconciled, &go_live, self.locked, self.drafts);
        match render::render_all(&site, &sink) {
            Ok(_) if diags.is_empty() => {}
            Ok(_) => return Err(Error::Content(diags)),
            Err(Error::Content(more)) => {
                diags.extend(more);
                return Err(Error::Content(diags));
            }
            Err(other) => return Err(other),
        }
        if self.format == Format::Text {
            crate::say!(
                "检查通过：{} 个条目，{} 个文件",
                library.items.iter().filter(|i| i.published).count(),
                sink.tally.files()
            );
        }
        let mut warnings = crate::content::lint::warnings(&library);
        warnings.extend(go_live);
        if reconciled.changed && !self.drafts {
            let message = format!(
                "qr.lock 需要更新（新发放 {} 个短码）：请运行 gongkai build 并提交 qr.lock，否则 build --locked 会失败",
                reconciled.added.len()
            );
            warnings.push(Diagnostic {
                severity: crate::diag::Severity::Warning,
                ..Diagnostic::error(qrlock::FILE, 1, 1, message)
            });
        }
        Ok(warnings)
    }

    fn report(&self, result: Result<Vec<Diagnostic>>) -> i32 {
        let mut reporter = Reporter::new(self.format, &self.root);
        match result {
            Ok(warnings) => {
                let (_, count) = reporter.print_all(warnings);
                if count > 0 && self.format == Format::Text {
                    crate::say!(
                        "共 {count} 条警告{}",
                        if self.deny_warnings {
                            "（--deny-warnings：视为失败）"
                        } else {
                            ""
                        }
                    );
                }
                i32::from(count > 0 && self.deny_warnings)
            }
            Err(e) => report(&e, self.format, &self.root),
        }
    }
}

impl NewArgs {
    /// Write a new item.
    pub fn run(&self) -> Result<()> {
        let config = Config::load(&self.root)?;
        let path = crate::scaffold::new_item(
            &self.root,
            &config,
            &self.column,
            &self.title,
            self.district.as_deref(),
        )?;
        crate::out!("{}", path.display());
        crate::say!(
            "已新建 {}（草稿）：填写内容后把 draft 改为 false 即可发布",
            path.display()
        );
        Ok(())
    }
}

impl InitArgs {
    /// Write a starter site.
    pub fn run(&self) -> Result<()> {
        let written = crate::scaffold::init(&self.dir)?;
        for path in &written {
            crate::out!("{}", path.display());
        }
        crate::say!(
            "已创建示例网站：在 {} 中运行 gongkai build 生成网站。\
             正式上线前，请在 site.toml 中填写网站的正式域名（base_url）和区县的真实代码（code、org_code）",
            self.dir.display()
        );
        Ok(())
    }
}

impl ServeArgs {
    /// Build into memory, serve, watch and rebuild until stopped.
    pub fn run(&self) -> Result<()> {
        crate::serve::run(&crate::serve::Options {
            root: self.root.clone(),
            bind: self.bind,
            port: self.port,
            drafts: self.drafts,
        })
    }
}

/// Print an error for people (and CI) and return the exit code.
pub fn report(error: &Error, format: Format, root: &Path) -> i32 {
    match error {
        Error::Content(diags) => {
            let (errors, _) = Reporter::new(format, root).print_all(diags.clone());
            if format == Format::Text {
                crate::say!("共发现 {errors} 个错误，未生成网站（已有的输出保持不变）");
            }
            1
        }
        other => {
            crate::say!("错误：{other}");
            1
        }
    }
}

/// Run the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let (result, root) = match &cli.command {
        Command::Build(args) => (args.run(), args.root.clone()),
        Command::Check(args) => return args.report(args.run()),
        Command::New(args) => (args.run(), args.root.clone()),
        Command::Init(args) => (args.run(), args.dir.clone()),
        Command::Serve(args) => (args.run(), args.root.clone()),
    };
    match result {
        Ok(()) => 0,
        Err(e) => report(&e, Format::Text, &root),
    }
}
