//! The recursive-descent parser of the structural subset. Everything else is an error at
//! the offending token.

use super::ast::{Conns, Decl, DeclKind, Expr, Item, Module};
use super::lex::{Literal, Pos, Tok, Token};
use crate::Result;
use crate::gates::hdl::names::is_keyword;

/// Deepest expression nesting accepted (so that no input can exhaust the stack).
const MAX_DEPTH: usize = crate::limits::VERILOG_MAX_EXPRESSION_DEPTH;
/// Most operands in one expression (chains are flat, so length costs no stack, but bounds
/// the work and memory of one statement).
const MAX_OPERANDS: usize = crate::limits::VERILOG_MAX_EXPRESSION_OPERANDS;

/// Gate primitives with one output first and any number of inputs.
const GATES: &[&str] = &["and", "or", "nand", "nor", "xor", "xnor"];
/// Gate primitives with outputs first and one input last.
const BUFFERS: &[&str] = &["not", "buf"];

pub(crate) struct Parser {
    toks: Vec<Token>,
    i: usize,
    depth: usize,
    /// Operands (primaries) of the current top-level expression.
    operands: usize,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Escaped(s) => format!("`\\{s} `"),
        Tok::Number(_) => "a number".into(),
        Tok::Sym(s) => format!("'{s}'"),
        Tok::Eof => "the end of the text".into(),
    }
}

impl Parser {
    pub fn new(toks: Vec<Token>) -> Self {
        Parser {
            toks,
            i: 0,
            depth: 0,
            operands: 0,
        }
    }

    fn peek(&self) -> &Token {
        &self.toks[self.i.min(self.toks.len() - 1)]
    }

    fn pos(&self) -> Pos {
        self.peek().pos
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(&self.peek().tok, Tok::Sym(x) if *x == s)
    }

