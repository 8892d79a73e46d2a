// HtmlPage: body fragments collected in order, wrapped in a page with a small inline style.
#include "nn/plot/html.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "nn/plot/save_file.h"
#include "nn/plot/svg_plot.h"

namespace nabla::plot {
namespace {

// Where contents() goes; replaced by the list of links in to_html(), when every heading is known.
const char* const kContentsMarker = "\x01contents\x01";

bool valid_id(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Prefixes every id="x" with `prefix`, and every reference to one: url(#x) and href="#x".
std::string prefix_ids(const std::string& svg, const std::string& prefix) {
  std::string out;
  out.reserve(svg.size());
  const std::string patterns[] = {" id=\"", "url(#", "href=\"#"};
  for (size_t i = 0; i < svg.size();) {
    bool matched = false;
    for (const std::string& p : patterns) {
      if (svg.compare(i, p.size(), p) == 0) {
        out += p + prefix;
        i += p.size();
        matched = true;
        break;
      }
    }
    if (!matched) out += svg[i++];
  }
  return out;
}

std::string caption_html(const std::string& caption) {
  return caption.empty() ? "" : "<figcaption>" + xml_escape(caption) + "</figcaption>";
}

const char* const kStyle =
    "body{font-family:sans-serif;max-width:1600px;margin:2em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0;font-size:90%}"
    "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}td.num{text-align:right}"
    "pre{background:#f6f6f6;padding:.6em;overflow-x:auto}"
    "figure{margin:1em 0}svg{max-width:100%;height:auto}figcaption{color:#555}";

}  // namespace

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

void HtmlPage::heading(const std::string& text, const std::string& id, int level) {
  if (level != 2 && level != 3) throw std::invalid_argument("HtmlPage::heading: level must be 2 or 3");
  const std::string tag = level == 2 ? "h2" : "h3";
  std::string attribute;
  if (!id.empty()) {
    if (!valid_id(id)) throw std::invalid_argument("HtmlPage::heading: id '" + id + "' may hold only letters, digits, - and _");
    attribute = " id=\"" + id + "\"";
    anchors_.push_back({id, text});
  }
  parts_.push_back("<" + tag + attribute + ">" + xml_escape(text) + "</" + tag + ">\n");
}

void HtmlPage::paragraph(const std::string& text) { parts_.push_back("<p>" + xml_escape(text) + "</p>\n"); }

void HtmlPage::preformatted(const std::string& text) { parts_.push_back("<pre>" + xml_escape(text) + "</pre>\n"); }

void HtmlPage::contents() { parts_.push_back(kContentsMarker); }

void HtmlPage::table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::string html = "<table>\n<tr>";
  for (const std::string& h : header) html += "<th>" + xml_escape(h) + "</th>";
  html += "</tr>\n";
  for (const auto& row : rows) {
    if (row.size() > header.size()) {
      throw std::invalid_argument("HtmlPage::table: a row has " + std::to_string(row.size()) + " cells, the header " +
                                  std::to_string(header.size()));
    }
    html += "<tr>";
    for (size_t i = 0; i < header.size(); ++i) html += "<td>" + (i < row.size() ? xml_escape(row[i]) : "") + "</td>";
    html += "</tr>\n";
  }
  parts_.push_back(html + "</table>\n");
}

void HtmlPage::heatmap(const std::string& corner, const std::vector<std::string>& row_labels,
                       const std::vector<std::string>& column_labels, const std::vector<std::vector<double>>& values,
                       double low, double high, bool percent) {
  if (values.size() != row_labels.size()) throw std::invalid_argument("HtmlPage::heatmap: one row of values per row label");
  std::string html = "<table>\n<tr><th>" + xml_escape(corner) + "</th>";
  for (const std::string& c : column_labels) html += "<th>" + xml_escape(c) + "</th>";
  html += "</tr>\n";
  for (size_t r = 0; r < values.size(); ++r) {
    if (values[r].size() != column_labels.size()) {
      throw std::invalid_argument("HtmlPage::heatmap: row '" + row_labels[r] + "' has " +
                                  std::to_string(values[r].size()) + " values for " +
                                  std::to_string(column_labels.size()) + " columns");
    }
    html += "<tr><th>" + xml_escape(row_labels[r]) + "</th>";
    for (double v : values[r]) {
      if (std::isnan(v)) {
        html += "<td style=\"background:#ddd\"></td>";
        continue;
      }
      // White at `low` to a dark blue at `high`; white text once the cell is dark.
      const double t = std::clamp(high > low ? (v - low) / (high - low) : 0.0, 0.0, 1.0);
      char cell[160];
      std::snprintf(cell, sizeof cell, "<td class=\"num\" style=\"background:rgb(%d,%d,%d);color:%s\">",
                    static_cast<int>(255 - t * 225), static_cast<int>(255 - t * 175), static_cast<int>(255 - t * 95),
                    t > 0.55 ? "white" : "black");
      char value[32];
      std::snprintf(value, sizeof value, percent ? "%.1f%%" : "%.3g", percent ? 100 * v : v);
      html += std::string(cell) + value + "</td>";
    }
    html += "</tr>\n";
  }
  parts_.push_back(html + "</table>\n");
}

void HtmlPage::figure(const Figure& figure, const std::string& caption) { svg(figure.to_svg(), caption); }

void HtmlPage::svg(const std::string& svg_document, const std::string& caption) {
  const size_t start = svg_document.find("<svg");
  if (start == std::string::npos) throw std::invalid_argument("HtmlPage::svg: the text has no <svg> element");
  const size_t end = svg_document.rfind("</svg>");
  const std::string body = svg_document.substr(start, end == std::string::npos ? std::string::npos : end + 6 - start);
  const std::string prefix = "svg" + std::to_string(++svg_count_) + "-";
  parts_.push_back("<figure>\n" + prefix_ids(body, prefix) + "\n" + caption_html(caption) + "</figure>\n");
}

std::string HtmlPage::to_html() const {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" +
                     xml_escape(title_) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" +
                     xml_escape(title_) + "</h1>\n";
  for (const std::string& part : parts_) {
    if (part != kContentsMarker) {
      html += part;
      continue;
    }
    html += "<ul>\n";
    for (const Anchor& a : anchors_) html += "<li><a href=\"#" + a.id + "\">" + xml_escape(a.text) + "</a></li>\n";
    html += "</ul>\n";
  }
  return html + "</body>\n</html>\n";
}

void HtmlPage::save(const std::string& path) const {
  const std::string document = to_html();
  save_file_atomically(path, document, "plot::HtmlPage::save");
}

}  // namespace nabla::plot
