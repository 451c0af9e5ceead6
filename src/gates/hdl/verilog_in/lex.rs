//! The Verilog lexer for the structural subset: identifiers (plain and escaped), numbers,
//! operators and punctuation, with 1-based line and column on every token.

use crate::{Error, Result};

/// Where a token starts: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn error(self, reason: impl Into<String>) -> Error {
        Error::Hdl {
            format: "verilog",
            line: self.line,
            column: self.column,
            reason: reason.into(),
        }
    }
}

/// A sized or unsized constant: its bits, least significant first, and whether a width was
/// written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Literal {
    pub bits: Vec<bool>,
    pub sized: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A plain identifier or keyword.
    Ident(String),
    /// An escaped identifier (`\wire `), without the backslash: always a name, even when
    /// it spells a keyword.
    Escaped(String),
    Number(Literal),
    /// Operators and punctuation, longest match first (`~^`, `^~`, `~&`, `~|`, `&&`, `||`,
    /// `<=`, ...).
    Sym(&'static str),
    Eof,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

const SYMBOLS: &[&str] = &[
    "~^", "^~", "~&", "~|", "&&", "||", "<=", ">=", "==", "!=", "<<", ">>", "(", ")", "[", "]",
    "{", "}", ";", ",", ":", ".", "#", "@", "=", "?", "~", "!", "&", "|", "^", "+", "-", "*", "/",
    "%", "<", ">",
];

/// Longest constant width accepted (a wider one is surely a mistake and would only waste
/// memory).
pub(crate) const MAX_BITS: usize = crate::limits::VERILOG_MAX_CONSTANT_BITS;

/// A `// label: <text>` comment: where it starts and its text, trimmed.
pub(crate) type LabelComment = (Pos, String);

struct Lexer {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
    labels: Vec<LabelComment>,
}

impl Lexer {
    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.i).copied()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.col,
        }
    }
}

/// Splits `src` into tokens, skipping whitespace, comments, attributes `(* ... *)` and the
/// `` `timescale `` directive.
#[cfg(test)]
pub(crate) fn lex(src: &str) -> Result<Vec<Token>> {
    lex_with_labels(src).map(|(t, _)| t)
}

