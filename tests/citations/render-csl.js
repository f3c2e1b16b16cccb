// Renders CSL-JSON files with citeproc-js and the official CSL styles,
// failing on any error: the check that CSL-JSON citations work in the
// engine Zotero and Pandoc's users meet.
//
// node render-csl.js [--work-text] STYLES_DIR LOCALES_DIR STYLE FILE.json...
// Prints, per file, the first-note citation and the bibliography entry.
// With --work-text: as plain text, of the work alone (the archive, note,
// evidence and section fields removed, as provseal renders its styles), to
// set beside provseal's own rendering.
"use strict";
const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const args = process.argv.slice(2);
const workText = args[0] === "--work-text";
if (workText) args.shift();
const [stylesDir, localesDir, styleName, ...files] = args;
if (!files.length) {
  console.error("usage: node render-csl.js STYLES_DIR LOCALES_DIR STYLE FILE.json...");
  process.exit(2);
}
const style = fs.readFileSync(path.join(stylesDir, styleName + ".csl"), "utf8");
let failed = false;
for (const file of files) {
  const items = JSON.parse(fs.readFileSync(file, "utf8"));
  if (workText) {
    for (const item of items) {
      for (const key of ["archive", "archive_location", "note", "custom", "section"]) delete item[key];
    }
  }
  const byId = Object.fromEntries(items.map((i) => [i.id, i]));
  const sys = {
    retrieveLocale: (lang) => {
      const p = path.join(localesDir, "locales-" + lang + ".xml");
      return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : false;
    },
    retrieveItem: (id) => byId[id],
  };
  const engine = new CSL.Engine(sys, style, "en-US");
  if (workText) engine.setOutputFormat("text");
  engine.opt.development_extensions.wrap_url_and_doi = false;
  engine.updateItems(Object.keys(byId));
  const cite = engine.processCitationCluster(
    { citationItems: items.map((i) => ({ id: i.id })), properties: { noteIndex: 1 } },
    [],
    [],
  );
  const bib = engine.makeBibliography();
  const note = cite[1].map((c) => c[1]).join(" ");
  const entries = bib ? bib[1].map((e) => e.trim()) : [];
  if (bib && bib[0].bibliography_errors.length) {
    console.error(file + ": bibliography errors: " + JSON.stringify(bib[0].bibliography_errors));
    failed = true;
  }
  if (!note || entries.length !== items.length || entries.some((e) => !e || /\[CSL STYLE ERROR/.test(e))) {
    console.error(file + ": nothing rendered: " + JSON.stringify({ note, entries }));
    failed = true;
  }
  console.log(JSON.stringify({ file: path.basename(path.dirname(file)), note, bibliography: entries }));
}
process.exit(failed ? 1 : 0);
