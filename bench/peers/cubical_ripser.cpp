// Peer harness for bench/engines.js: CubicalRipser (shizuo-kaji/CubicalRipser), called as its own
// Python module calls it (src/cubicalripser_pybind.cpp, default options: link-find for H0, the
// reduction for the higher dimensions, creator/destroyer locations computed). Its CLI cannot serve:
// it reads only float64 .npy files and times in whole milliseconds.
//
//   cubical-ripser-V IN.npy --construction V [--reps N] [--slow MS] [--diagrams PREFIX]
//   cubical-ripser-T IN.npy --construction T ...
//
// The construction is chosen at link time (dense_cubical_grids.cpp for V, dense_cubical_grids_T.cpp
// for T), hence two programs. The input is widened to float64 before the timed calls (the Python
// module takes float64); each timed call builds the padded grid (gridFromArray) and computes every
// dimension. CubicalRipser reports an essential class with death = its threshold (DBL_MAX by
// default): written here as +inf.
#include <cfloat>
#include <stdexcept>
#include <vector>

#include "compute_pairs.h"
#include "config.h"
#include "dense_cubical_grids.h"
#include "harness.hpp"
#include "joint_pairs.h"
#include "write_pairs.h"

using harness::Diagram;

namespace {

std::vector<double> values;  // the input as float64

std::vector<Diagram> compute(const harness::Array& a) {
  Config config;
  config.format = NUMPY;
  const auto dim = static_cast<std::uint8_t>(a.shape.size());
  DenseCubicalGrids dcg(config, dim, std::uint32_t(a.shape[0]), std::uint32_t(a.shape[1]),
                        dim > 2 ? std::uint32_t(a.shape[2]) : 1u);
  config.maxdim = dim - 1;
  dcg.gridFromArray(values.data(), /*embedded=*/false, /*fortran_order=*/false);
  dcg.finalisePadding();
  std::vector<WritePairs> pairs;
  std::vector<Cube> ctr;
  JointPairs jp(&dcg, pairs, config);
  if (dim == 2)
    jp.enum_edges({0, 1}, ctr);
  else
    jp.enum_edges({0, 1, 2}, ctr);
  jp.joint_pairs_main(ctr, 0);
  ComputePairs cp(&dcg, pairs, config);
  cp.compute_pairs_main(ctr);
  if (dim == 3) {
    cp.assemble_columns_to_reduce(ctr, 2);
    cp.compute_pairs_main(ctr);
  }
  std::vector<Diagram> d(dim);
  for (const auto& p : pairs) d[p.dim].emplace_back(p.birth, p.death == config.threshold ? harness::inf : p.death);
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  return harness::run(
      argc, argv,
      [](const harness::Options& o, const harness::Array& a) {
        Config probe;
        DenseCubicalGrids grid(probe);  // which construction this program was linked with
        const std::string mine = probe.tconstruction ? "T" : "V";
        if (o.get("construction", mine) != mine)
          throw std::runtime_error("this program computes the " + mine + " construction");
        if (a.shape.size() != 2 && a.shape.size() != 3) throw std::runtime_error("2-D or 3-D arrays only");
        values.assign(a.data.begin(), a.data.end());
      },
      [](const harness::Options&, const harness::Array& a) { return compute(a); });
}
