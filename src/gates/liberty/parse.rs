//! The Liberty syntax: a generic tree of groups and attributes, with line numbers.
//!
//! A hand-written subset parser rather than a crate: it is about 250 lines, gives every error
//! a line number (the `Error::Table` shape the crate already uses for library files), cannot
//! hang (every step consumes input; nesting is capped) and adds no dependency. What it reads:
//! `/* */` and `//` comments, `\` line continuations, groups `name (args) { ... }`, simple
//! attributes `name : value ;` and complex attributes `name (args) ;`. Meaning is given to
//! the tree by [`super::model`].

use crate::{Error, Result};

/// Deepest group nesting accepted (real libraries nest 5 deep).
const MAX_DEPTH: usize = 32;

/// A group: `name (args) { attributes and groups }`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Group {
    pub name: String,
    pub args: Vec<String>,
    pub line: usize,
    pub attrs: Vec<Attr>,
    pub groups: Vec<Group>,
}

/// An attribute: `name : value ;` (one value) or `name (v1, v2, ...) ;`.
#[derive(Clone, Debug)]
pub(crate) struct Attr {
    pub name: String,
    pub values: Vec<String>,
    pub line: usize,
}

impl Group {
    /// The first value of simple attribute `name`, with its line.
    pub fn attr(&self, name: &str) -> Option<(&str, usize)> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.values.first().map(|v| (v.as_str(), a.line)))
    }

    /// The sub-groups called `name`.
    pub fn groups<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups.iter().filter(move |g| g.name == name)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Punct(char),
}

struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    line: usize,
    file: &'a str,
}

pub(crate) fn err(file: &str, line: usize, field: &str, reason: impl Into<String>) -> Error {
    Error::Table {
        file: file.into(),
        line,
        field: field.into(),
        reason: reason.into(),
    }
}

