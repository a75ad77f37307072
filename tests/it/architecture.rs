//! The layering rules of docs/architecture.md, checked on the source: which
//! top-level modules of `src/` each module names (`use crate::…`,
//! `crate::x::` paths and grouped `use crate::{a, b::c}` imports), and which
//! files name wgpu, winit or glyphon. The checker itself is tested on
//! planted imports, so a rule cannot pass by reading nothing.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// (module, modules it must not use, why).
const RULES: &[(&str, &[&str], &str)] = &[
    (
        "schedule",
        &["layout", "text", "render", "client", "play", "console"],
        "the schedule is a pure function of settings, page counts and time",
    ),
    (
        "config",
        &[
            "layout", "status", "client", "render", "play", "text", "console", "source", "net", "offscreen",
        ],
        "config is data: reading and watching a config file or URL lives with the sources",
    ),
    (
        "status",
        &["demo", "console", "client"],
        "a screen's reporting stands on neither the demo, the console nor the screen thread",
    ),
    (
        "console",
        &["demo", "render", "cli", "client"],
        "the console draws through offscreen::Stage like render --config, never through the display loop, and is called by cli, not the reverse",
    ),
    (
        "client",
        &["console", "cli"],
        "the screen knows nothing of the console or the commands",
    ),
    (
        "play",
        &["source", "render", "client", "status", "console"],
        "play receives documents; it neither fetches nor draws",
    ),
    (
        "feed",
        &[
            "source", "config", "schedule", "play", "layout", "render", "client", "status", "text", "cli",
            "console",
        ],
        "the contract is the bottom layer",
    ),
    (
        "layout",
        &["render", "client", "status", "source", "play", "schedule"],
        "layout is pure",
    ),
    (
        "source",
        &["client", "render", "layout", "play", "schedule", "console"],
        "fetching knows nothing of screens",
    ),
    (
        "net",
        &[
            "source", "config", "status", "client", "console", "play", "layout", "render", "offscreen", "cli",
            "demo", "schedule", "text",
        ],
        "the HTTP stack knows nothing of what it carries",
    ),
    (
        "offscreen",
        &["client", "console", "cli", "source", "net", "demo"],
        "offscreen pictures stand below the screen thread, the console and the commands",
    ),
    (
        "publish",
        &[
            "config", "schedule", "play", "layout", "render", "client", "source", "status", "console", "text",
            "offscreen", "net", "demo",
        ],
        "the publisher talks to the screens only through the feed contract",
    ),
    (
        "slide",
        &["feed", "layout", "schedule", "play", "config"],
        "page references are a leaf",
    ),
];

/// Modules that may name wgpu, winit or glyphon.
const GPU_MODULES: &[&str] = &["render", "client"];

/// Production modules that may use the demo (the `demo-server` command).
const DEMO_USERS: &[&str] = &["demo", "cli"];

/// The source without `//` comments (doc comments mention other modules freely).
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|l| l.split_once("//").map_or(l, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules `text` names through `crate::`.
fn used_modules(text: &str) -> BTreeSet<String> {
    let code = strip_comments(text);
    let mut used = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = matching_brace(group);
            for part in split_top_level(&group[..end]) {
                if let Some(name) = leading_ident(part.trim()) {
                    used.insert(name);
                }
            }
        } else if let Some(name) = leading_ident(rest) {
            used.insert(name);
        }
    }
    used
}

/// The index of the `}` closing a group that starts right after a `{`.
fn matching_brace(text: &str) -> usize {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// `a, b::{c, d}, e` split at the commas outside braces.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn leading_ident(text: &str) -> Option<String> {
    let name: String = text
        .chars()
        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
        .collect();
    (!name.is_empty() && name != "self").then_some(name)
}

