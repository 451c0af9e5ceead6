//! Every example's command line, through the one parser the examples use
//! (`examples/common/cli.rs`), without building or running an example: `--help`, a bad
//! option, the shared options, the positional arguments `.ci/run` passes, the default output
//! folder under the target directory, and no panic on any argument list.

#[path = "../examples/common/cli.rs"]
mod cli;

use std::path::{Path, PathBuf};

use arithsim::cost::report::Format;
use arithsim::round::RoundingMode;
use cli::{Args, Parsed, SPECS, Spec};
use proptest::prelude::*;

fn run(spec: &Spec, args: &[&str]) -> Args {
    match spec.parse(args.iter().copied()) {
        Ok(Parsed::Run(a)) => a,
        other => panic!("{} {args:?}: {other:?}", spec.name),
    }
}

fn spec(name: &str) -> &'static Spec {
    SPECS.iter().find(|s| s.name == name).expect(name)
}

/// Every `examples/*.rs` and `examples/*/main.rs` has a spec, uses it through `cli::main`,
/// and every spec names an example: an example added without the parser fails here.
#[test]
fn every_example_has_a_spec_and_uses_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let main = path.join("main.rs");
        let (name, file) = if path.extension().is_some_and(|e| e == "rs") {
            (path.file_stem().unwrap(), path.clone())
        } else if main.is_file() {
            (path.file_name().unwrap(), main)
        } else {
            continue;
        };
        {
            let name = name.to_str().unwrap().to_string();
            let src = std::fs::read_to_string(&file).unwrap();
            let constant = name.to_uppercase();
            assert!(
                src.contains(&format!("cli::main(&cli::{constant},")),
                "{name} does not parse its command line with cli::main(&cli::{constant}, ..)"
            );
            assert!(
                !src.contains("std::env::args"),
                "{name} reads the arguments itself"
            );
            names.push(name);
        }
    }
    names.sort();
    let mut specs: Vec<&str> = SPECS.iter().map(|s| s.name).collect();
    specs.sort_unstable();
    assert_eq!(names, specs);
}

#[test]
fn help_and_bad_options_for_every_example() {
    for s in SPECS {
        assert_eq!(s.parse(["--help"]), Ok(Parsed::Help), "{}", s.name);
        assert_eq!(s.parse(["-h"]), Ok(Parsed::Help), "{}", s.name);
        let usage = s.usage();
        assert!(usage.starts_with(&format!("usage: {} ", s.name)), "{usage}");
        assert!(usage.contains("--help"), "{usage}");
        for o in s.options {
            assert!(usage.contains(&format!("--{}", o.name)), "{usage}");
        }
        // An unknown option: one line that names it.
        let e = s.parse(["--colour"]).unwrap_err();
        assert!(
            e.contains("--colour") && !e.contains('\n'),
            "{}: {e}",
            s.name
        );
        // Options an example does not have are unknown, not silently ignored.
        for (has, opt) in [
            (s.table, "--table"),
            (s.out.is_some(), "--out"),
            (s.format, "--format"),
        ] {
            let r = s.parse([opt, "x"]);
            if has {
                if opt != "--format" {
                    assert!(matches!(r, Ok(Parsed::Run(_))), "{} {opt}: {r:?}", s.name);
                }
                let e = s.parse([opt]).unwrap_err();
                assert!(e.contains(opt), "{} {opt} without a value: {e}", s.name);
            } else {
                assert!(r.is_err(), "{} takes no {opt}", s.name);
            }
        }
        // A stray word is an error where the example takes no positional arguments.
        if s.positional.is_none() {
            assert!(s.parse(["markdown"]).is_err(), "{}", s.name);
        }
        // No arguments: runs, with the defaults.
        let d = run(s, &[]);
        assert_eq!((d.table.as_ref(), d.format), (None, Format::Text));
        assert!(d.positional.is_empty());
    }
}

