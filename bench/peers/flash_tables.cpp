// Flash Cubical's lookup tables zero_lookup_3d.bin (and zero_lookup_2d.bin), for bench/engines.js:
// built by the table builder of the repository's first commit (cpp/zero_lookup/runtime/
// zero_table.cpp there, which built the tables at run time), written in the file format that the
// pinned commit's runtime reads (zero_table_file.cpp): magic, schema 1, table version 1, payload
// size, FNV-1a 64 checksum, little-endian fields. bench/peers/build.sh compiles and runs it:
//   g++ -std=c++20 -O2 -I FIRST_COMMIT/cpp flash_tables.cpp -o flash-tables
//   ./flash-tables OUT3D.bin [OUT2D.bin]
// The builder keeps its tables in private members: read them directly.
#define private public
#include "zero_lookup/runtime/zero_table.cpp"
#undef private

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace zero_lookup;

namespace {
struct W {
    std::vector<std::uint8_t> b;
    void u8(std::uint8_t v) { b.push_back(v); }
    void u16(std::uint16_t v) { b.push_back(v & 0xff); b.push_back(v >> 8); }
    void u32(std::uint32_t v) { for (int i = 0; i < 4; ++i) b.push_back((v >> (8 * i)) & 0xff); }
    void u64(std::uint64_t v) { for (int i = 0; i < 8; ++i) b.push_back((v >> (8 * i)) & 0xff); }
    template <std::size_t N> void a8(const std::array<std::uint8_t, N>& a) { for (auto v : a) u8(v); }
    template <std::size_t N> void a16(const std::array<std::uint16_t, N>& a) { for (auto v : a) u16(v); }
};

void entry2d(W& w, const Entry2D& e) {
    w.u8(e.edge_mask); w.u8(e.square_mask); w.u8(e.edge_h0_negative_mask);
    w.u8(e.edge_h1_positive_mask); w.u8(e.square_h1_negative_mask);
    w.u8(e.survivor_edge_mask); w.u8(e.survivor_square_mask); w.u8(e.direct_h0_edge);
    w.u8(e.direct_h1_dual_count); w.u8(e.edge_h1_positive_count);
    w.u8(e.square_h1_negative_count); w.u8(e.survivor_edge_count); w.u8(e.survivor_square_count);
    for (const auto& p : e.direct_h1_dual_pairs) { w.u8(p.edge); w.u8(p.square); }
    w.a8(e.edge_second_rank); w.a8(e.square_second_rank); w.a8(e.square_birth_local_edge);
    w.a8(e.edge_order_asc); w.a8(e.edge_order_desc); w.a8(e.square_order_asc); w.a8(e.square_order_desc);
    w.u8(e.residual_edge_order_asc_count); w.u8(e.residual_edge_order_desc_count);
    w.u8(e.residual_square_order_asc_count);
    w.a8(e.residual_edge_order_asc); w.a8(e.residual_edge_order_desc); w.a8(e.residual_square_order_asc);
}

void entry3d(W& w, const Entry3D& e) {
    w.u8(e.edge_mask); w.u16(e.square_mask); w.u8(e.cube_mask);
    w.u8(e.edge_h0_negative_mask); w.u8(e.edge_h1_positive_mask);
    w.u16(e.square_h1_negative_mask); w.u16(e.square_h2_negative_mask); w.u16(e.square_h2_skip_mask);
    w.u8(e.survivor_edge_mask); w.u16(e.survivor_square_mask); w.u8(e.survivor_cube_mask);
    w.u16(e.h2_residual_square_mask);
    w.u8(e.direct_h0_edge); w.u8(e.zero_h1_count); w.u8(e.direct_h2_count);
    for (const auto& p : e.zero_h1_pairs) { w.u8(p.edge); w.u8(p.square); }
    w.a8(e.h1_square_semireduced_boundary);
    w.a16(e.h1_square_substitution_square_mask);
    w.a8(e.zero_h1_rewrite_masks);
    for (const auto& p : e.direct_h2_pairs) { w.u8(p.square); w.u8(p.cube); }
    w.u8(e.edge_count); w.u8(e.square_count); w.u8(e.cube_count);
    w.a8(e.edge_second_rank); w.a8(e.square_second_rank); w.a8(e.cube_second_rank);
    w.a8(e.square_birth_local_edge); w.a8(e.cube_birth_local_square);
    w.a8(e.edge_order_asc); w.a8(e.edge_order_desc); w.a8(e.square_order_asc);
    w.a8(e.square_order_desc); w.a8(e.cube_order_asc); w.a8(e.cube_order_desc);
    w.u8(e.residual_edge_asc_count); w.u8(e.residual_edge_desc_count);
    w.u8(e.residual_square_asc_count); w.u8(e.residual_square_desc_count);
    w.u8(e.h2_residual_square_asc_count); w.u8(e.residual_cube_asc_count);
    w.a8(e.residual_edge_order_asc); w.a8(e.residual_edge_order_desc);
    w.a8(e.residual_square_order_asc); w.a8(e.residual_square_order_desc);
    w.a8(e.h2_residual_square_order_asc); w.a8(e.residual_cube_order_asc);
}

void write_file(const std::string& path, const char* magic, const std::vector<std::uint8_t>& payload) {
    std::uint64_t h = 14695981039346656037ull;
    for (std::uint8_t c : payload) { h ^= c; h *= 1099511628211ull; }
    W head;
    head.u32(1); head.u32(1); head.u64(payload.size()); head.u64(h);
    std::ofstream out(path, std::ios::binary);
    out.write(magic, 8);
    out.write(reinterpret_cast<const char*>(head.b.data()), head.b.size());
    out.write(reinterpret_cast<const char*>(payload.data()), payload.size());
    if (!out) throw std::runtime_error("write failed: " + path);
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) { std::fprintf(stderr, "usage: %s OUT3D.bin [OUT2D.bin]\n", argv[0]); return 2; }
    const auto& t = table3d();
    W w;
    w.u32(static_cast<std::uint32_t>(t.es_.size()));
    w.u32(static_cast<std::uint32_t>(t.full_.size()));
    w.u32(static_cast<std::uint32_t>(t.pairs_.size()));
    for (auto v : t.es_) w.u16(v);
    for (auto v : t.full_) w.u16(v);
    for (const auto& e : t.pairs_) entry3d(w, e);
    write_file(argv[1], "FCZLUT3D", w.b);
    std::fprintf(stderr, "3D: es %zu, full %zu (%zu ES states), pairs %zu\n", t.es_.size(), t.full_.size(),
                 t.es_states_.size(), t.pairs_.size());
    if (argc > 2) {
        W w2;
        w2.u32(256);
        for (const auto& e : table2d()) entry2d(w2, e);
        write_file(argv[2], "FCZLUT2D", w2.b);
    }
    return 0;
}
