//! Colour on stdout (`--color`): verdicts, failures, warnings and provenance tags, with
//! `anstyle`'s escape codes when colour is on and plain text otherwise.

use crate::analysis::vocabulary::BaselineVerdict;
use crate::setup::config::ColorChoice;
use anstyle::{AnsiColor, Style};

/// Whether stdout is coloured: `--color always` or `never` decide; `auto` colours a
/// terminal unless `NO_COLOR` is set to anything but the empty string (no-color.org).
pub(crate) fn use_color(choice: ColorChoice, stdout_is_terminal: bool, no_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_is_terminal && !no_color,
    }
}

/// Whether `NO_COLOR` asks for no colour.
pub(crate) fn no_color_set() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// How text of each kind is painted: with colour or without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Palette {
    color: bool,
}

impl Palette {
    #[cfg(test)]
    pub(crate) const PLAIN: Palette = Palette { color: false };
    #[cfg(test)]
    pub(crate) const COLOR: Palette = Palette { color: true };

    pub(crate) fn new(color: bool) -> Palette {
        Palette { color }
    }

    fn paint(self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// A baseline or previous-run verdict: green when better, red when worse.
    pub(crate) fn verdict(self, v: BaselineVerdict) -> String {
        let style = match v {
            BaselineVerdict::Improved => AnsiColor::Green.on_default().bold(),
            BaselineVerdict::Regressed => AnsiColor::Red.on_default().bold(),
            BaselineVerdict::WithinNoise => AnsiColor::Yellow.on_default(),
            BaselineVerdict::NoChange => Style::new().dimmed(),
        };
        self.paint(style, v.as_str())
    }

    /// `FAILED`, `INVALID`: red.
    pub(crate) fn failure(self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default().bold(), text)
    }

    /// `SKIPPED`, a warning, a provenance tag: yellow.
    pub(crate) fn caution(self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default(), text)
    }

    /// The case id heading its block.
    pub(crate) fn heading(self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_a_terminal_unless_no_color() {
        assert!(use_color(ColorChoice::Auto, true, false));
        assert!(!use_color(ColorChoice::Auto, true, true));
        assert!(!use_color(ColorChoice::Auto, false, false));
        assert!(use_color(ColorChoice::Always, false, true));
        assert!(!use_color(ColorChoice::Never, true, false));
    }

    #[test]
    fn plain_text_has_no_escape_codes() {
        let plain = Palette::PLAIN.verdict(BaselineVerdict::Regressed);
        assert_eq!(plain, "regressed");
        let red = Palette::COLOR.verdict(BaselineVerdict::Regressed);
        assert!(red.starts_with('\x1b') && red.contains("regressed") && red.ends_with("\x1b[0m"));
        assert_ne!(
            Palette::COLOR.verdict(BaselineVerdict::Improved),
            Palette::COLOR.verdict(BaselineVerdict::Regressed)
        );
    }
}
