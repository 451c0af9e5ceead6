//! The syntax tree of the structural subset.

use super::lex::{Literal, Pos};

/// An expression.
#[derive(Clone, Debug)]
pub(crate) enum Expr {
    /// A whole signal.
    Ident(String, Pos),
    /// `name[i]`.
    Bit(String, i64, Pos),
    /// `name[msb:lsb]`.
    Part(String, i64, i64, Pos),
    Const(Literal, Pos),
    Concat(Vec<Expr>, Pos),
    /// `{n{e}}`.
    Repeat(usize, Box<Expr>, Pos),
    Unary(&'static str, Box<Expr>, Pos),
    /// A left-associative chain of binary operators of one precedence level:
    /// `first op1 e1 op2 e2 ...` is `((first op1 e1) op2 e2) ...`. Kept flat (not as a
    /// left-deep tree) so that a chain of any length costs no recursion depth.
    Chain(Box<Expr>, Vec<(&'static str, Expr, Pos)>, Pos),
    /// `c ? t : f`.
    Cond(Box<Expr>, Box<Expr>, Box<Expr>, Pos),
}

impl Expr {
    pub fn pos(&self) -> Pos {
        match self {
            Expr::Ident(_, p)
            | Expr::Bit(_, _, p)
            | Expr::Part(_, _, _, p)
            | Expr::Const(_, p)
            | Expr::Concat(_, p)
            | Expr::Repeat(_, _, p)
            | Expr::Unary(_, _, p)
            | Expr::Chain(_, _, p)
            | Expr::Cond(_, _, _, p) => *p,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DeclKind {
    Input,
    Output,
    Wire,
    Reg,
}

/// A declared signal: `input [7:0] a`, `wire n1`, `reg q = 1'b0`.
#[derive(Clone, Debug)]
pub(crate) struct Decl {
    pub kind: DeclKind,
    /// Also declared `reg` (an `output reg`).
    pub is_reg: bool,
    pub name: String,
    pub msb: i64,
    pub lsb: i64,
    pub pos: Pos,
    pub init: Option<Expr>,
}

/// An instance connection list.
#[derive(Clone, Debug)]
pub(crate) enum Conns {
    Named(Vec<(String, Option<Expr>, Pos)>),
    Positional(Vec<Option<Expr>>),
}

#[derive(Clone, Debug)]
pub(crate) enum Item {
    Assign {
        lhs: Expr,
        rhs: Expr,
        pos: Pos,
    },
    /// A gate primitive: `and g1 (y, a, b)`; terminals in order.
    Gate {
        kind: &'static str,
        terms: Vec<Expr>,
        pos: Pos,
    },
    Instance {
        module: String,
        name: String,
        conns: Conns,
        pos: Pos,
    },
    /// `always @(posedge clock) ...` with its (non-)blocking assignments.
    Always {
        clock: String,
        clock_pos: Pos,
        assigns: Vec<(Expr, Expr, Pos)>,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Module {
    pub name: String,
    pub pos: Pos,
    /// Port names in header order.
    pub ports: Vec<(String, Pos)>,
    pub decls: Vec<Decl>,
    pub items: Vec<Item>,
}