#[test]
fn shared_options_and_values() {
    let s = spec("cost_report");
    let a = run(s, &["--table", "t.toml", "--out", "d", "--format", "md"]);
    assert_eq!(a.table, Some(PathBuf::from("t.toml")));
    assert_eq!(a.out, PathBuf::from("d"));
    assert_eq!(a.format, Format::Markdown);
    assert_eq!(a.report().out, PathBuf::from("d"));
    let a = run(s, &["--out=e", "--format=json"]);
    assert_eq!((a.out, a.format), (PathBuf::from("e"), Format::Json));
    let e = s.parse(["--format", "pdf"]).unwrap_err();
    assert!(e.contains("--format") && e.contains("pdf"), "{e}");
    assert!(run(s, &[]).cost_table().is_ok());
    assert!(
        run(s, &["--table", "does/not/exist.toml"])
            .cost_table()
            .is_err()
    );
}

/// The positional arguments `.ci/run` passes keep working, with the examples' own options.
#[test]
fn ci_arguments_and_example_options() {
    let a = run(spec("hdl_import_scale"), &["100000", "200000"]);
    assert_eq!(a.counts(), [100_000, 200_000]);
    assert!(spec("hdl_import_scale").parse(["1e5"]).is_err());
    let a = run(spec("train_digits"), &["--check"]);
    assert!(a.flag("check") && !a.flag("seeds"));
    let a = run(spec("train_digits"), &["--net", "cnn", "--seeds"]);
    assert_eq!(a.value("net"), Some("cnn"));
    assert!(a.flag("seeds"));
    let e = spec("train_digits").parse(["--net", "rnn"]).unwrap_err();
    assert!(e.contains("--net") && e.contains("rnn"), "{e}");
    assert!(spec("train_digits").parse(["--check=yes"]).is_err());

    let fp16 = spec("exhaustive_fp16");
    let a = run(
        fp16,
        &["mul", "--mode", "all", "--threads", "2", "--b-values", "8"],
    );
    assert_eq!(a.positional, ["mul"]);
    assert_eq!(a.value("mode"), Some("all"));
    assert_eq!(
        (a.count("threads"), a.count("b-values")),
        (Some(2), Some(8))
    );
    assert!(fp16.parse(["div"]).is_err());
    assert!(fp16.parse(["add", "mul", "add"]).is_err());
    assert!(fp16.parse(["--mode", "nearest"]).is_err());
    assert!(fp16.parse(["--threads", "-1"]).is_err());
    assert!(fp16.parse(["--threads"]).is_err());

    let a = run(spec("float_fma_sweep"), &["1000"]);
    assert_eq!(a.counts(), [1000]);
    assert!(spec("float_fma_sweep").parse(["1", "2"]).is_err());
    assert!(run(spec("adders"), &["--markdown"]).flag("markdown"));
    let f = spec("finetune_report");
    let a = run(f, &["--quick", "--out", "o", "--table", "t.toml"]);
    assert!(a.flag("quick"));
    assert_eq!(
        (a.out, a.table),
        (PathBuf::from("o"), Some(PathBuf::from("t.toml")))
    );
    assert!(!run(f, &[]).flag("quick"));
    assert!(f.parse(["--quick=yes"]).is_err());
    assert!(f.parse(["--seeds", "3"]).is_err());
    let a = run(spec("liberty_report"), &["--synth", "--liberty", "l.lib"]);
    assert!(a.flag("synth") && !a.flag("quick"));
    assert_eq!(a.value("liberty"), Some("l.lib"));
}

/// A bad value of a positional argument is a usage error (exit 2 with the usage, as an
/// unknown option), caught while parsing, not an error of the run (exit 1): the adder kinds
/// of `exhaustive_adder16` are checked by `AdderKind`'s own `FromStr`, short names included.
#[test]
fn bad_values_are_usage_errors_and_short_names_are_accepted() {
    let s = spec("exhaustive_adder16");
    let a = run(s, &["ks", "bk", "sklansky", "carry-select/8", "rca"]);
    assert_eq!(
        a.positional,
        ["ks", "bk", "sklansky", "carry-select/8", "rca"]
    );
    for bad in ["kogge", "carry-lookahead/1", "ks/4"] {
        let e = s.parse([bad]).unwrap_err();
        assert!(
            e.starts_with("ADDER: ") && e.contains(bad) && !e.contains('\n'),
            "{bad}: {e}"
        );
    }
    let e = s.parse(["kogge"]).unwrap_err();
    assert!(e.contains("not an adder architecture"), "{e}");
    assert!(s.usage().contains("kogge-stone (ks)"), "{}", s.usage());
}

