#pragma once
// One self-contained HTML page: headings, paragraphs, tables, heatmaps and SVG figures
// written inline, so the file opens in any browser with no server and nothing beside it
// (no <img src>, no stylesheet or script to fetch). The examples use it to gather their
// results into a report (examples/activations --html).
//
//   plot::HtmlPage page("Activations");
//   page.heading("The audit", "audit");
//   page.table({"name", "formula"}, {{"relu", "max(0, x)"}});
//   page.figure(figure);                       // a plot::Figure, drawn inline
//   page.save("out/report.html");
//
// Every text argument is plain text: & < > " ' are escaped, so a formula such as
// "x < 0 ? a & b" shows as written. The page is XHTML-style (every element closed,
// void elements written <br/>), so an XML parser reads it as well as a browser does.
#include <string>
#include <vector>

namespace nabla::plot {

class Figure;

class HtmlPage {
 public:
  explicit HtmlPage(std::string title);

  // A section heading (<h2>; level 3 gives <h3>). A non-empty `id` makes it a link target
  // for contents(): letters, digits, '-' and '_' only, else std::invalid_argument.
  void heading(const std::string& text, const std::string& id = "", int level = 2);
  void paragraph(const std::string& text);
  // Text in a fixed-width font, line breaks kept: a command, or a program's printed table.
  void preformatted(const std::string& text);
  // A list of links to every heading given an id so far and later: placed here.
  void contents();
  // A table with a header row. A row shorter than the header is padded with empty cells;
  // a longer one is std::invalid_argument.
  void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
  // A table of numbers in [low, high], each cell shaded from white (low) to dark blue
  // (high) and showing its value as `percent`? "87.3%" : "0.873". NaN is an empty grey cell.
  // values[i] has one entry per column label; std::invalid_argument otherwise.
  void heatmap(const std::string& corner, const std::vector<std::string>& row_labels,
               const std::vector<std::string>& column_labels, const std::vector<std::vector<double>>& values,
               double low = 0, double high = 1, bool percent = true);
  // A figure drawn inline, with an optional caption under it.
  void figure(const Figure& figure, const std::string& caption = "");
  // An SVG document given as text (e.g. read from a file Figure::save wrote), inlined. An
  // XML declaration or DOCTYPE before <svg is dropped; its ids (and the url(#id) and
  // href="#id" that point at them) get a prefix unique on this page, so two figures that
  // both define "clip-0-0" do not clip each other. Throws std::invalid_argument if the
  // text has no <svg element.
  void svg(const std::string& svg_document, const std::string& caption = "");

  std::string to_html() const;
  // Writes the page to `path` (temporary file, then rename, like Figure::save). Throws
  // std::runtime_error naming the path if it cannot be written.
  void save(const std::string& path) const;

 private:
  struct Anchor {
    std::string id, text;
  };
  std::string title_;
  std::vector<std::string> parts_;  // body fragments in order; contents() leaves a marker
  std::vector<Anchor> anchors_;
  int svg_count_ = 0;
};

}  // namespace nabla::plot
