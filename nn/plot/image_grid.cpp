// Drawing an ImageGrid: small grayscale pictures with captions, e.g. test digits with the
// label the network predicted.
#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <utility>

#include "nn/plot/draw.h"

namespace nabla::plot {

Image& ImageGrid::add_image(int width, int height, std::vector<float> pixels, std::string caption) {
  if (width <= 0 || height <= 0 || pixels.size() != static_cast<std::size_t>(width) * height) {
    throw std::invalid_argument("plot::ImageGrid::add_image: a " + std::to_string(width) + "x" +
                                std::to_string(height) + " image needs " + std::to_string(width * height) +
                                " pixels, got " + std::to_string(pixels.size()));
  }
  images.push_back({width, height, std::move(pixels), std::move(caption), ""});
  return images.back();
}

}  // namespace nabla::plot

namespace nabla::plot::detail {
namespace {

// Pixels are drawn in this many shades of gray. Each shade becomes one <path> holding all
// its pixels, so an image costs at most this many elements rather than width * height.
constexpr int kGrayLevels = 32;

std::string gray_hex(int level) {
  // Level 0 is white paper, the last level black ink.
  const int value = static_cast<int>(std::lround(255.0 * (1.0 - static_cast<double>(level) / (kGrayLevels - 1))));
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string byte{kDigits[value / 16], kDigits[value % 16]};
  return "#" + byte + byte + byte;
}

// The image as one path per gray level, in image-pixel units. A row's run of equal pixels
// becomes one rectangle, "M x y h run v 1 h -run z"; white pixels are just the background.
std::string pixel_paths(const Image& image, const std::optional<Range>& value_range) {
  double lo = 0;
  double hi = 1;
  if (value_range) {
    lo = value_range->min;
    hi = value_range->max;
  } else {
    lo = INFINITY;
    hi = -INFINITY;
    for (const float v : image.pixels) {
      if (std::isfinite(v)) {
        lo = std::min(lo, static_cast<double>(v));
        hi = std::max(hi, static_cast<double>(v));
      }
    }
  }
  const bool flat = !(hi > lo);  // a blank (or all-NaN) image stays white
  auto level_of = [&](float v) {
    if (flat || !std::isfinite(v)) return 0;
    const double t = std::clamp((v - lo) / (hi - lo), 0.0, 1.0);
    return static_cast<int>(std::lround(t * (kGrayLevels - 1)));
  };

  std::array<std::string, kGrayLevels> runs_by_level;
  for (int y = 0; y < image.height; ++y) {
    const float* row = image.pixels.data() + static_cast<std::size_t>(y) * image.width;
    for (int x = 0; x < image.width;) {
      const int level = level_of(row[x]);
      int run = 1;
      while (x + run < image.width && level_of(row[x + run]) == level) ++run;
      if (level > 0) {
        const std::string length = std::to_string(run);
        append(runs_by_level[level], "M", std::to_string(x), " ", std::to_string(y), "h", length, "v1h-", length, "z");
      }
      x += run;
    }
  }
  std::string paths;
  for (int level = 1; level < kGrayLevels; ++level) {
    if (!runs_by_level[level].empty()) {
      paths += "<path fill=\"" + gray_hex(level) + "\" d=\"" + runs_by_level[level] + "\"/>\n";
    }
  }
  return paths;
}

}  // namespace

void draw_image_grid(SvgBuilder& svg, const ImageGrid& grid, double width, double height) {
  const double font = panel_font_size(width, height);
  const double title_font = font * 1.15;
  const double pad = std::max(6.0, font * 0.6);
  const double top = pad + (grid.title.empty() ? 0 : title_font * 1.6);
  if (!grid.title.empty()) {
    const double size = fitting_font_size(grid.title, title_font, width - 2 * pad, font * 0.75);
    svg.text({width / 2, pad + title_font}, grid.title, size, Anchor::Middle);
  }
  const std::size_t count = grid.images.size();
  if (count == 0) return;

  int image_width = 0;
  int image_height = 0;
  bool any_caption = false;
  for (const Image& image : grid.images) {
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() != static_cast<std::size_t>(image.width) * image.height) {
      throw std::invalid_argument("plot::ImageGrid '" + grid.title + "': an image's pixel count is not width x height");
    }
    image_width = std::max(image_width, image.width);
    image_height = std::max(image_height, image.height);
    any_caption = any_caption || !image.caption.empty();
  }

  // Every image gets the same scale: screen pixels per image pixel.
  const double caption_height = any_caption ? font * 1.5 : 0;
  const double gap = font * 0.8;
  const double available_width = width - 2 * pad;
  const double available_height = height - top - pad;
  auto scale_for = [&](int columns) {
    const int rows = static_cast<int>((count + columns - 1) / columns);
    const double across = available_width / columns - gap;
    const double down = available_height / rows - gap - caption_height;
    return std::min(across / image_width, down / image_height);
  };
  int columns = grid.columns;
  if (columns <= 0) {  // the column count that makes the images largest
    columns = 1;
    for (int c = 2; c <= static_cast<int>(count); ++c) {
      if (scale_for(c) > scale_for(columns)) columns = c;
    }
  }
  double scale = std::max(scale_for(columns), 0.1);
  // Whole screen pixels per image pixel keep the pixel edges sharp.
  if (scale >= 2) scale = std::floor(scale);

  const int rows = static_cast<int>((count + columns - 1) / columns);
  const double slot_width = image_width * scale + gap;
  const double slot_height = image_height * scale + caption_height + gap;
  // Centre the block of images in the space left under the title.
  const double block_left = pad + std::max(0.0, (available_width - columns * slot_width) / 2);
  const double block_top = top + std::max(0.0, (available_height - rows * slot_height) / 2);

  for (std::size_t i = 0; i < count; ++i) {
    const Image& image = grid.images[i];
    const double slot_x = block_left + static_cast<double>(i % columns) * slot_width;
    const double slot_y = block_top + static_cast<double>(i / columns) * slot_height;
    const double x = slot_x + (slot_width - image.width * scale) / 2;
    const double y = slot_y + gap / 2;
    const Box frame{x, y, x + image.width * scale, y + image.height * scale};

    svg.open_group("class=\"image\"");
    svg.rect(frame.grown(0.5), "white", "#bbbbbb", 1);
    // crispEdges: no anti-aliasing between neighbouring pixel rectangles, which would
    // otherwise show as faint seams.
    svg.open_group("transform=\"translate(" + num(x) + " " + num(y) + ") scale(" + num(scale) +
                   ")\" shape-rendering=\"crispEdges\"");
    svg.raw(pixel_paths(image, grid.value_range));
    svg.close_group();
    if (!image.caption.empty()) {
      const double size = fitting_font_size(image.caption, font, slot_width - 2, font * 0.7);
      svg.text({(frame.left + frame.right) / 2, frame.bottom + font * 1.2}, image.caption, size, Anchor::Middle,
               image.caption_color.empty() ? kTextColor : image.caption_color);
    }
    svg.close_group();
  }
}

}  // namespace nabla::plot::detail
