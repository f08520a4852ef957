//! The template engine and the list of files a report consists of.

use super::group_page::{self, CaseEntry, CaseLookup};
use super::model::{root, Links};
use super::{case_page, compare_page, csv, index_page, markdown, ReportError, ReportOptions};
use crate::results::RunResults;
use serde::Serialize;
use tera::{Context, Tera};

/// The shared stylesheet, written once next to `index.html`.
pub const STYLE: &str = include_str!("templates/style.css");

/// Every template, compiled into the binary so a report needs no files at run time.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("comparison.html", include_str!("templates/comparison.html")),
    ("index.html", include_str!("templates/index.html")),
    ("case.html", include_str!("templates/case.html")),
    ("group.html", include_str!("templates/group.html")),
    ("baseline.html", include_str!("templates/baseline.html")),
    ("compare.html", include_str!("templates/compare.html")),
    (
        "compare_index.html",
        include_str!("templates/compare_index.html"),
    ),
];

/// Tera with our templates, escaping every `{{ }}` in `.html` templates.
pub struct Engine {
    tera: Tera,
}

/// The whole message of a Tera error: its own text hides the cause in `source()`.
fn tera_message(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    message
}

impl Engine {
    pub fn new() -> Result<Engine, ReportError> {
        let mut tera = Tera::default();
        tera.add_raw_templates(TEMPLATES.iter().copied())
            .map_err(|e| ReportError::Template {
                name: "(loading)".to_string(),
                message: tera_message(&e),
            })?;
        tera.autoescape_on(vec![".html"]);
        Ok(Engine { tera })
    }

    pub fn render<T: Serialize>(&self, name: &str, page: &T) -> Result<String, ReportError> {
        let err = |e: tera::Error| ReportError::Template {
            name: name.to_string(),
            message: tera_message(&e),
        };
        let context = Context::from_serialize(page).map_err(err)?;
        self.tera.render(name, &context).map_err(err)
    }
}

/// A file of the report: its path relative to the report folder and its contents.
pub type File = (String, String);

#[derive(Serialize)]
struct GroupPage<'a> {
    root: String,
    bench: &'a str,
    comparisons: Vec<group_page::ComparisonView>,
}

/// Every file of the report over `runs`, rendered in memory.
pub fn render_all(runs: &[RunResults], options: &ReportOptions) -> Result<Vec<File>, ReportError> {
    let engine = Engine::new()?;
    let links = Links::new(runs);
    let mut files: Vec<File> = vec![("style.css".to_string(), STYLE.to_string())];
    let index = index_page::build(runs, &links, options);
    files.push((
        "index.html".to_string(),
        engine.render("index.html", &index)?,
    ));
    for (index, run) in runs.iter().enumerate() {
        let mut lookup = CaseLookup::new();
        for case in &run.cases {
            lookup.insert(case.id.as_str(), CaseEntry::new(case, run.idle.mean_w));
            if let Some(path) = links.case(index, &case.id) {
                let page = case_page::build(index, run, case, &links, options);
                files.push((path.to_string(), engine.render("case.html", &page)?));
            }
        }
        for c in &run.comparisons {
            if let Some(path) = links.group(index, c) {
                let page = GroupPage {
                    root: root(1),
                    bench: &run.bench,
                    comparisons: vec![group_page::build(c, &lookup, options)],
                };
                files.push((path.to_string(), engine.render("group.html", &page)?));
            }
        }
    }
    if index.has_baseline {
        let page = compare_page::baseline(runs, &links);
        files.push((
            "baseline.html".to_string(),
            engine.render("baseline.html", &page)?,
        ));
    }
    files.push(("report.md".to_string(), markdown::render(runs)));
    files.push(("estimates.csv".to_string(), csv::render(runs)));
    Ok(files)
}