impl Lexer<'_> {
    /// The next token with its line and whether a newline came before it.
    fn next(&mut self) -> Result<Option<(Tok, usize, bool)>> {
        let mut newline = false;
        loop {
            let Some(&c) = self.src.get(self.pos) else {
                return Ok(None);
            };
            match c {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                    newline = true;
                }
                b' ' | b'\t' | b'\r' | 0x0c => self.pos += 1,
                b'\\' => self.pos += 1, // line continuation (the newline is whitespace)
                b'/' if self.src.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.line;
                    self.pos += 2;
                    loop {
                        match self.src.get(self.pos) {
                            None => {
                                return Err(err(
                                    self.file,
                                    start,
                                    "comment",
                                    "unterminated /* comment",
                                ));
                            }
                            Some(b'*') if self.src.get(self.pos + 1) == Some(&b'/') => {
                                self.pos += 2;
                                break;
                            }
                            Some(b'\n') => {
                                self.line += 1;
                                self.pos += 1;
                            }
                            _ => self.pos += 1,
                        }
                    }
                }
                b'/' if self.src.get(self.pos + 1) == Some(&b'/') => {
                    while self.src.get(self.pos).is_some_and(|&c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let line = self.line;
        let c = self.src[self.pos];
        let tok = match c {
            b'(' | b')' | b'{' | b'}' | b':' | b';' | b',' => {
                self.pos += 1;
                Tok::Punct(c as char)
            }
            b'"' => {
                self.pos += 1;
                let start = self.pos;
                loop {
                    match self.src.get(self.pos) {
                        None => {
                            return Err(err(self.file, line, "string", "unterminated string"));
                        }
                        Some(b'"') => break,
                        Some(b'\n') => {
                            self.line += 1;
                            self.pos += 1;
                        }
                        _ => self.pos += 1,
                    }
                }
                let s = String::from_utf8_lossy(&self.src[start..self.pos]);
                self.pos += 1;
                // continuations inside strings (`"1, 2, \` newline `3"`) are layout only
                Tok::Str(s.replace("\\\n", " ").replace("\\\r\n", " "))
            }
            _ => {
                let start = self.pos;
                while self
                    .src
                    .get(self.pos)
                    .is_some_and(|&c| !c.is_ascii_whitespace() && !b"(){}:;,\"\\".contains(&c))
                {
                    self.pos += 1;
                }
                Tok::Word(String::from_utf8_lossy(&self.src[start..self.pos]).into_owned())
            }
        };
        Ok(Some((tok, line, newline)))
    }
}

/// Parses Liberty text into its top-level group (normally `library (name) { ... }`).
pub(crate) fn parse(text: &str, file: &str) -> Result<Group> {
    let mut toks = Vec::new();
    let mut lx = Lexer {
        src: text.as_bytes(),
        pos: 0,
        line: 1,
        file,
    };
    while let Some(t) = lx.next()? {
        toks.push(t);
    }
    let mut p = Parser {
        toks,
        pos: 0,
        file,
        last_line: lx.line,
    };
    let mut root = Group::default();
    p.body(&mut root, 0, true)?;
    let mut libs = root.groups.into_iter();
    match (libs.next(), libs.next()) {
        (Some(lib), None) if lib.name == "library" => Ok(lib),
        (Some(g), _) if g.name != "library" => Err(err(
            file,
            g.line,
            &g.name,
            "expected a `library (name) { ... }` group",
        )),
        (Some(_), Some(g)) => Err(err(
            file,
            g.line,
            &g.name,
            "more than one top-level group (one library per file)",
        )),
        _ => Err(err(file, 1, "library", "no library group in the file")),
    }
}

struct Parser<'a> {
    toks: Vec<(Tok, usize, bool)>,
    pos: usize,
    file: &'a str,
    last_line: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&(Tok, usize, bool)> {
        self.toks.get(self.pos)
    }

    fn line(&self) -> usize {
        self.peek().map_or(self.last_line, |t| t.1)
    }

    /// Statements until `}` (or the end of the file at the top level).
    fn body(&mut self, g: &mut Group, depth: usize, top: bool) -> Result<()> {
        loop {
            let Some((tok, line, _)) = self.peek().cloned() else {
                if top {
                    return Ok(());
                }
                return Err(err(
                    self.file,
                    self.last_line,
                    &g.name,
                    format!(
                        "group `{}` opened at line {} is not closed (truncated file?)",
                        g.name, g.line
                    ),
                ));
            };
            let name = match tok {
                Tok::Punct('}') if !top => {
                    self.pos += 1;
                    return Ok(());
                }
                Tok::Punct(';') => {
                    self.pos += 1;
                    continue;
                }
                Tok::Word(w) => w,
                t => {
                    return Err(err(
                        self.file,
                        line,
                        &g.name,
                        format!("expected an attribute or group name, found {}", show(&t)),
                    ));
                }
            };
            self.pos += 1;
            match self.peek() {
                Some((Tok::Punct(':'), _, _)) => {
                    self.pos += 1;
                    let mut words = Vec::new();
                    while let Some((t, l, nl)) = self.peek() {
                        if *nl && !words.is_empty() {
                            break;
                        }
                        match t {
                            Tok::Word(w) | Tok::Str(w) => words.push(w.clone()),
                            Tok::Punct(';') => {
                                self.pos += 1;
                                break;
                            }
                            Tok::Punct('}') => break,
                            t => {
                                return Err(err(
                                    self.file,
                                    *l,
                                    &name,
                                    format!("unexpected {} in a value", show(t)),
                                ));
                            }
                        }
                        self.pos += 1;
                    }
                    if words.is_empty() {
                        return Err(err(self.file, line, &name, "attribute without a value"));
                    }
                    g.attrs.push(Attr {
                        name,
                        values: vec![words.join(" ")],
                        line,
                    });
                }
                Some((Tok::Punct('('), _, _)) => {
                    self.pos += 1;
                    let args = self.args(&name)?;
                    match self.peek() {
                        Some((Tok::Punct('{'), _, _)) => {
                            self.pos += 1;
                            if depth >= MAX_DEPTH {
                                return Err(err(
                                    self.file,
                                    line,
                                    &name,
                                    format!("groups nested deeper than {MAX_DEPTH}"),
                                ));
                            }
                            let mut sub = Group {
                                name,
                                args,
                                line,
                                ..Group::default()
                            };
                            self.body(&mut sub, depth + 1, false)?;
                            g.groups.push(sub);
                        }
                        _ => {
                            if let Some((Tok::Punct(';'), _, _)) = self.peek() {
                                self.pos += 1;
                            }
                            g.attrs.push(Attr {
                                name,
                                values: args,
                                line,
                            });
                        }
                    }
                }
                Some((t, l, _)) => {
                    return Err(err(
                        self.file,
                        *l,
                        &name,
                        format!("expected `:` or `(` after `{name}`, found {}", show(t)),
                    ));
                }
                None => {
                    return Err(err(
                        self.file,
                        self.last_line,
                        &name,
                        "the file ends inside a statement (truncated?)",
                    ));
                }
            }
        }
    }

    /// Comma-separated arguments up to and including `)`.
    fn args(&mut self, name: &str) -> Result<Vec<String>> {
        let mut args = Vec::new();
        let mut cur: Option<String> = None;
        loop {
            let line = self.line();
            match self.peek().cloned() {
                Some((Tok::Punct(')'), _, _)) => {
                    self.pos += 1;
                    args.extend(cur);
                    return Ok(args);
                }
                Some((Tok::Punct(','), _, _)) => {
                    self.pos += 1;
                    args.push(cur.take().unwrap_or_default());
                }
                Some((Tok::Word(w) | Tok::Str(w), _, _)) => {
                    self.pos += 1;
                    cur = Some(match cur {
                        Some(c) => format!("{c} {w}"),
                        None => w,
                    });
                }
                Some((t, l, _)) => {
                    return Err(err(
                        self.file,
                        l,
                        name,
                        format!("unexpected {} in an argument list", show(&t)),
                    ));
                }
                None => {
                    return Err(err(
                        self.file,
                        line,
                        name,
                        "expected `)`, found the end of the file (truncated?)",
                    ));
                }
            }
        }
    }
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("`{w}`"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Punct(c) => format!("`{c}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_attributes_with_lines() {
        let t = "/* c */ library (x) {\n  time_unit : \"1ns\" ;\n  capacitive_load_unit (1,ff);\n  cell (INV) { area : 0.5; pin (A) { direction : input; } }\n}\n";
        let g = parse(t, "t.lib").unwrap();
        assert_eq!(g.args, ["x"]);
        assert_eq!(g.attr("time_unit"), Some(("1ns", 2)));
        let cu = g.attrs.iter().find(|a| a.name == "capacitive_load_unit");
        assert_eq!(
            cu.map(|a| a.values.clone()),
            Some(vec!["1".into(), "ff".into()])
        );
        let cell = g.groups("cell").next().unwrap();
        assert_eq!((cell.line, cell.attr("area")), (4, Some(("0.5", 4))));
    }

    #[test]
    fn malformed_input_is_an_error_with_its_line() {
        let cases = [
            ("library (x) {\n cell (A) {\n area : 1;\n", "is not closed"),
            ("library (x) {\n /* open", "unterminated /* comment"),
            ("library (x) {\n a : \"open\n", "unterminated string"),
            ("library (x) {\n a : ; }", "attribute without a value"),
            ("library (x) {\n a ( 1, 2 ", "found the end of the file"),
            ("cell (x) { }", "expected a `library"),
            ("library (x) {\n { }", "expected an attribute or group name"),
        ];
        for (text, want) in cases {
            let e = parse(text, "t.lib").unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: {e}");
            assert!(e.starts_with("t.lib:"), "{e}");
        }
        let deep = format!("library (x) {{{}", "g () {".repeat(100));
        assert!(
            parse(&deep, "d.lib")
                .unwrap_err()
                .to_string()
                .contains("nested deeper")
        );
    }
}
