//! Liberty boolean functions (`function : "(A & B) | !C"`): parse, evaluate, print.
//!
//! Operators as the Liberty reference defines them, loosest first: `|` `+` (or), `&` `*` and
//! juxtaposition (and), `^` (xor), prefix `!` and postfix `'` (not); `0`, `1`, pin names and
//! parentheses. Binary operators associate to the left, so the tree has the shape OpenSTA
//! builds, which matters for [`Func::duty_difference`].

/// A parsed function over pin indices.
#[derive(Clone, Debug, PartialEq)]
pub enum Func {
    /// A constant.
    Const(bool),
    /// A pin of the cell (index into its pin list) or of its flip-flop state (`IQ`).
    Pin(usize),
    /// `!x`
    Not(Box<Func>),
    /// `x & y`
    And(Box<Func>, Box<Func>),
    /// `x | y`
    Or(Box<Func>, Box<Func>),
    /// `x ^ y`
    Xor(Box<Func>, Box<Func>),
}

impl Func {
    /// Parses `text`, naming pins through `pin` (`None`: unknown name). The error is a short
    /// reason (the caller adds file and line).
    pub(crate) fn parse(
        text: &str,
        pin: &mut dyn FnMut(&str) -> Option<usize>,
    ) -> std::result::Result<Func, String> {
        let toks = tokens(text)?;
        let mut p = FParser {
            toks: &toks,
            pos: 0,
            pin,
            depth: 0,
        };
        let f = p.or()?;
        if p.pos != toks.len() {
            return Err(format!("unexpected `{}` in function {text:?}", toks[p.pos]));
        }
        Ok(f)
    }

    /// The value under pin values `x` (bit `i` is pin `i`).
    #[must_use]
    pub fn eval(&self, x: u64) -> bool {
        match self {
            Func::Const(v) => *v,
            Func::Pin(i) => (x >> i) & 1 == 1,
            Func::Not(a) => !a.eval(x),
            Func::And(a, b) => a.eval(x) && b.eval(x),
            Func::Or(a, b) => a.eval(x) || b.eval(x),
            Func::Xor(a, b) => a.eval(x) ^ b.eval(x),
        }
    }

    /// Whether pin `i` appears.
    #[must_use]
    pub fn has_pin(&self, i: usize) -> bool {
        match self {
            Func::Const(_) => false,
            Func::Pin(p) => *p == i,
            Func::Not(a) => a.has_pin(i),
            Func::And(a, b) | Func::Or(a, b) | Func::Xor(a, b) => a.has_pin(i) || b.has_pin(i),
        }
    }

    /// Verilog expression text with pin `i` printed as `names[i]`.
    pub(crate) fn to_verilog(&self, names: &[String]) -> String {
        match self {
            Func::Const(v) => if *v { "1'b1" } else { "1'b0" }.into(),
            Func::Pin(i) => names[*i].clone(),
            Func::Not(a) => format!("~({})", a.to_verilog(names)),
            Func::And(a, b) => format!("({} & {})", a.to_verilog(names), b.to_verilog(names)),
            Func::Or(a, b) => format!("({} | {})", a.to_verilog(names), b.to_verilog(names)),
            Func::Xor(a, b) => format!("({} ^ {})", a.to_verilog(names), b.to_verilog(names)),
        }
    }

    /// Probability of being 1 with every pin independently 1 with probability `p`, and pin
    /// `fixed` (if any) held at the given value, combined operator by operator as if the
    /// operands were independent (OpenSTA's `evalActivity`).
    fn duty(&self, p: f64, fixed: Option<(usize, bool)>) -> f64 {
        match self {
            Func::Const(v) => f64::from(u8::from(*v)),
            Func::Pin(i) => match fixed {
                Some((f, v)) if f == *i => f64::from(u8::from(v)),
                _ => p,
            },
            Func::Not(a) => 1.0 - a.duty(p, fixed),
            Func::And(a, b) => a.duty(p, fixed) * b.duty(p, fixed),
            Func::Or(a, b) => 1.0 - (1.0 - a.duty(p, fixed)) * (1.0 - b.duty(p, fixed)),
            Func::Xor(a, b) => {
                let (x, y) = (a.duty(p, fixed), b.duty(p, fixed));
                x * (1.0 - y) + y * (1.0 - x)
            }
        }
    }

    /// Probability of being 1 with every pin independently 1 with probability `p`, combined
    /// operator by operator as independent (OpenSTA's duty of a `when` condition).
    #[must_use]
    pub fn probability(&self, p: f64) -> f64 {
        self.duty(p, None)
    }

    /// Probability that the function's two cofactors on pin `i` differ (so a change of pin `i`
    /// reaches the output), every other pin 1 with probability `p`, the cofactors combined as
    /// independent: OpenSTA's weight of an internal-power arc from pin `i`.
    #[must_use]
    pub fn duty_difference(&self, i: usize, p: f64) -> f64 {
        let pos = self.duty(p, Some((i, true)));
        let neg = self.duty(p, Some((i, false)));
        pos * (1.0 - neg) + neg * (1.0 - pos)
    }
}

