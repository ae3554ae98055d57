//! `lotse init` and `lotse new`: create a starter site and new articles.
//! These write source files (never output), and never overwrite anything.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, did_you_mean};
use crate::markdown::slugify;

const SITE_YAML: &str = r##"# Lotse site configuration. Every key is optional.
title: "My practice guide"
description: "A guide in stages, with printable checklists."
base_url: "/"
default_language: en
languages: [en]
theme: default
branding:
  accent: "#0b6e6e"
  footer: "Made with Lotse"
print:
  paper: A4
"##;

const HOME: &str = "---\ntitle: \"My practice guide\"\nsummary: \"What this guide is about, in one sentence.\"\n---\n\nWelcome! This guide is organised in stages. Start with [the first stage](01-start/_index.md).\n";

const STAGE: &str = "---\ntitle: \"Getting started\"\norder: 1\nsummary: \"The first stage of the guide.\"\noutcome: \"Everyone knows what the guide is for.\"\n---\n\nEach stage is a folder with an `_index.md` like this one.\n";

const ARTICLE: &str = "---\ntitle: \"First steps\"\nsummary: \"An example article with a checklist.\"\norder: 1\ntags: [basics]\nroles: [project-lead]\n---\n\nWrite your article in Markdown. Link other pages with relative links, such as [the stage page](_index.md).\n\n## Checklist\n\n- [ ] Read this article\n- [ ] Write your first article with `lotse new 01-start/my-article`\n";

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::io(
                dir,
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "folder is not empty; `lotse init` only creates new sites",
                ),
            ));
        }
    }
    let files = [
        ("site.yaml", SITE_YAML),
        ("content/_index.md", HOME),
        ("content/01-start/_index.md", STAGE),
        ("content/01-start/first-steps.md", ARTICLE),
        ("static/.gitkeep", ""),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// Why `lotse new` could not create an article.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The argument is not `STAGE/SLUG`.
    #[error("expected STAGE/SLUG, e.g. `01-strategy/my-article`, got `{0}`")]
    Usage(String),
    /// The stage folder does not exist.
    #[error("stage `{stage}` not found in content/ ({hint})")]
    NoStage {
        /// The stage asked for.
        stage: String,
        /// The closest existing stage, or the list of stages.
        hint: String,
    },
    /// The build would reject or skip an article of this name.
    #[error("cannot create `{name}`: {why}; choose another name")]
    BadName {
        /// The slug asked for.
        name: String,
        /// What the build would say.
        why: String,
    },
    /// The article exists already.
    #[error("{} already exists; `lotse new` never overwrites", .0.display())]
    Exists(PathBuf),
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] Error),
}

/// Creates `content/STAGE/SLUG.md` with front-matter; returns its path.
pub fn new_article(root: &Path, spec: &str, title: Option<&str>, today: &str) -> Result<PathBuf, NewError> {
    let spec = spec.trim_end_matches(".md");
    let Some((stage, slug)) = spec.split_once('/') else {
        return Err(NewError::Usage(spec.into()));
    };
    if slug.is_empty() || slug.contains('/') || stage.is_empty() {
        return Err(NewError::Usage(spec.into()));
    }
    if crate::load::is_ignored(slug) {
        return Err(NewError::BadName {
            name: slug.into(),
            why:
                "Lotse skips hidden and temporary files (names starting with `.` or `#`, ending in `~`, `.swp`, `.tmp`)"
                    .into(),
        });
    }
    if let Some((why, _)) = crate::assemble::slug_problem(crate::model::Kind::Article, &slugify(slug), &[]) {
        return Err(NewError::BadName { name: slug.into(), why });
    }
    let content = root.join("content");
    let stage_dir = content.join(stage);
    if !stage_dir.join("_index.md").is_file() {
        let stages = list_stages(&content);
        let hint = match did_you_mean(stage, stages.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if stages.is_empty() => "there are no stage folders with an `_index.md` yet".to_string(),
            None => format!("stages: {}", stages.join(", ")),
        };
        return Err(NewError::NoStage { stage: stage.into(), hint });
    }
    let path = stage_dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(NewError::Exists(path));
    }
    let title = title.map(str::to_string).unwrap_or_else(|| title_from_slug(slug));
    let order = next_order(&stage_dir);
    let text = format!(
        "---\ntitle: {}\nsummary: \"\"\norder: {order}\ntags: []\nroles: []\ndate: {today}\n---\n\nIntroduce the topic here.\n\n## Checklist\n\n- [ ] First thing to check\n",
        serde_json::to_string(&title).unwrap_or_default()
    );
    fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

fn list_stages(content: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(content) else {
        return Vec::new();
    };
    let mut v: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().join("_index.md").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn next_order(stage_dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(stage_dir) else { return 1 };
    entries
        .flatten()
        .filter(|e| {
            e.file_name().to_string_lossy().ends_with(".md") && !e.file_name().to_string_lossy().starts_with("_index")
        })
        .count()
        + 1
}

fn title_from_slug(slug: &str) -> String {
    let words: Vec<String> = slug.split(['-', '_']).filter(|w| !w.is_empty()).map(str::to_string).collect();
    let mut title = words.join(" ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    title
}

/// Today's date as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    crate::calendar::Date::system_today().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_date() {
        assert!(crate::calendar::Date::parse(&today()).is_some());
    }

    #[test]
    fn titles_from_slugs() {
        assert_eq!(title_from_slug("goal-map"), "Goal map");
    }
}
