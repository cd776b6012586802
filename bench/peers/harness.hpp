// The common part of the peer harnesses that bench/engines.js times against our engine: reading
// the case's float32 .npy, the command line, the timed loop, peak RSS, the diagrams written as
// .npy files and the one JSON line on stdout. Each harness supplies only `compute`.
//
//   HARNESS IN.npy --construction T|V [--reps N] [--slow MS] [--diagrams PREFIX] [--KEY VALUE]...
//
// compute() is called N times (only twice when the first call takes longer than MS, as in
// bench/cubical-worker.js); the times are wall-clock milliseconds of compute() alone. With --diagrams, the last call's diagram of
// dimension k is written to PREFIXk.npy: float64, N x 2 rows (birth, death), +inf for an essential
// class, only pairs with birth < death. maxrss_kb is getrusage(RUSAGE_SELF).ru_maxrss, read after
// the timed calls.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace harness {

constexpr double inf = std::numeric_limits<double>::infinity();

/** A float32 array read from a C-order .npy file. */
struct Array {
  std::vector<float> data;
  std::vector<std::size_t> shape;
};

/** One homology dimension: pairs (birth, death), zero-length ones included or not. */
using Diagram = std::vector<std::pair<double, double>>;

/** The command line: the input file and every `--key value` pair. */
struct Options {
  std::string input;
  std::map<std::string, std::string> values;

  std::string get(const std::string& key, const std::string& fallback = "") const {
    auto it = values.find(key);
    return it == values.end() ? fallback : it->second;
  }
};

inline Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) == 0) {
      if (i + 1 >= argc) throw std::runtime_error("missing value after " + a);
      o.values[a.substr(2)] = argv[++i];
    } else if (o.input.empty()) {
      o.input = a;
    } else {
      throw std::runtime_error("more than one input file: " + a);
    }
  }
  if (o.input.empty()) throw std::runtime_error("no input file");
  return o;
}

/** Reads a little-endian float32 ('<f4'), C-order .npy file (versions 1 to 3). */
inline Array read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  char magic[8];
  in.read(magic, 8);
  if (!in || std::string(magic, 6) != "\x93NUMPY") throw std::runtime_error(path + ": not a .npy file");
  std::uint32_t header_len = 0;
  if (magic[6] == 1) {
    unsigned char b[2];
    in.read(reinterpret_cast<char*>(b), 2);
    header_len = b[0] | (b[1] << 8);
  } else {
    unsigned char b[4];
    in.read(reinterpret_cast<char*>(b), 4);
    header_len = b[0] | (b[1] << 8) | (b[2] << 16) | (std::uint32_t(b[3]) << 24);
  }
  std::string header(header_len, ' ');
  in.read(&header[0], header_len);
  if (header.find("'<f4'") == std::string::npos) throw std::runtime_error(path + ": not little-endian float32");
  if (header.find("'fortran_order': False") == std::string::npos) throw std::runtime_error(path + ": not C order");
  auto open = header.find('(', header.find("'shape'"));
  auto close = header.find(')', open);
  Array a;
  std::stringstream dims(header.substr(open + 1, close - open - 1));
  std::string item;
  std::size_t size = 1;
  while (std::getline(dims, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos) continue;
    a.shape.push_back(std::stoul(item));
    size *= a.shape.back();
  }
  a.data.resize(size);
  in.read(reinterpret_cast<char*>(a.data.data()), std::streamsize(size * sizeof(float)));
  if (!in) throw std::runtime_error(path + ": data too short");
  return a;
}

/** Writes pairs with birth < death as a float64 N x 2 .npy file. */
inline void write_diagram(const std::string& path, const Diagram& d) {
  std::vector<double> rows;
  for (auto& p : d)
    if (p.first < p.second) {
      rows.push_back(p.first);
      rows.push_back(p.second);
    }
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(rows.size() / 2) + ", 2), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const unsigned char len[2] = {static_cast<unsigned char>(header.size() & 0xff),
                                static_cast<unsigned char>(header.size() >> 8)};
  out.write(reinterpret_cast<const char*>(len), 2);
  out << header;
  out.write(reinterpret_cast<const char*>(rows.data()), std::streamsize(rows.size() * sizeof(double)));
  if (!out) throw std::runtime_error("cannot write " + path);
}

inline long maxrss_kb() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

/**
 * The harness's main: parses the command line, reads the input, calls `compute(options, array)`
 * (which returns one Diagram per dimension) as the options say, prints the JSON line.
 * `prepare(options, array)` runs once, untimed, before the timed calls (conversions, tables).
 */
template <class Prepare, class Compute>
int run(int argc, char** argv, Prepare prepare, Compute compute) {
  try {
    Options o = parse(argc, argv);
    Array a = read_npy(o.input);
    prepare(o, a);
    const int reps = std::stoi(o.get("reps", "1"));
    const double slow = std::stod(o.get("slow", "1e300"));
    std::vector<double> times;
    std::vector<Diagram> diagrams;
    for (int r = 0; r < reps; ++r) {
      diagrams.clear();
      auto t0 = std::chrono::steady_clock::now();
      diagrams = compute(o, a);
      times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      if (times.size() == 2 && times[0] > slow) break;
    }
    const long rss = maxrss_kb();
    const std::string prefix = o.get("diagrams");
    if (!prefix.empty())
      for (std::size_t k = 0; k < diagrams.size(); ++k) write_diagram(prefix + std::to_string(k) + ".npy", diagrams[k]);
    double best = inf;
    std::ostringstream js;
    js.precision(17);
    js << "{\"times\": [";
    for (std::size_t i = 0; i < times.size(); ++i) {
      js << (i ? ", " : "") << times[i];
      best = std::min(best, times[i]);
    }
    js << "], \"best\": " << best << ", \"maxrss_kb\": " << rss << ", \"pairs\": [";
    for (std::size_t k = 0; k < diagrams.size(); ++k) {
      std::size_t n = 0;
      for (auto& p : diagrams[k]) n += p.first < p.second;
      js << (k ? ", " : "") << n;
    }
    js << "]}";
    std::cout << js.str() << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
}

}  // namespace harness
