//! Names shared by the writers: Verilog identifiers, internal wire names, the clock port.

use crate::gates::Netlist;
use crate::{Error, Result};

/// The reserved keywords of Verilog (IEEE 1364-2005, Annex B), sorted: none of them can be a
/// plain identifier, so a name that spells one is written escaped (`\\wand `) and read back as
/// a name only when escaped.
const KEYWORDS: &[&str] = &[
    "always",
    "and",
    "assign",
    "automatic",
    "begin",
    "buf",
    "bufif0",
    "bufif1",
    "case",
    "casex",
    "casez",
    "cell",
    "cmos",
    "config",
    "deassign",
    "default",
    "defparam",
    "design",
    "disable",
    "edge",
    "else",
    "end",
    "endcase",
    "endconfig",
    "endfunction",
    "endgenerate",
    "endmodule",
    "endprimitive",
    "endspecify",
    "endtable",
    "endtask",
    "event",
    "for",
    "force",
    "forever",
    "fork",
    "function",
    "generate",
    "genvar",
    "highz0",
    "highz1",
    "if",
    "ifnone",
    "incdir",
    "include",
    "initial",
    "inout",
    "input",
    "instance",
    "integer",
    "join",
    "large",
    "liblist",
    "library",
    "localparam",
    "macromodule",
    "medium",
    "module",
    "nand",
    "negedge",
    "nmos",
    "nor",
    "noshowcancelled",
    "not",
    "notif0",
    "notif1",
    "or",
    "output",
    "parameter",
    "pmos",
    "posedge",
    "primitive",
    "pull0",
    "pull1",
    "pulldown",
    "pullup",
    "pulsestyle_ondetect",
    "pulsestyle_onevent",
    "rcmos",
    "real",
    "realtime",
    "reg",
    "release",
    "repeat",
    "rnmos",
    "rpmos",
    "rtran",
    "rtranif0",
    "rtranif1",
    "scalared",
    "showcancelled",
    "signed",
    "small",
    "specify",
    "specparam",
    "strong0",
    "strong1",
    "supply0",
    "supply1",
    "table",
    "task",
    "time",
    "tran",
    "tranif0",
    "tranif1",
    "tri",
    "tri0",
    "tri1",
    "triand",
    "trior",
    "trireg",
    "unsigned",
    "use",
    "uwire",
    "vectored",
    "wait",
    "wand",
    "weak0",
    "weak1",
    "while",
    "wire",
    "wor",
    "xnor",
    "xor",
];

/// Whether `s` is a plain (unescaped) Verilog identifier and not a keyword.
pub(crate) fn is_plain_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !is_keyword(s)
}

pub(crate) fn is_keyword(s: &str) -> bool {
    KEYWORDS.binary_search(&s).is_ok()
}

/// `name` as a Verilog identifier: plain when it can be, otherwise escaped (`\a.b ` with the
/// terminating space).
pub(crate) fn verilog_identifier(what: &'static str, name: &str) -> Result<String> {
    if is_plain_identifier(name) {
        return Ok(name.to_string());
    }
    if name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || !c.is_ascii_graphic())
    {
        return Err(Error::param(
            what,
            format!("{name:?}"),
            "a Verilog name must be non-empty printable ASCII without whitespace",
        ));
    }
    Ok(format!("\\{name} "))
}

/// `name` checked as a BLIF signal name (no whitespace, no comment or continuation marks).
pub(crate) fn blif_name(what: &'static str, name: &str) -> Result<String> {
    if name.is_empty()
        || name.starts_with('.')
        || name
            .chars()
            .any(|c| c.is_whitespace() || !c.is_ascii_graphic() || c == '#' || c == '\\')
    {
        return Err(Error::param(
            what,
            format!("{name:?}"),
            "a BLIF name must be printable ASCII without whitespace, '#' or '\\' and not start with '.'",
        ));
    }
    Ok(name.to_string())
}

/// Whether `s` is `prefix` followed by decimal digits only.
fn is_prefix_number(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// Names the writers give to internal wires and the clock, chosen so that they cannot
/// collide with a port name: wire `i` is `{prefix}{i}`, with `prefix` "n" lengthened by `_`
/// until no port is `{prefix}<digits>`; the clock is "clk" lengthened the same way.
#[derive(Clone, Debug)]
pub(crate) struct InternalNames {
    pub prefix: String,
    pub clock: String,
}

impl InternalNames {
    pub fn new(net: &Netlist) -> Self {
        let ports: Vec<&str> = net
            .inputs()
            .iter()
            .chain(net.outputs())
            .map(|p| p.name())
            .collect();
        let mut prefix = String::from("n");
        while ports.iter().any(|p| is_prefix_number(p, &prefix)) {
            prefix.push('_');
        }
        let mut clock = String::from("clk");
        while ports.contains(&clock.as_str()) || is_prefix_number(&clock, &prefix) {
            clock.push('_');
        }
        InternalNames { prefix, clock }
    }
}

/// For each wire that is a primary input: (input port index, bit index).
pub(crate) fn input_bits(net: &Netlist) -> Vec<Option<(usize, usize)>> {
    let mut map = vec![None; net.wire_count()];
    for (p, port) in net.inputs().iter().enumerate() {
        for (i, w) in port.wires().iter().enumerate() {
            map[w.index()] = Some((p, i));
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_plain_or_escaped() {
        assert!(is_plain_identifier("sum_1$x"));
        assert!(!is_plain_identifier("1a"));
        assert!(!is_plain_identifier("wire"));
        assert_eq!(
            KEYWORDS.len(),
            124,
            "1364-1995 had 102, 1364-2001 added 21, 1364-2005 added uwire"
        );
        assert!(
            KEYWORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted for binary_search"
        );
        for k in [
            "wand", "time", "real", "event", "table", "edge", "uwire", "cell",
        ] {
            assert_eq!(verilog_identifier("port", k).unwrap(), format!("\\{k} "));
        }
        assert_eq!(verilog_identifier("port", "a.b").unwrap(), "\\a.b ");
        assert_eq!(verilog_identifier("port", "module").unwrap(), "\\module ");
        assert!(verilog_identifier("port", "a b").is_err());
        assert!(blif_name("port", "a#b").is_err());
        assert_eq!(blif_name("port", "a[3]").unwrap(), "a[3]");
    }
}
