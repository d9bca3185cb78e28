//! The layout `docs/architecture.md` draws, kept by a test where the
//! compiler cannot keep it: the app's features import each other in no
//! circle, and the core and the contract name no bevy.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, tests excluded.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != "tests") {
                sources(&path, found);
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The feature a file of `src/app/` belongs to: its own name, or its
/// folder's (`screens/home.rs` is `screens`); `None` for `mod.rs`, which
/// wires them all.
fn feature(app: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(app).unwrap();
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    (name != "mod").then(|| name.to_string())
}

/// The app modules a file names: `super::x` from a feature's own file,
/// `super::super::x` from a file in a feature's folder, `crate::app::x`.
fn named_features(app: &Path, file: &Path, text: &str) -> BTreeSet<String> {
    let in_folder = file.parent() != Some(app) && !file.ends_with("mod.rs");
    let prefixes: &[&str] = if in_folder {
        &["super::super::", "crate::app::"]
    } else {
        &["super::", "crate::app::"]
    };
    let mut named = BTreeSet::new();
    for prefix in prefixes {
        for (at, _) in text.match_indices(prefix) {
            // `super::super::x` also contains `super::x`: skip the inner.
            if *prefix == "super::" && text[..at].ends_with("super::") {
                continue;
            }
            let rest = &text[at + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                named.insert(name);
            }
        }
    }
    named
}

/// One circle in `graph`, if there is any.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn app_imports() -> BTreeMap<String, BTreeSet<String>> {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut files = Vec::new();
    sources(&app, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(feature) = feature(&app, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        let named = named_features(&app, file, &text);
        graph
            .entry(feature.clone())
            .or_default()
            .extend(named.into_iter().filter(|n| *n != feature));
    }
    let features: BTreeSet<String> = graph.keys().cloned().collect();
    for named in graph.values_mut() {
        named.retain(|n| features.contains(n));
    }
    graph
}

#[test]
fn the_app_features_import_each_other_in_no_circle() {
    let graph = app_imports();
    assert!(graph.len() > 20, "features found: {:?}", graph.keys());
    // The leaves import no feature.
    assert!(
        graph["shared"].is_empty(),
        "shared imports {:?}",
        graph["shared"]
    );
    assert!(
        graph["session"]
            .iter()
            .all(|n| n == "redraw" || n == "shared"),
        "session imports {:?}",
        graph["session"]
    );
    if let Some(found) = circle(&graph) {
        panic!(
            "the app's features import each other in a circle: {}",
            found.join(" → ")
        );
    }
}

#[test]
fn the_circle_finder_finds_a_circle() {
    // The check above would pass on a finder that never finds one.
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(circle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.get_mut("c").unwrap().clear();
    assert_eq!(circle(&graph), None);
    // And reads names the way the app writes them.
    let app = Path::new("/x/src/app");
    let named = named_features(
        app,
        &app.join("screens/home.rs"),
        "use super::super::feed::Content;\nuse super::frame;\nuse crate::app::theme::size;",
    );
    assert_eq!(
        named,
        BTreeSet::from(["feed".to_string(), "theme".to_string()])
    );
}

#[test]
fn the_core_and_the_contract_depend_on_no_bevy() {
    // (`cargo test -p portalavoro-core` building no bevy shows it too: a
    // line of their manifests that names bevy, comments aside, is enough to
    // break that.)
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for krate in ["crates/portalavoro-core", "crates/portalavoro-contract"] {
        let manifest = std::fs::read_to_string(root.join(krate).join("Cargo.toml")).unwrap();
        let naming: Vec<&str> = manifest
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .filter(|line| line.to_lowercase().contains("bevy"))
            .collect();
        assert!(
            naming.is_empty(),
            "{krate}/Cargo.toml names bevy: {naming:?}"
        );
    }
}