fn tokens(text: &str) -> std::result::Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            // juxtaposition is AND: a space between two operands
            out.push(" ".into());
        } else if "!'&*|+^()".contains(c) {
            chars.next();
            out.push(c.to_string());
        } else if c.is_ascii_alphanumeric() || c == '_' || c == '[' || c == ']' || c == '.' {
            let mut w = String::new();
            while let Some(&d) = chars.peek() {
                if d.is_ascii_alphanumeric() || "_[].".contains(d) {
                    w.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(w);
        } else {
            return Err(format!("unsupported character {c:?} in function {text:?}"));
        }
    }
    // Keep a space only between an operand end and an operand start (implicit AND).
    let is_end = |t: &str| t == ")" || t == "'" || is_operand(t);
    let is_start = |t: &str| t == "(" || t == "!" || is_operand(t);
    let mut toks: Vec<String> = Vec::new();
    for (k, t) in out.iter().enumerate() {
        if t == " " {
            let prev = toks.last().map(String::as_str);
            let next = out[k + 1..].iter().find(|t| *t != " ").map(String::as_str);
            if prev.is_some_and(is_end) && next.is_some_and(is_start) {
                toks.push("*".into());
            }
        } else {
            if toks.last().is_some_and(|p| is_end(p)) && is_start(t) {
                // `A(B)` or `A'B`: juxtaposition without a space
                toks.push("*".into());
            }
            toks.push(t.clone());
        }
    }
    Ok(toks)
}

fn is_operand(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

struct FParser<'t, 'p> {
    toks: &'t [String],
    pos: usize,
    pin: &'p mut dyn FnMut(&str) -> Option<usize>,
    depth: usize,
}

impl FParser<'_, '_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(String::as_str)
    }

    fn or(&mut self) -> std::result::Result<Func, String> {
        let mut f = self.and()?;
        while matches!(self.peek(), Some("|" | "+")) {
            self.pos += 1;
            f = Func::Or(Box::new(f), Box::new(self.and()?));
        }
        Ok(f)
    }

    fn and(&mut self) -> std::result::Result<Func, String> {
        let mut f = self.xor()?;
        while matches!(self.peek(), Some("&" | "*")) {
            self.pos += 1;
            f = Func::And(Box::new(f), Box::new(self.xor()?));
        }
        Ok(f)
    }

    fn xor(&mut self) -> std::result::Result<Func, String> {
        let mut f = self.unary()?;
        while self.peek() == Some("^") {
            self.pos += 1;
            f = Func::Xor(Box::new(f), Box::new(self.unary()?));
        }
        Ok(f)
    }

    fn unary(&mut self) -> std::result::Result<Func, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("function nested too deeply".into());
        }
        let mut f = match self.peek() {
            Some("!") => {
                self.pos += 1;
                Func::Not(Box::new(self.unary()?))
            }
            Some("(") => {
                self.pos += 1;
                let f = self.or()?;
                if self.peek() != Some(")") {
                    return Err("unbalanced parentheses in function".into());
                }
                self.pos += 1;
                f
            }
            Some("0") => {
                self.pos += 1;
                Func::Const(false)
            }
            Some("1") => {
                self.pos += 1;
                Func::Const(true)
            }
            Some(t) if is_operand(t) => {
                let t = t.to_string();
                self.pos += 1;
                Func::Pin((self.pin)(&t).ok_or_else(|| format!("unknown pin `{t}` in function"))?)
            }
            Some(t) => return Err(format!("unexpected `{t}` in function")),
            None => return Err("function ends early".into()),
        };
        while self.peek() == Some("'") {
            self.pos += 1;
            f = Func::Not(Box::new(f));
        }
        self.depth -= 1;
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> std::result::Result<Func, String> {
        let names = ["A", "B", "C", "S"];
        Func::parse(s, &mut |n| names.iter().position(|m| *m == n))
    }

    fn table(f: &Func, n: usize) -> Vec<bool> {
        (0..1u64 << n).map(|x| f.eval(x)).collect()
    }

    #[test]
    fn operators_and_precedence() {
        let maj = parse("((A & B) | (C & (A | B)))").unwrap();
        let t: Vec<bool> = (0..8u64).map(|x| x.count_ones() >= 2).collect();
        assert_eq!(table(&maj, 3), t);
        // juxtaposition and postfix not: A B' + C == (A & !B) | C
        let f = parse("A B' + C").unwrap();
        let g = parse("(A & !B) | C").unwrap();
        assert_eq!(table(&f, 3), table(&g, 3));
        // ^ binds tighter than &
        let f = parse("A & B ^ C").unwrap();
        let g = parse("A & (B ^ C)").unwrap();
        assert_eq!(table(&f, 3), table(&g, 3));
        let mux = parse("((S & B) | (A & !S))").unwrap();
        assert!(mux.eval(0b1010) && !mux.eval(0b1001) && mux.eval(0b0001));
        assert!(parse("A & Q").unwrap_err().contains("unknown pin `Q`"));
        assert!(parse("(A & B").unwrap_err().contains("unbalanced"));
        assert!(parse("A & ").is_err());
        assert!(
            parse("A $ B")
                .unwrap_err()
                .contains("unsupported character")
        );
    }

    #[test]
    fn difference_duty_matches_hand_computation() {
        // and: A matters when B = 1 (cofactors B and 0)
        assert_eq!(parse("A & B").unwrap().duty_difference(0, 0.5), 0.5);
        // xor: the cofactors !B and B are combined as if independent (OpenSTA's
        // approximation), 0.5, where the exact probability is 1
        assert_eq!(parse("A ^ B").unwrap().duty_difference(0, 0.5), 0.5);
        // the independence rule does not see that an absent pin never matters: callers check
        // has_pin first, as OpenSTA does
        assert_eq!(parse("B").unwrap().duty_difference(0, 0.5), 0.5);
        assert!(!parse("B").unwrap().has_pin(0));
        assert_eq!(parse("A & B | C").unwrap().probability(0.5), 0.625);
    }
}
