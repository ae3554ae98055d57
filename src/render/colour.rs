//! Accent colours derived from the brand colour (`branding.accent`) so that
//! text in the accent colour meets WCAG 2.1 AA (4.5:1) on the theme's light
//! and dark backgrounds: darkened for light mode, lightened for dark mode,
//! with the contrast computed here at build time.

use serde::Serialize;

/// An sRGB colour.
type Rgb = [u8; 3];

/// The default theme's backgrounds text in the accent colour sits on: page
/// and panel, light and dark (as in `style.css`).
const LIGHT: [Rgb; 2] = [[0xfd, 0xfd, 0xfb], [0xf3, 0xf5, 0xf4]];
const DARK: [Rgb; 2] = [[0x14, 0x18, 0x1b], [0x1c, 0x22, 0x26]];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const BLACK: Rgb = [0, 0, 0];

/// WCAG 2.1 AA for normal text.
pub const AA: f64 = 4.5;

/// The accent of each colour scheme, with the text colour for filled accent
/// areas (buttons, the current stage).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accents {
    /// Accent for light mode (and print).
    pub light: String,
    /// Text on a light-mode accent fill.
    pub on_light: String,
    /// Accent for dark mode.
    pub dark: String,
    /// Text on a dark-mode accent fill.
    pub on_dark: String,
}

/// The accents for brand colour `hex` (`#rgb` or `#rrggbb`; anything else
/// counts as the default `#0b6e6e`).
pub fn accents(hex: &str) -> Accents {
    let brand = parse(hex).unwrap_or([0x0b, 0x6e, 0x6e]);
    let light = adjust(brand, BLACK, &LIGHT);
    let dark = adjust(brand, WHITE, &DARK);
    Accents {
        light: to_hex(light),
        on_light: to_hex(best_text(light, &[WHITE, DARK[0]])),
        dark: to_hex(dark),
        on_dark: to_hex(best_text(dark, &[DARK[0], WHITE])),
    }
}

/// `colour` mixed towards `towards` in 1% steps until it has at least
/// [`AA`] contrast with every background (unchanged if it has already).
fn adjust(colour: Rgb, towards: Rgb, backgrounds: &[Rgb]) -> Rgb {
    (0..=100)
        .map(|pct| mix(colour, towards, f64::from(pct) / 100.0))
        .find(|c| backgrounds.iter().all(|b| contrast(*c, *b) >= AA))
        .unwrap_or(towards)
}

/// The first of `candidates` with [`AA`] contrast on `fill`, else the one
/// with the most.
fn best_text(fill: Rgb, candidates: &[Rgb]) -> Rgb {
    candidates.iter().copied().find(|c| contrast(*c, fill) >= AA).unwrap_or_else(|| {
        candidates.iter().copied().max_by(|a, b| contrast(*a, fill).total_cmp(&contrast(*b, fill))).unwrap_or(BLACK)
    })
}

fn mix(a: Rgb, b: Rgb, t: f64) -> Rgb {
    let m = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

/// WCAG relative luminance.
fn luminance(c: Rgb) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Parses `#rgb` or `#rrggbb`.
fn parse(hex: &str) -> Option<Rgb> {
    let h = hex.strip_prefix('#')?;
    if !h.is_ascii() {
        return None;
    }
    let digit = |i: usize, len: usize| u8::from_str_radix(h.get(i..i + len)?, 16).ok();
    match h.len() {
        3 => Some([digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17]),
        6 => Some([digit(0, 2)?, digit(2, 2)?, digit(4, 2)?]),
        _ => None,
    }
}

fn to_hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(a: &str, b: Rgb) -> f64 {
        contrast(parse(a).unwrap(), b)
    }

    #[test]
    fn contrast_of_black_and_white_is_21() {
        assert!((contrast(BLACK, WHITE) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn default_accent_is_kept_in_light_mode_and_lightened_in_dark_mode() {
        let a = accents("#0b6e6e");
        assert_eq!(a.light, "#0b6e6e");
        assert_eq!(a.on_light, "#ffffff");
        assert_ne!(a.dark, "#0b6e6e");
        for bg in DARK {
            assert!(ratio(&a.dark, bg) >= AA, "{} on {bg:?}", a.dark);
        }
        assert!(ratio(&a.on_dark, parse(&a.dark).unwrap()) >= AA);
    }

    #[test]
    fn every_brand_colour_gets_aa_accents() {
        for brand in ["#ffff00", "#fff", "#000", "#0000ff", "#e4007c", "#777777", "#8ad"] {
            let a = accents(brand);
            for bg in LIGHT {
                assert!(ratio(&a.light, bg) >= AA, "{brand}: light {} on {bg:?}", a.light);
            }
            for bg in DARK {
                assert!(ratio(&a.dark, bg) >= AA, "{brand}: dark {} on {bg:?}", a.dark);
            }
            assert!(ratio(&a.on_light, parse(&a.light).unwrap()) >= AA, "{brand}: on light");
            assert!(ratio(&a.on_dark, parse(&a.dark).unwrap()) >= AA, "{brand}: on dark");
        }
    }

    #[test]
    fn short_and_invalid_hex() {
        assert_eq!(parse("#fa0"), Some([0xff, 0xaa, 0x00]));
        assert_eq!(parse("#ééé"), None);
        assert_eq!(parse("0b6e6e"), None);
    }
}
