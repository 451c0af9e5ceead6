//! `docs/limits.md` lists every limit of `src/limits.rs`: its table is generated from the
//! source (name, value, doc comment), so the page cannot drift. After adding or changing a
//! limit, regenerate the table with `ARITHSIM_BLESS_LIMITS=1 cargo test --test limits_doc`.

const SOURCE: &str = include_str!("../src/limits.rs");
const BEGIN: &str = "<!-- limits table: generated from src/limits.rs by tests/limits_doc.rs -->";
const END: &str = "<!-- end of limits table -->";

/// The table rows: one per `pub const`, under the `// --- section ---` it belongs to.
fn table() -> String {
    let mut out = String::new();
    let mut doc: Vec<String> = Vec::new();
    for line in SOURCE.lines() {
        let t = line.trim();
        if let Some(section) = t.strip_prefix("// --- ") {
            let name = section.trim_end_matches(['-', ' ']);
            out.push_str(&format!(
                "\n**{name}**\n\n| limit | value | what and why |\n|---|---|---|\n"
            ));
            doc.clear();
        } else if let Some(d) = t.strip_prefix("///") {
            doc.push(d.trim().to_string());
        } else if let Some(rest) = t.strip_prefix("pub const ") {
            let (name, rest) = rest.split_once(':').expect("pub const NAME: TYPE = VALUE;");
            let value = rest
                .split_once('=')
                .map(|(_, v)| v.trim().trim_end_matches(';').trim())
                .expect("a value");
            let what = strip_links(&doc.join(" "));
            out.push_str(&format!("| `{name}` | `{value}` | {what} |\n"));
            doc.clear();
        } else if !t.starts_with("//") {
            doc.clear();
        }
    }
    out
}

/// Rustdoc links (`` [`X`](crate::path) ``) as plain code (`` `X` ``): the page is Markdown.
fn strip_links(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("](crate::") {
        let before = &rest[..i];
        let open = before.rfind('[').unwrap_or(0);
        out.push_str(&before[..open]);
        out.push_str(before.get(open + 1..).unwrap_or(""));
        let after = &rest[i + 2..];
        rest = after.find(')').map_or("", |c| &after[c + 1..]);
    }
    out.push_str(rest);
    out
}

#[test]
fn docs_limits_md_lists_every_limit() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/limits.md");
    let page = std::fs::read_to_string(path).expect("docs/limits.md exists");
    let (head, rest) = page
        .split_once(BEGIN)
        .expect("docs/limits.md has the begin marker");
    let (generated, tail) = rest
        .split_once(END)
        .expect("docs/limits.md has the end marker");
    let want = table();
    if std::env::var_os("ARITHSIM_BLESS_LIMITS").is_some() {
        std::fs::write(path, format!("{head}{BEGIN}\n{want}\n{END}{tail}")).expect("writable");
        return;
    }
    assert_eq!(
        generated.trim(),
        want.trim(),
        "docs/limits.md is out of date: run ARITHSIM_BLESS_LIMITS=1 cargo test --test limits_doc"
    );
    // Every constant is named, so a reader can grep for it.
    for line in SOURCE
        .lines()
        .filter(|l| l.trim_start().starts_with("pub const "))
    {
        let name = line.trim_start()["pub const ".len()..]
            .split(':')
            .next()
            .unwrap();
        assert!(
            page.contains(&format!("`{name}`")),
            "{name} missing from docs/limits.md"
        );
    }
}
