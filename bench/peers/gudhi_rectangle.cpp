// Peer harness for bench/engines.js: GUDHI's 2-D cubical persistence from top cells
// (Gudhi::cubical_complex::persistence_on_rectangle_from_top_cells, header-only, MIT), with
// output_index = true so that every pair carries its critical cells, as ours does.
//
//   gudhi-rectangle IN.npy --construction T|V [--reps N] [--slow MS] [--diagrams PREFIX]
//
// T: the pixels are the top cells, as given (float32, index type unsigned int as in GUDHI's Python
// module). V: the header has no vertex input, so V is computed by the duality of GUDHI issue #1384:
// the T diagram of -x padded by a border of -inf, whose dimension-1 pairs (b, d) are the V pairs
// (-d, -b) of dimension 0 (the essential class among them: the border's loop dies at -min x) and
// whose finite dimension-0 pairs give dimension 1 the same way. The padding is inside the timed call.
#include <gudhi/Persistence_on_rectangle.h>

#include <limits>
#include <stdexcept>
#include <vector>

#include "harness.hpp"

using harness::Diagram;
using Index = unsigned int;

namespace {

/** T diagrams of the rows x cols top cells `a`: H0 (with the essential class) and H1. */
std::vector<Diagram> top_cells(const float* a, Index rows, Index cols) {
  std::vector<Diagram> d(2);
  std::vector<std::pair<Index, Index>> cells0, cells1;  // the critical cells, as output_index gives them
  auto out0 = [&](Index b, Index e) {
    cells0.emplace_back(b, e);
    d[0].emplace_back(a[b], a[e]);
  };
  auto out1 = [&](Index b, Index e) {
    cells1.emplace_back(b, e);
    d[1].emplace_back(a[b], a[e]);
  };
  Index min = Gudhi::cubical_complex::persistence_on_rectangle_from_top_cells<true>(a, rows, cols, out0, out1);
  d[0].emplace_back(a[min], harness::inf);
  return d;
}

/** V diagrams of the rows x cols vertex values `a`, through the T diagrams of the padded negation. */
std::vector<Diagram> vertices(const float* a, Index rows, Index cols) {
  const Index w = cols + 2;
  std::vector<float> b(std::size_t(rows + 2) * w, -std::numeric_limits<float>::infinity());
  for (Index y = 0; y < rows; ++y)
    for (Index x = 0; x < cols; ++x) b[std::size_t(y + 1) * w + x + 1] = -a[std::size_t(y) * cols + x];
  std::vector<Diagram> t = top_cells(b.data(), rows + 2, w);
  std::vector<Diagram> v(2);
  for (auto& p : t[1]) v[0].emplace_back(-p.second, -p.first);
  t[0].pop_back();  // the essential class of T (born at -inf) has no V counterpart
  for (auto& p : t[0]) v[1].emplace_back(-p.second, -p.first);
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  return harness::run(
      argc, argv,
      [](const harness::Options& o, const harness::Array& a) {
        if (a.shape.size() != 2) throw std::runtime_error("GUDHI's Persistence_on_rectangle is 2-D only");
        if (a.shape[0] < 3 || a.shape[1] < 3) throw std::runtime_error("needs at least 3 x 3 (GUDHI issue #1383)");
        const std::string c = o.get("construction", "T");
        if (c != "T" && c != "V") throw std::runtime_error("--construction must be T or V");
      },
      [](const harness::Options& o, const harness::Array& a) {
        const Index rows = Index(a.shape[0]), cols = Index(a.shape[1]);
        return o.get("construction", "T") == "T" ? top_cells(a.data.data(), rows, cols)
                                                  : vertices(a.data.data(), rows, cols);
      });
}