/// As `lex`, and also the label comments: every line comment that is alone on its line
/// (after optional whitespace) and reads `// label: <text>`, as its position and `<text>`
/// trimmed (empty for `// label:` alone). The token stream is the same as without them.
pub(crate) fn lex_with_labels(src: &str) -> Result<(Vec<Token>, Vec<LabelComment>)> {
    let mut lx = Lexer {
        chars: src.chars().collect(),
        i: 0,
        line: 1,
        col: 1,
        labels: Vec::new(),
    };
    let mut out = Vec::new();
    while let Some(c) = lx.peek(0) {
        let pos = lx.pos();
        if c.is_whitespace() {
            lx.bump();
        } else if c == '/' && lx.peek(1) == Some('/') {
            let start = lx.i;
            let alone = lx.chars[..start]
                .iter()
                .rev()
                .take_while(|&&c| c != '\n')
                .all(|c| c.is_whitespace());
            while let Some(c) = lx.peek(0) {
                if c == '\n' {
                    break;
                }
                lx.bump();
            }
            let body: String = lx.chars[start + 2..lx.i].iter().collect();
            if alone && let Some(text) = body.trim_start().strip_prefix("label:") {
                lx.labels.push((pos, text.trim().to_string()));
            }
        } else if c == '/' && lx.peek(1) == Some('*') {
            lx.bump();
            lx.bump();
            loop {
                match lx.peek(0) {
                    None => return Err(pos.error("unterminated block comment")),
                    Some('*') if lx.peek(1) == Some('/') => {
                        lx.bump();
                        lx.bump();
                        break;
                    }
                    Some(_) => {
                        lx.bump();
                    }
                }
            }
        } else if c == '(' && lx.peek(1) == Some('*') && lx.peek(2) != Some(')') {
            // Attribute instance: skipped.
            lx.bump();
            lx.bump();
            loop {
                match lx.peek(0) {
                    None => return Err(pos.error("unterminated attribute (* ... *)")),
                    Some('*') if lx.peek(1) == Some(')') => {
                        lx.bump();
                        lx.bump();
                        break;
                    }
                    Some(_) => {
                        lx.bump();
                    }
                }
            }
        } else if c == '`' {
            let mut name = String::new();
            lx.bump();
            while let Some(c) = lx
                .peek(0)
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                name.push(c);
                lx.bump();
            }
            if name != "timescale" {
                return Err(pos.error(format!(
                    "compiler directive `{name} is outside the supported subset (only `timescale is skipped)"
                )));
            }
            while let Some(c) = lx.peek(0) {
                if c == '\n' {
                    break;
                }
                lx.bump();
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut s = String::new();
            while let Some(c) = lx
                .peek(0)
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
            {
                s.push(c);
                lx.bump();
            }
            out.push(Token {
                tok: Tok::Ident(s),
                pos,
            });
        } else if c == '\\' {
            lx.bump();
            let mut s = String::new();
            while let Some(c) = lx.peek(0).filter(|c| !c.is_whitespace()) {
                s.push(c);
                lx.bump();
            }
            if s.is_empty() {
                return Err(pos.error("empty escaped identifier"));
            }
            out.push(Token {
                tok: Tok::Escaped(s),
                pos,
            });
        } else if c.is_ascii_digit() || c == '\'' {
            let lit = number(&mut lx, pos)?;
            out.push(Token {
                tok: Tok::Number(lit),
                pos,
            });
        } else {
            let rest: String = lx.chars[lx.i..(lx.i + 2).min(lx.chars.len())]
                .iter()
                .collect();
            let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) else {
                return Err(pos.error(format!("unexpected character {c:?}")));
            };
            for _ in 0..sym.len() {
                lx.bump();
            }
            out.push(Token {
                tok: Tok::Sym(sym),
                pos,
            });
        }
    }
    out.push(Token {
        tok: Tok::Eof,
        pos: lx.pos(),
    });
    Ok((out, lx.labels))
}

fn digits(lx: &mut Lexer, ok: impl Fn(char) -> bool) -> String {
    let mut s = String::new();
    while let Some(c) = lx.peek(0).filter(|&c| ok(c) || c == '_') {
        if c != '_' {
            s.push(c);
        }
        lx.bump();
    }
    s
}

