#pragma once
// A tiny checker for the HTML pages nabla writes (nn/plot/html.h): enough XML parsing to
// prove a page well-formed and self-contained, with no dependency.
//   - every tag closed, and closed in the order opened (<a><b></a></b> is wrong);
//   - text escaped: a bare < or > in text, or an & that starts no entity, is a problem;
//   - nothing external: no src= at all, href= and url() only to "#id" on this page, and
//     that id must exist (ids unique); no <img>, <script>, <link>, <iframe>, <object>.
// html_problems() lists what is wrong, one line each; an empty list is a pass.
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace nabla::testing {

struct HtmlSummary {
  std::vector<std::string> problems;
  std::map<std::string, int> elements;  // how many of each element: {"svg", 26}, {"table", 3}
};

inline HtmlSummary check_html(const std::string& html) {
  HtmlSummary summary;
  auto problem = [&](size_t at, const std::string& what) {
    summary.problems.push_back("at byte " + std::to_string(at) + ": " + what);
  };
  std::vector<std::string> open;
  std::set<std::string> ids, references;
  const std::set<std::string> void_elements = {"br", "meta", "hr", "img", "link", "input", "col", "area", "base"};
  const std::set<std::string> external = {"img", "script", "link", "iframe", "object", "embed"};
  auto check_text = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      if (html[i] == '>') problem(i, "unescaped '>' in text");
      if (html[i] != '&') continue;
      size_t j = i + 1;
      if (j < to && html[j] == '#') ++j;
      while (j < to && std::isalnum(static_cast<unsigned char>(html[j]))) ++j;
      if (j == i + 1 || j >= to || html[j] != ';') problem(i, "'&' that starts no entity");
    }
  };
  auto check_url = [&](size_t at, const std::string& value) {
    if (value.empty() || value[0] != '#') return problem(at, "reference to outside the page: '" + value + "'");
    references.insert(value.substr(1));
  };

  size_t i = 0;
  while (i < html.size()) {
    const size_t lt = html.find('<', i);
    check_text(i, lt == std::string::npos ? html.size() : lt);
    if (lt == std::string::npos) break;
    if (html.compare(lt, 4, "<!--") == 0) {  // a comment
      const size_t end = html.find("-->", lt);
      if (end == std::string::npos) return problem(lt, "unclosed comment"), summary;
      i = end + 3;
      continue;
    }
    if (html.compare(lt, 2, "<!") == 0 || html.compare(lt, 2, "<?") == 0) {  // DOCTYPE, declaration
      const size_t end = html.find('>', lt);
      if (end == std::string::npos) return problem(lt, "unclosed declaration"), summary;
      i = end + 1;
      continue;
    }
    const bool closing = html.compare(lt, 2, "</") == 0;
    size_t j = lt + (closing ? 2 : 1);
    const size_t name_start = j;
    while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '-' || html[j] == ':')) ++j;
    std::string name = html.substr(name_start, j - name_start);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name.empty()) {
      problem(lt, "unescaped '<' in text");
      i = lt + 1;
      continue;
    }
    // Attributes: name="value" or name='value', until > or />.
    bool self_closing = false;
    for (;;) {
      while (j < html.size() && std::isspace(static_cast<unsigned char>(html[j]))) ++j;
      if (j >= html.size()) return problem(lt, "unterminated tag <" + name), summary;
      if (html[j] == '>') break;
      if (html.compare(j, 2, "/>") == 0) {
        self_closing = true;
        ++j;
        break;
      }
      const size_t attribute_start = j;
      while (j < html.size() && html[j] != '=' && html[j] != '>' && html[j] != '/' &&
             !std::isspace(static_cast<unsigned char>(html[j]))) {
        ++j;
      }
      std::string attribute = html.substr(attribute_start, j - attribute_start);
      if (attribute.empty()) return problem(j, "bad attribute in <" + name), summary;
      std::string value;
      if (j < html.size() && html[j] == '=') {
        const char quote = j + 1 < html.size() ? html[j + 1] : '\0';
        if (quote != '"' && quote != '\'') return problem(j, "unquoted attribute value in <" + name), summary;
        const size_t end = html.find(quote, j + 2);
        if (end == std::string::npos) return problem(j, "unterminated attribute value"), summary;
        value = html.substr(j + 2, end - j - 2);
        check_text(j + 2, end);
        j = end + 1;
      }
      for (char& c : attribute) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (attribute == "id" && !ids.insert(value).second) problem(attribute_start, "duplicate id '" + value + "'");
      if (attribute == "src") problem(attribute_start, "src= loads a file: '" + value + "'");
      if (attribute == "href" || attribute == "xlink:href") check_url(attribute_start, value);
      for (size_t u = value.find("url("); u != std::string::npos; u = value.find("url(", u + 4)) {
        const size_t close = value.find(')', u);
        check_url(attribute_start, value.substr(u + 4, close == std::string::npos ? std::string::npos : close - u - 4));
      }
    }
    i = j + 1;
    if (closing) {
      if (open.empty() || open.back() != name) {
        problem(lt, "</" + name + "> closes " + (open.empty() ? std::string("nothing") : "<" + open.back() + ">"));
      } else {
        open.pop_back();
      }
      continue;
    }
    ++summary.elements[name];
    if (external.count(name)) problem(lt, "<" + name + "> loads something from outside the page");
    if (self_closing || void_elements.count(name)) continue;
    if (name == "style" || name == "script") {  // raw text up to the closing tag
      const size_t end = html.find("</" + name + ">", i);
      if (end == std::string::npos) return problem(lt, "unclosed <" + name + ">"), summary;
      if (html.find("url(", i) < end || html.find("@import", i) < end) problem(i, "the style sheet loads something");
      i = end + name.size() + 3;
      continue;
    }
    open.push_back(name);
  }
  for (const std::string& name : open) problem(html.size(), "<" + name + "> never closed");
  for (const std::string& r : references) {
    if (!ids.count(r)) problem(0, "reference to #" + r + ", which no element has as its id");
  }
  return summary;
}

}  // namespace nabla::testing