    fn is_kw(&self, s: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(x) if x == s)
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        if self.is_sym(s) {
            self.next();
            true
        } else {
            false
        }
    }

    fn expect_sym(&mut self, s: &str) -> Result<Pos> {
        let t = self.next();
        match t.tok {
            Tok::Sym(x) if x == s => Ok(t.pos),
            other => Err(t
                .pos
                .error(format!("expected '{s}', found {}", describe(&other)))),
        }
    }

    fn ident(&mut self, what: &str) -> Result<(String, Pos)> {
        let t = self.next();
        match t.tok {
            Tok::Ident(s) if is_keyword(&s) => Err(t.pos.error(format!(
                "`{s}` is a reserved word and cannot be {what} (escape it: `\\{s} `)"
            ))),
            Tok::Ident(s) | Tok::Escaped(s) => Ok((s, t.pos)),
            other => Err(t
                .pos
                .error(format!("expected {what}, found {}", describe(&other)))),
        }
    }

    fn integer(&mut self) -> Result<i64> {
        let t = self.next();
        match t.tok {
            Tok::Number(l) => {
                literal_value(&l).ok_or_else(|| t.pos.error("index does not fit a 31-bit integer"))
            }
            other => Err(t.pos.error(format!(
                "expected a constant index, found {} (only numeric indices are in the subset)",
                describe(&other)
            ))),
        }
    }

    /// All modules of the text.
    pub fn modules(&mut self) -> Result<Vec<Module>> {
        let mut out = Vec::new();
        loop {
            match &self.peek().tok {
                Tok::Eof => break,
                Tok::Ident(s) if s == "module" => out.push(self.module()?),
                other => {
                    return Err(self
                        .pos()
                        .error(format!("expected `module`, found {}", describe(other))));
                }
            }
        }
        if out.is_empty() {
            return Err(self.pos().error("no module in the text"));
        }
        Ok(out)
    }

    fn range(&mut self) -> Result<(i64, i64)> {
        if self.eat_sym("[") {
            let msb = self.integer()?;
            self.expect_sym(":")?;
            let lsb = self.integer()?;
            self.expect_sym("]")?;
            Ok((msb, lsb))
        } else {
            Ok((0, 0))
        }
    }

    fn module(&mut self) -> Result<Module> {
        self.next(); // module
        let (name, pos) = self.ident("a module name")?;
        if self.is_sym("#") {
            return Err(self
                .pos()
                .error("module parameters are outside the supported subset"));
        }
        let mut m = Module {
            name,
            pos,
            ports: Vec::new(),
            decls: Vec::new(),
            items: Vec::new(),
        };
        if self.eat_sym("(") && !self.eat_sym(")") {
            // ANSI (`input [3:0] a, b, output y`) or a plain list of names.
            let mut ansi: Option<(DeclKind, bool, i64, i64)> = None;
            loop {
                if let Some(kind) = self.direction() {
                    self.next();
                    let is_reg = self.net_type()?;
                    let (msb, lsb) = self.range()?;
                    ansi = Some((kind, is_reg, msb, lsb));
                }
                let (n, p) = self.ident("a port name")?;
                if let Some((kind, is_reg, msb, lsb)) = ansi {
                    m.decls.push(Decl {
                        kind,
                        is_reg,
                        name: n.clone(),
                        msb,
                        lsb,
                        pos: p,
                        init: None,
                    });
                }
                m.ports.push((n, p));
                if self.eat_sym(")") {
                    break;
                }
                self.expect_sym(",")?;
            }
        }
        self.expect_sym(";")?;
        loop {
            let t = self.peek().clone();
            if let Tok::Escaped(_) = &t.tok {
                self.instance(&mut m)?;
                continue;
            }
            let Tok::Ident(kw) = &t.tok else {
                return Err(t.pos.error(format!(
                    "expected a declaration, assign, gate, instance or `endmodule`, found {}",
                    describe(&t.tok)
                )));
            };
            match kw.as_str() {
                "endmodule" => {
                    self.next();
                    return Ok(m);
                }
                "input" | "output" | "wire" | "reg" => self.declaration(&mut m)?,
                "assign" => {
                    self.next();
                    loop {
                        let pos = self.pos();
                        let lhs = self.expr()?;
                        self.expect_sym("=")?;
                        let rhs = self.expr()?;
                        m.items.push(Item::Assign { lhs, rhs, pos });
                        if !self.eat_sym(",") {
                            break;
                        }
                    }
                    self.expect_sym(";")?;
                }
                "always" => self.always(&mut m)?,
                k if GATES.contains(&k) || BUFFERS.contains(&k) => self.gate(&mut m)?,
                "module" => {
                    return Err(t.pos.error(format!(
                        "module {} is missing `endmodule` before this",
                        m.name
                    )));
                }
                k if is_keyword(k) || k == "inout" => {
                    return Err(t
                        .pos
                        .error(format!("`{k}` is outside the supported structural subset")));
                }
                _ => self.instance(&mut m)?,
            }
        }
    }

    fn direction(&self) -> Option<DeclKind> {
        match &self.peek().tok {
            Tok::Ident(s) if s == "input" => Some(DeclKind::Input),
            Tok::Ident(s) if s == "output" => Some(DeclKind::Output),
            Tok::Ident(s) if s == "inout" => Some(DeclKind::Wire),
            _ => None,
        }
    }

    /// An optional `wire` or `reg` after a direction; `signed` is refused.
    fn net_type(&mut self) -> Result<bool> {
        let mut is_reg = false;
        if self.is_kw("wire") {
            self.next();
        } else if self.is_kw("reg") {
            self.next();
            is_reg = true;
        }
        if self.is_kw("signed") {
            return Err(self
                .pos()
                .error("signed declarations are outside the supported subset"));
        }
        Ok(is_reg)
    }

    fn declaration(&mut self, m: &mut Module) -> Result<()> {
        let t = self.next();
        let Tok::Ident(kw) = &t.tok else {
            unreachable!("declaration starts with a keyword")
        };
        let (kind, is_reg) = match kw.as_str() {
            "input" => (DeclKind::Input, self.net_type()?),
            "output" => (DeclKind::Output, self.net_type()?),
            "reg" => (DeclKind::Reg, true),
            _ => (DeclKind::Wire, false),
        };
        if kind == DeclKind::Input && is_reg {
            return Err(t.pos.error("an input cannot be a reg"));
        }
        if self.is_kw("signed") {
            return Err(self
                .pos()
                .error("signed declarations are outside the supported subset"));
        }
        let (msb, lsb) = self.range()?;
        loop {
            let (name, pos) = self.ident("a signal name")?;
            let init = if self.eat_sym("=") {
                if matches!(kind, DeclKind::Input | DeclKind::Output) {
                    return Err(self
                        .pos()
                        .error("ports cannot have initializers in the subset"));
                }
                Some(self.expr()?)
            } else {
                None
            };
            if self.is_sym("[") {
                return Err(self
                    .pos()
                    .error("arrays (memories) are outside the supported subset"));
            }
            m.decls.push(Decl {
                kind,
                is_reg,
                name,
                msb,
                lsb,
                pos,
                init,
            });
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym(";")?;
        Ok(())
    }

    fn always(&mut self, m: &mut Module) -> Result<()> {
        self.next();
        self.expect_sym("@")?;
        self.expect_sym("(")?;
        if !self.is_kw("posedge") {
            return Err(self
                .pos()
                .error("only `always @(posedge clock)` blocks (D flip-flops) are in the subset"));
        }
        self.next();
        let (clock, clock_pos) = self.ident("a clock name")?;
        if !self.is_sym(")") {
            return Err(self
                .pos()
                .error("only a single `posedge clock` event is in the subset"));
        }
        self.next();
        let block = self.is_kw("begin");
        if block {
            self.next();
        }
        let mut assigns = Vec::new();
        loop {
            if block && self.is_kw("end") {
                self.next();
                break;
            }
            let pos = self.pos();
            if matches!(&self.peek().tok, Tok::Ident(k) if is_keyword(k)) {
                return Err(pos
                    .error("only assignments `q <= d;` are in the subset inside an always block"));
            }
            let lhs = self.primary()?;
            if self.is_sym("=") {
                return Err(self.pos().error(
                    "blocking `=` in a clocked always block is outside the subset (use `<=`)",
                ));
            }
            self.expect_sym("<=")?;
            let rhs = self.expr()?;
            self.expect_sym(";")?;
            assigns.push((lhs, rhs, pos));
            if !block {
                break;
            }
        }
        m.items.push(Item::Always {
            clock,
            clock_pos,
            assigns,
        });
        Ok(())
    }

    fn delay(&mut self) -> Result<()> {
        if self.is_sym("#") {
            return Err(self.pos().error("delays are outside the supported subset"));
        }
        Ok(())
    }

    fn gate(&mut self, m: &mut Module) -> Result<()> {
        let t = self.next();
        let Tok::Ident(kw) = &t.tok else {
            unreachable!("gate starts with a keyword")
        };
        let kind = GATES
            .iter()
            .chain(BUFFERS)
            .copied()
            .find(|g| g == kw)
            .unwrap_or("buf");
        self.delay()?;
        loop {
            let pos = self.pos();
            if let Tok::Ident(_) | Tok::Escaped(_) = self.peek().tok {
                self.ident("a gate instance name")?;
                if self.is_sym("[") {
                    return Err(self
                        .pos()
                        .error("arrays of instances are outside the supported subset"));
                }
            }
            self.expect_sym("(")?;
            let mut terms = vec![self.expr()?];
            while self.eat_sym(",") {
                terms.push(self.expr()?);
            }
            self.expect_sym(")")?;
            if terms.len() < 2 {
                return Err(pos.error(format!("gate `{kind}` needs at least two terminals")));
            }
            m.items.push(Item::Gate { kind, terms, pos });
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym(";")?;
        Ok(())
    }

    fn instance(&mut self, m: &mut Module) -> Result<()> {
        let (module, pos) = self.ident("a module name")?;
        if self.is_sym("#") {
            return Err(self
                .pos()
                .error("parameter overrides and delays are outside the supported subset"));
        }
        loop {
            let (name, _) = self.ident("an instance name")?;
            if self.is_sym("[") {
                return Err(self
                    .pos()
                    .error("arrays of instances are outside the supported subset"));
            }
            self.expect_sym("(")?;
            let conns = if self.is_sym(".") {
                let mut v = Vec::new();
                loop {
                    self.expect_sym(".")?;
                    let (pin, p) = self.ident("a port name")?;
                    self.expect_sym("(")?;
                    let e = if self.is_sym(")") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    self.expect_sym(")")?;
                    v.push((pin, e, p));
                    if !self.eat_sym(",") {
                        break;
                    }
                }
                Conns::Named(v)
            } else {
                let mut v = Vec::new();
                if !self.is_sym(")") {
                    loop {
                        if self.is_sym(",") || self.is_sym(")") {
                            v.push(None);
                        } else {
                            v.push(Some(self.expr()?));
                        }
                        if !self.eat_sym(",") {
                            break;
                        }
                    }
                }
                Conns::Positional(v)
            };
            self.expect_sym(")")?;
            m.items.push(Item::Instance {
                module: module.clone(),
                name,
                conns,
                pos,
            });
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym(";")?;
        Ok(())
    }

    // --- expressions ---------------------------------------------------------------------

    pub fn expr(&mut self) -> Result<Expr> {
        if self.depth == 0 {
            self.operands = 0;
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self
                .pos()
                .error(format!("expression nested deeper than {MAX_DEPTH} levels")));
        }
        let r = self.conditional();
        self.depth -= 1;
        r
    }

    fn conditional(&mut self) -> Result<Expr> {
        let c = self.binary(0)?;
        if self.is_sym("?") {
            let pos = self.next().pos;
            let t = self.expr()?;
            self.expect_sym(":")?;
            let f = self.expr()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(t), Box::new(f), pos));
        }
        Ok(c)
    }

    /// Binary operators by Verilog precedence, loosest first.
    fn binary(&mut self, level: usize) -> Result<Expr> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|", "~|"],
            &["^", "~^", "^~"],
            &["&", "~&"],
            &["+", "-"],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let first = self.binary(level + 1)?;
        let mut rest = Vec::new();
        loop {
            let t = self.peek().clone();
            let Tok::Sym(s) = t.tok else { break };
            if ["*", "/", "%", "<", ">", "<=", ">=", "==", "!=", "<<", ">>"].contains(&s)
                && level == 0
            {
                return Err(t.pos.error(format!(
                    "operator '{s}' is outside the structural subset (only ~ & | ^ ~^ + - ?: and logical ! && ||)"
                )));
            }
            if !LEVELS[level].contains(&s) {
                break;
            }
            if s == "~&" || s == "~|" {
                return Err(t.pos.error(format!("'{s}' is a unary operator")));
            }
            self.next();
            let rhs = self.binary(level + 1)?;
            let op = if s == "^~" { "~^" } else { s };
            rest.push((op, rhs, t.pos));
        }
        if rest.is_empty() {
            return Ok(first);
        }
        let pos = rest[0].2;
        Ok(Expr::Chain(Box::new(first), rest, pos))
    }

    fn unary(&mut self) -> Result<Expr> {
        let t = self.peek().clone();
        if let Tok::Sym(s) = t.tok {
            if ["~", "!", "&", "|", "^", "~&", "~|", "~^", "^~"].contains(&s) {
                self.next();
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(t
                        .pos
                        .error(format!("expression nested deeper than {MAX_DEPTH} levels")));
                }
                let e = self.unary();
                self.depth -= 1;
                let op = if s == "^~" { "~^" } else { s };
                return Ok(Expr::Unary(op, Box::new(e?), t.pos));
            }
            if s == "-" || s == "+" {
                // Unary plus and minus (binary + and - are adders, parsed above).
                return Err(t.pos.error(format!(
                    "operator '{s}' is outside the structural subset (only ~ & | ^ ~^ + - ?: and logical ! && ||)"
                )));
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr> {
        let t = self.next();
        self.operands += 1;
        if self.operands > MAX_OPERANDS {
            return Err(t.pos.error(format!(
                "expression has more than {MAX_OPERANDS} operands (limits::VERILOG_MAX_EXPRESSION_OPERANDS)"
            )));
        }
        match t.tok {
            Tok::Number(l) => Ok(Expr::Const(l, t.pos)),
            Tok::Ident(name) if is_keyword(&name) => Err(t.pos.error(format!(
                "expected an expression, found the reserved word `{name}`"
            ))),
            Tok::Ident(name) | Tok::Escaped(name) => {
                if self.is_sym("(") {
                    return Err(t
                        .pos
                        .error("function calls are outside the supported subset"));
                }
                if self.eat_sym("[") {
                    let hi = self.integer()?;
                    if self.eat_sym(":") {
                        let lo = self.integer()?;
                        self.expect_sym("]")?;
                        return Ok(Expr::Part(name, hi, lo, t.pos));
                    }
                    if self.is_sym("+") || self.is_sym("-") {
                        return Err(self
                            .pos()
                            .error("indexed part-selects are outside the supported subset"));
                    }
                    self.expect_sym("]")?;
                    return Ok(Expr::Bit(name, hi, t.pos));
                }
                Ok(Expr::Ident(name, t.pos))
            }
            Tok::Sym("(") => {
                let e = self.expr()?;
                self.expect_sym(")")?;
                Ok(e)
            }
            Tok::Sym("{") => {
                let first = self.expr()?;
                if self.is_sym("{") {
                    // Replication {n{e}}: n must be a constant.
                    let Expr::Const(l, p) = &first else {
                        return Err(first.pos().error("a replication count must be a constant"));
                    };
                    let n = literal_value(l)
                        .filter(|&n| n > 0 && n <= super::lex::MAX_BITS as i64)
                        .ok_or_else(|| p.error("replication count out of range"))?;
                    self.next();
                    let mut parts = vec![self.expr()?];
                    while self.eat_sym(",") {
                        parts.push(self.expr()?);
                    }
                    self.expect_sym("}")?;
                    self.expect_sym("}")?;
                    let inner = Expr::Concat(parts, t.pos);
                    return Ok(Expr::Repeat(n as usize, Box::new(inner), t.pos));
                }
                let mut parts = vec![first];
                while self.eat_sym(",") {
                    parts.push(self.expr()?);
                }
                self.expect_sym("}")?;
                Ok(Expr::Concat(parts, t.pos))
            }
            other => Err(t.pos.error(format!(
                "expected an expression, found {}",
                describe(&other)
            ))),
        }
    }
}

/// The value of a constant as an index (`None` above 2^31).
fn literal_value(l: &Literal) -> Option<i64> {
    if l.bits.iter().skip(31).any(|&b| b) {
        return None;
    }
    Some(
        l.bits
            .iter()
            .take(31)
            .enumerate()
            .map(|(i, &b)| i64::from(b) << i)
            .sum(),
    )
}