/// Whether `text` names a GPU or window crate in code.
fn names_gpu(text: &str) -> bool {
    let code = strip_comments(text);
    ["wgpu", "winit", "glyphon"].iter().any(|krate| {
        code.match_indices(krate).any(|(at, _)| {
            let before = code[..at].chars().last();
            let after = &code[at + krate.len()..];
            let word_start = !before.is_some_and(|c| c.is_alphanumeric() || c == '_');
            word_start && (after.starts_with("::") || after.starts_with(';') || after.starts_with(" as"))
        })
    })
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    first.unwrap_or_default().trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every broken rule, one line each, for the files in `sources` (path, text).
fn broken_rules(src: &Path, sources: &[(PathBuf, String)]) -> Vec<String> {
    let mut uses: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut broken = Vec::new();
    for (path, text) in sources {
        let module = module_of(src, path);
        let shown = path.strip_prefix(src).unwrap_or(path).display().to_string();
        for used in used_modules(text) {
            let files = uses.entry(module.clone()).or_default().entry(used).or_default();
            files.insert(shown.clone());
        }
        if names_gpu(text) && !GPU_MODULES.contains(&module.as_str()) {
            broken.push(format!(
                "{shown}: names wgpu, winit or glyphon (only render and client may)"
            ));
        }
    }
    for (module, banned, why) in RULES {
        for b in *banned {
            if let Some(files) = uses.get(*module).and_then(|u| u.get(*b)) {
                broken.push(format!("{module} uses {b} ({why}): {files:?}"));
            }
        }
    }
    let banned_by_rule = |m: &str| {
        RULES
            .iter()
            .any(|(r, banned, _)| *r == m && banned.contains(&"demo"))
    };
    for (module, used) in &uses {
        // A module whose own rule bans the demo is reported by that rule.
        let allowed = DEMO_USERS.contains(&module.as_str()) || banned_by_rule(module);
        if let Some(files) = used.get("demo").filter(|_| !allowed) {
            broken.push(format!(
                "{module} uses demo (production code does not stand on the demo): {files:?}"
            ));
        }
    }
    broken
}

fn read_src() -> (PathBuf, Vec<(PathBuf, String)>) {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let sources = files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f, text)
        })
        .collect();
    (src, sources)
}

#[test]
fn the_source_keeps_the_layering_rules() {
    let (src, sources) = read_src();
    assert!(
        sources.len() > 50,
        "read only {} files from {}",
        sources.len(),
        src.display()
    );
    let modules: BTreeSet<String> = sources.iter().map(|(p, _)| module_of(&src, p)).collect();
    for (module, _, _) in RULES {
        assert!(
            modules.contains(*module),
            "no module `{module}` found: a rule checks nothing"
        );
    }
    let broken = broken_rules(&src, &sources);
    assert!(broken.is_empty(), "layering rules broken:\n{}", broken.join("\n"));
}

#[test]
fn the_checker_finds_planted_imports() {
    let src = PathBuf::from("/x/src");
    let plant = |file: &str, text: &str| broken_rules(&src, &[(src.join(file), text.to_string())]);
    assert_eq!(plant("schedule/mod.rs", "use crate::layout::PageRef;").len(), 1);
    assert_eq!(
        plant("schedule/mod.rs", "use crate::{feed::Feed, text::Fonts};").len(),
        1
    );
    assert_eq!(
        plant(
            "config/a.rs",
            "use crate::{\n    feed::Feed,\n    status::{check_bind, X},\n};"
        )
        .len(),
        1
    );
    assert_eq!(
        plant("status/server.rs", "let r = crate::demo::http::head(1);").len(),
        1
    );
    assert_eq!(plant("play/mod.rs", "crate::source::sha256_hex(b\"\")").len(), 1);
    assert_eq!(plant("feed/mod.rs", "use crate::config::Settings;").len(), 1);
    assert_eq!(plant("layout/board.rs", "fn f(_: &wgpu::Device) {}").len(), 1);
    assert_eq!(plant("text/fonts.rs", "use glyphon;").len(), 1);
    assert_eq!(plant("console/mod.rs", "use crate::demo::TestServer;").len(), 1);
    assert_eq!(plant("console/preview.rs", "use crate::client::Stage;").len(), 1);
    assert_eq!(plant("config/load.rs", "use crate::source::Poller;").len(), 1);
    assert_eq!(
        plant("config/remote.rs", "let f = crate::net::HttpFetcher::new(u, o);").len(),
        1
    );
    assert_eq!(plant("net/fetch.rs", "use crate::config::Settings;").len(), 1);
    assert_eq!(plant("offscreen/stage.rs", "use crate::client::Driver;").len(), 1);
    // Allowed: comments, words that merely contain a name, the GPU in render.
    assert!(plant(
        "schedule/mod.rs",
        "// see crate::layout::paginate\nuse crate::slide::PageRef;"
    )
    .is_empty());
    assert!(plant("layout/a.rs", "let wgpu_like = 1; let mycrate::layout = 2;").is_empty());
    assert!(plant("render/gpu.rs", "use wgpu::Device;").is_empty());
    assert!(plant("cli/mod.rs", "use crate::demo::Fault;").is_empty());
}
