// Peer harness for bench/engines.js: Flash Cubical (T-prog123/FlashCubical), the C++ core that its
// Python module calls, used as that module does (cpp/bindings.cpp).
//
//   flash-cubical IN.npy --construction V --table2d FILE [--table3d FILE] [--reps N] [--slow MS]
//                 [--diagrams PREFIX]
//
// Flash Cubical computes the V construction only (the entries are vertices, lower-star filtration).
// Its input is float64: the float32 array is widened (exactly) before the timed calls, as its Python
// module does before calling the core. The lookup tables are loaded once, untimed. 2-D:
// compute_2d_all (H0, H1, the essential class with death +inf); 3-D: smart_h0_h2_3d::compute, which
// needs zero_lookup_3d.bin.
#include <array>
#include <stdexcept>
#include <vector>

#include "algorithms/smart_h0_h2_3d.hpp"
#include "compute_2d_all.hpp"
#include "harness.hpp"
#include "zero_lookup/runtime/mask_build.hpp"
#include "zero_lookup/runtime/zero_table.hpp"

using harness::Diagram;

namespace {

std::vector<double> values;  // the input as float64

std::vector<Diagram> compute_2d(const harness::Array& a) {
  std::vector<Diagram> d(2);
  for (const auto& p : cubicalp_native::compute_2d_all(values.data(), a.shape[0], a.shape[1]))
    d[std::size_t(p[2])].emplace_back(p[0], p[1]);
  return d;
}

std::vector<Diagram> compute_3d(const harness::Array& a) {
  zero_lookup::MaskBuild3D masks = zero_lookup::build_masks3d(values.data(), a.shape[0], a.shape[1], a.shape[2]);
  smart_h0_h2_3d::FullResult r =
      smart_h0_h2_3d::compute(values.data(), a.shape[0], a.shape[1], a.shape[2],
                              /*include_apparent_zero_pairs=*/false, /*value_codes=*/nullptr,
                              /*compute_h1=*/true, /*profile_h1=*/false, masks.masks.data());
  std::vector<Diagram> d(3);
  for (const auto& p : r.h0.pairs) d[0].emplace_back(p.birth, p.death);
  for (const auto& p : r.h1.pairs) d[1].emplace_back(p.birth, p.death);
  for (const auto& p : r.h2.pairs) d[2].emplace_back(p.birth, p.death);
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  return harness::run(
      argc, argv,
      [](const harness::Options& o, const harness::Array& a) {
        if (o.get("construction", "V") != "V") throw std::runtime_error("Flash Cubical computes the V construction only");
        if (a.shape.size() == 2) {
          zero_lookup::load_zero_table2d(o.get("table2d"));
          zero_lookup::warm_zero_table2d();
        } else if (a.shape.size() == 3) {
          zero_lookup::load_zero_table3d(o.get("table3d"));
          zero_lookup::warm_zero_table3d();
        } else {
          throw std::runtime_error("Flash Cubical takes 2-D or 3-D arrays");
        }
        values.assign(a.data.begin(), a.data.end());
      },
      [](const harness::Options&, const harness::Array& a) {
        return a.shape.size() == 2 ? compute_2d(a) : compute_3d(a);
      });
}