/// `123`, `8'hFF`, `'b1`, `4'd9` (decimal up to 128 bits; x and z digits are rejected).
fn number(lx: &mut Lexer, pos: Pos) -> Result<Literal> {
    let size = if lx.peek(0) == Some('\'') {
        None
    } else {
        Some(digits(lx, |c| c.is_ascii_digit()))
    };
    // Whitespace may separate the size from the base.
    let save = (lx.i, lx.line, lx.col);
    while lx.peek(0).is_some_and(|c| c == ' ' || c == '\t') {
        lx.bump();
    }
    if lx.peek(0) != Some('\'') {
        (lx.i, lx.line, lx.col) = save;
        let s = size.unwrap_or_default();
        let v: u128 = s
            .parse()
            .map_err(|_| pos.error(format!("decimal constant {s} does not fit 128 bits")))?;
        let mut bits: Vec<bool> = (0..128).map(|i| (v >> i) & 1 == 1).collect();
        let len = (128 - v.leading_zeros() as usize).max(32);
        bits.truncate(len);
        return Ok(Literal { bits, sized: false });
    }
    lx.bump();
    if matches!(lx.peek(0), Some('s' | 'S')) {
        return Err(pos.error("signed constants are outside the supported subset"));
    }
    let base = lx.bump().map(|c| c.to_ascii_lowercase());
    while lx.peek(0).is_some_and(|c| c == ' ' || c == '\t') {
        lx.bump();
    }
    let (radix_bits, s) = match base {
        Some('b') => (1, digits(lx, |c| c.is_ascii_alphanumeric() || c == '?')),
        Some('o') => (3, digits(lx, |c| c.is_ascii_alphanumeric() || c == '?')),
        Some('h') => (4, digits(lx, |c| c.is_ascii_alphanumeric() || c == '?')),
        Some('d') => (0, digits(lx, |c| c.is_ascii_alphanumeric() || c == '?')),
        _ => return Err(pos.error("a based constant needs a base b, o, d or h")),
    };
    if s.is_empty() {
        return Err(pos.error("a based constant needs digits"));
    }
    let width = match &size {
        Some(w) => {
            let w: usize = w.parse().unwrap_or(usize::MAX);
            if w == 0 || w > MAX_BITS {
                return Err(pos.error(format!("constant width must be 1..={MAX_BITS}")));
            }
            Some(w)
        }
        None => None,
    };
    let mut bits = Vec::new();
    if radix_bits == 0 {
        let v: u128 = s.parse().map_err(|_| {
            pos.error(format!(
                "decimal digits {s:?} are not a number below 2^128 (x and z are outside the subset)"
            ))
        })?;
        bits.extend((0..128).map(|i| (v >> i) & 1 == 1));
    } else {
        for c in s.chars().rev() {
            let d = c.to_digit(1 << radix_bits).ok_or_else(|| {
                pos.error(format!(
                    "digit {c:?} is not valid here (x and z values are outside the subset)"
                ))
            })?;
            bits.extend((0..radix_bits).map(|i| (d >> i) & 1 == 1));
            if bits.len() > MAX_BITS + 4 {
                return Err(pos.error(format!("constant wider than {MAX_BITS} bits")));
            }
        }
    }
    match width {
        Some(w) => {
            if bits[w.min(bits.len())..].iter().any(|&b| b) {
                // Verilog truncates with a warning; a netlist constant that does not fit is
                // a mistake worth reporting.
                return Err(pos.error(format!("constant does not fit its width {w}")));
            }
            bits.resize(w, false);
            Ok(Literal { bits, sized: true })
        }
        None => {
            bits.resize(bits.len().max(32), false);
            Ok(Literal { bits, sized: false })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_and_symbols() {
        let t = toks("8'hA5 ~^ 'b1 12 \\a.b ");
        match &t[0] {
            Tok::Number(l) => {
                assert!(l.sized);
                assert_eq!(l.bits, [true, false, true, false, false, true, false, true]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(t[1], Tok::Sym("~^"));
        assert_eq!(t[4], Tok::Escaped("a.b".into()));
        assert!(
            matches!(&t[3], Tok::Number(l) if !l.sized && l.bits[2] && l.bits[3] && l.bits.len() == 32)
        );
    }

    #[test]
    fn positions_are_line_and_column() {
        let t = lex("a\n  // c\n   b /* x\n */ c").unwrap();
        let p: Vec<(usize, usize)> = t.iter().map(|t| (t.pos.line, t.pos.column)).collect();
        assert_eq!(&p[..3], &[(1, 1), (3, 4), (4, 5)]);
        let e = lex("a\n 4'bx1").unwrap_err().to_string();
        assert!(e.starts_with("verilog line 2, column 2:"), "{e}");
    }

    #[test]
    fn label_comments_are_collected_without_changing_tokens() {
        let src = "a // label: trailing\n  // label:  x/y z \n\tb /* // label: no */\n// label:\n//label:w\n// labels: no\nc";
        let (t, labels) = lex_with_labels(src).unwrap();
        let p: Vec<(usize, usize)> = t.iter().map(|t| (t.pos.line, t.pos.column)).collect();
        assert_eq!(p, [(1, 1), (3, 2), (7, 1), (7, 2)]);
        let k: Vec<Tok> = t.into_iter().map(|t| t.tok).collect();
        assert_eq!(k, toks("a b c"));
        let l: Vec<(usize, usize, &str)> = labels
            .iter()
            .map(|(p, s)| (p.line, p.column, s.as_str()))
            .collect();
        assert_eq!(l, [(2, 3, "x/y z"), (4, 1, ""), (5, 1, "w")]);
    }
}