/// The help text: every line fits 100 columns, and a flag too long for the help column
/// (`--mode rne|...|all`) ends its line instead of running into its description.
#[test]
fn help_lines_fit_and_long_flags_stand_alone() {
    for s in SPECS {
        let usage = s.usage();
        for line in usage.lines().skip(2) {
            assert!(line.chars().count() <= 100, "{}: {line:?}", s.name);
            if line.starts_with("  -") {
                // Either the flag stands alone, or its help starts at column 28 after at
                // least two spaces.
                let c: Vec<char> = line.chars().collect();
                let alone = !line[2..].contains("  ");
                let apart = c.len() > 28 && c[26] == ' ' && c[27] == ' ' && c[28] != ' ';
                assert!(alone || apart, "{}: {line:?}", s.name);
            }
        }
    }
    let usage = spec("exhaustive_fp16").usage();
    assert!(
        usage
            .lines()
            .any(|l| l == "  --mode rne|rna|rnp|rtz|rup|rdn|rto|all"),
        "{usage}"
    );
    assert!(
        usage.contains("\n                            rounding mode of the units"),
        "{usage}"
    );
}

/// Without the project's shared data folder, a missing Liberty file is an error that says how
/// to give one.
#[test]
fn a_missing_liberty_file_says_how_to_give_one() {
    for name in ["liberty_report", "synth_areas"] {
        let a = run(spec(name), &["--liberty", "does/not/exist.lib.gz"]);
        let e = cli::liberty_path(&a).unwrap_err().to_string();
        assert!(
            e.contains("does/not/exist.lib.gz")
                && e.contains("--liberty FILE")
                && e.contains("ARITHSIM_LIBERTY"),
            "{e}"
        );
    }
}

/// `float_explain --convert VALUE --to FORMAT --mode M|all --overflow P`: the values the
/// example reads, and `--mode` through the shared `parse_modes`.
#[test]
fn float_explain_conversion_options() {
    let s = spec("float_explain");
    let a = run(s, &["--convert", "1234.5", "--to", "e4m3", "--mode", "rtz"]);
    assert_eq!(
        (a.value("convert"), a.value("to"), a.value("mode")),
        (Some("1234.5"), Some("e4m3"), Some("rtz"))
    );
    assert_eq!(
        cli::parse_modes(a.value("mode").unwrap()),
        Ok(vec![RoundingMode::TowardZero])
    );
    assert_eq!(
        cli::parse_modes("all"),
        Ok(RoundingMode::DETERMINISTIC.to_vec())
    );
    assert!(cli::parse_modes("sr8").is_err()); // not deterministic
    let a = run(s, &["--convert=500", "--overflow", "saturate"]);
    assert_eq!(a.value("overflow"), Some("saturate"));
    let e = s.parse(["--overflow", "clip"]).unwrap_err();
    assert!(e.contains("--overflow") && e.contains("clip"), "{e}");
    assert!(s.parse(["--convert"]).is_err());
}

/// `--out` defaults under the target directory, not the source tree or the working
/// directory.
#[test]
fn default_output_folders_are_under_the_target_directory() {
    let target = cli::target_dir();
    assert!(target.is_absolute(), "{}", target.display());
    for s in SPECS.iter().filter(|s| s.out.is_some()) {
        let a = run(s, &[]);
        assert_eq!(a.out, target.join(s.out.unwrap()), "{}", s.name);
        for src in ["src", "docs", "data", "examples"] {
            assert!(
                !a.out.starts_with(cli::crate_root().join(src)),
                "{}",
                s.name
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// No argument list makes the parser panic, for any example.
    #[test]
    fn parser_never_panics(
        which in 0..SPECS.len(),
        args in prop::collection::vec(
            prop_oneof![
                Just("--table".to_string()), Just("--out".to_string()),
                Just("--format".to_string()), Just("--help".to_string()),
                Just("--mode".to_string()), Just("--threads".to_string()),
                Just("--net".to_string()), Just("-".to_string()), Just("--".to_string()),
                Just("-x".to_string()), "\\PC{0,12}",
            ],
            0..6,
        ),
    ) {
        let s = &SPECS[which];
        if let Ok(Parsed::Run(a)) = s.parse(args.iter().map(String::as_str)) {
            prop_assert!(a.positional.len() <= s.positional.map_or(0, |p| p.max));
        }
        let _ = s.usage();
    }
}
