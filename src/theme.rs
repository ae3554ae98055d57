//! Themes: the built-in default theme (embedded in the binary), an optional
//! theme folder of the site, and the site's own `templates/` overrides,
//! merged file by file in that order of precedence.

use std::collections::BTreeMap;

use rust_embed::RustEmbed;

use crate::config::parse_strings;
use crate::error::Diagnostic;
use crate::load::Asset;

#[derive(RustEmbed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// A template's name, text and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Name used by `{% extends %}` and the renderer: `article.html`.
    pub name: String,
    /// Template source.
    pub text: String,
    /// Where it came from: `templates/article.html`, `themes/x/templates/...`
    /// or `(built-in)/templates/...`.
    pub origin: String,
}

/// A merged theme, ready for rendering.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Templates by name.
    pub templates: BTreeMap<String, TemplateFile>,
    /// Files copied to the output root (CSS, JavaScript, fonts).
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// UI strings per language.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
}

/// The text of a theme file, or an error at its first invalid byte.
fn utf8<'a>(shown: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let text = String::from_utf8_lossy(bytes);
        Diagnostic::error(shown, &text, e.valid_up_to(), "file is not valid UTF-8")
            .with_hint("save the file as UTF-8 in your editor")
    })
}

impl Theme {
    /// Merges the built-in theme, `theme_files` (the site's `themes/<name>/`)
    /// and `overrides` (the site's `templates/`).
    pub fn merge(
        theme_name: &str,
        theme_files: Option<&[Asset]>,
        overrides: &[Asset],
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        let mut diags = Vec::new();
        let builtin: Vec<Asset> = DefaultTheme::iter()
            .filter_map(|name| {
                DefaultTheme::get(&name).map(|f| Asset { rel: name.to_string(), bytes: f.data.into_owned() })
            })
            .collect();
        theme.add_tree("(built-in)", &builtin, &mut diags);
        if let Some(files) = theme_files {
            theme.add_tree(&format!("themes/{theme_name}"), files, &mut diags);
        }
        for f in overrides {
            theme.add_template(&format!("templates/{}", f.rel), &f.rel, &f.bytes, &mut diags);
        }
        if diags.is_empty() { Ok(theme) } else { Err(diags) }
    }

    fn add_tree(&mut self, origin: &str, files: &[Asset], diags: &mut Vec<Diagnostic>) {
        for f in files {
            let shown = format!("{origin}/{}", f.rel);
            if let Some(name) = f.rel.strip_prefix("templates/") {
                self.add_template(&shown, name, &f.bytes, diags);
            } else if let Some(name) = f.rel.strip_prefix("static/") {
                self.static_files.insert(name.to_string(), f.bytes.clone());
            } else if let Some(file) = f.rel.strip_prefix("i18n/") {
                let Some(lang) = file.strip_suffix(".yaml") else {
                    continue;
                };
                let text = match utf8(&shown, &f.bytes) {
                    Ok(text) => text,
                    Err(d) => {
                        diags.push(d);
                        continue;
                    }
                };
                match parse_strings(&shown, text) {
                    Ok(map) => self.strings.entry(lang.to_string()).or_default().extend(map),
                    Err(d) => diags.push(d),
                }
            }
        }
    }

    fn add_template(&mut self, origin: &str, name: &str, bytes: &[u8], diags: &mut Vec<Diagnostic>) {
        match utf8(origin, bytes) {
            Ok(text) => {
                let t = TemplateFile { name: name.to_string(), text: text.to_string(), origin: origin.to_string() };
                self.templates.insert(name.to_string(), t);
            }
            Err(d) => diags.push(d),
        }
    }

    /// UI strings for `lang`, falling back to English for missing entries.
    pub fn strings_for(&self, lang: &str) -> BTreeMap<String, String> {
        let mut map = self.strings.get("en").cloned().unwrap_or_default();
        if let Some(own) = self.strings.get(lang) {
            map.extend(own.clone());
        }
        map
    }

    /// The built-in theme's files, for `lotse init`.
    pub fn builtin_files() -> Vec<(String, Vec<u8>)> {
        DefaultTheme::iter()
            .filter_map(|n| DefaultTheme::get(&n).map(|f| (n.to_string(), f.data.into_owned())))
            .collect()
    }
}
