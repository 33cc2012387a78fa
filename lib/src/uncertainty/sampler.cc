#include "sampler.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "fundgap/base/clones.h"
#include "fundgap/uncertainty/simulation.h"

namespace fundgap::uncertainty {

void uniforms(std::uint64_t seed, std::uint64_t first, std::size_t count, std::uint64_t stream, double* v) {
  std::size_t j = 0;
#if defined(__SSE2__)
  // Philox4x32-10 (Salmon et al. 2011) on four counters at once, the draw pairs p .. p + 3,
  // each 32-bit word in the low half of a 64-bit lane, two counters to a register: a round
  // multiplies words 0 and 2 by its constants, 32 x 32 -> 64 bits (pmuludq reads only the
  // low halves, so a lane's high half may hold anything until the words are put together),
  // and the words become (hi(2) ^ 1 ^ key 0, lo(2), hi(0) ^ 3 ^ key 1, lo(0)); then the key
  // gains the Weyl constants. tests/simulation_test.cc checks it against Random123's.
  __m128i keys[10][2];
  {
    std::uint32_t k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
    for (auto& key : keys) {
      key[0] = _mm_set1_epi64x(k0);
      key[1] = _mm_set1_epi64x(k1);
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
  }
  const __m128i m0 = _mm_set1_epi64x(0xD2511F53), m1 = _mm_set1_epi64x(0xCD9E8D57), low = _mm_set1_epi64x(0xFFFFFFFF);
  const __m128i stream_low = _mm_set1_epi64x(static_cast<long long>(stream & 0xFFFFFFFF)),
                stream_high = _mm_set1_epi64x(static_cast<long long>(stream >> 32));
  const __m128i one = _mm_set1_epi64x(0x3FF0000000000000ll);
  const __m128d below_one = _mm_set1_pd(1 - 0x1p-53);
  if (count > 0 && (first & 1)) {  // an odd first draw: the second half of its pair
    v[0] = uniform(seed, first, stream);
    j = 1;
  }
  for (; j + 8 <= count; j += 8) {
    const std::uint64_t pair = (first + j) >> 1;
    __m128i w[2][4];
    for (std::size_t g = 0; g < 2; ++g) {
      const __m128i p = _mm_set_epi64x(static_cast<long long>(pair + 2 * g + 1), static_cast<long long>(pair + 2 * g));
      w[g][0] = _mm_and_si128(p, low);
      w[g][1] = _mm_srli_epi64(p, 32);
      w[g][2] = stream_low;
      w[g][3] = stream_high;
    }
    for (const auto& key : keys)
      for (auto& x : w) {
        const __m128i p0 = _mm_mul_epu32(x[0], m0), p2 = _mm_mul_epu32(x[2], m1);
        x[0] = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(p2, 32), x[1]), key[0]);
        x[1] = p2;
        x[2] = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(p0, 32), x[3]), key[1]);
        x[3] = p0;
      }
    for (std::size_t g = 0; g < 2; ++g) {
      // Words 0 and 1 are the even draw's 64 bits, 2 and 3 the odd one's; unit_interval() on each.
      auto unit = [&](const __m128i& a, const __m128i& b) {
        const __m128i bits = _mm_or_si128(_mm_and_si128(a, low), _mm_slli_epi64(b, 32));
        return _mm_sub_pd(_mm_castsi128_pd(_mm_or_si128(_mm_srli_epi64(bits, 12), one)), below_one);
      };
      const __m128d even = unit(w[g][0], w[g][1]), odd = unit(w[g][2], w[g][3]);
      _mm_storeu_pd(v + j + 4 * g, _mm_unpacklo_pd(even, odd));
      _mm_storeu_pd(v + j + 4 * g + 2, _mm_unpackhi_pd(even, odd));
    }
  }
#endif
  for (; j < count; ++j) v[j] = uniform(seed, first + j, stream);
}

Sampler::Sampler(const Scenario& sc) : sc_(sc), row_of_(sc.parameters.size(), SIZE_MAX) {
  std::vector<bool> grouped(sc.parameters.size(), false);
  for (const CorrelationGroup& g : sc.correlations)
    for (int i : g.parameters) grouped[static_cast<std::size_t>(i)] = true;
  for (std::size_t i = 0; i < sc.parameters.size(); ++i) {
    if (!sc.parameters[i].distribution) continue;
    row_of_[i] = inputs_.size();
    if (!grouped[i]) independent_.push_back(inputs_.size());
    inputs_.push_back(i);
  }
}

Sampler::Target Sampler::target(Scenario& w) const {
  Target t;
  for (std::size_t i : inputs_) t.slots.push_back(parameter_slots(w, sc_.parameters[i].target));
  return t;
}

void Sampler::set(Target& target, const Batch& batch, std::size_t j) {
  for (std::size_t r = 0; r < target.slots.size(); ++r) {
    const double v = batch.at(r, j);
    for (double& slot : target.slots[r]) slot = v;
  }
}

namespace {

// Row m of the Cholesky factor times the members' normals, for each of `count` draws:
// out[j] = L(m, 0) z_0[j] + ... + L(m, m) z_m[j], added in that order (row i of `z` is member
// i's normals), every draw of the batch side by side.
FUNDGAP_LANES void mix(const Eigen::MatrixXd& cholesky, std::size_t m, const double* z, std::size_t count,
                       double* __restrict out) {
  std::fill_n(out, count, 0.0);
  for (std::size_t i = 0; i <= m; ++i) {
    const double l = cholesky(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(i));
    const double* __restrict zi = z + i * count;
    for (std::size_t j = 0; j < count; ++j) out[j] += l * zi[j];
  }
}

}  // namespace

void Sampler::draw(std::uint64_t seed, std::uint64_t first, std::size_t count, Batch& out) const {
  out.first = first;
  out.count = count;
  out.values.resize(inputs_.size() * count);
  auto row = [&](std::size_t r) { return out.values.data() + r * count; };
  // A row of uniforms, then the input's distribution over the whole row.
  for (std::size_t r : independent_) {
    const std::size_t i = inputs_[r];
    double* v = row(r);
    uniforms(seed, first, count, i, v);
    sc_.parameters[i].distribution->sample(std::span<double>(v, count));
  }
  // Correlated groups: standard normals from the same streams, mixed by the Cholesky
  // factor, back to uniforms (a Gaussian copula), then each input's own distribution.
  for (const CorrelationGroup& g : sc_.correlations) {
    const std::size_t k = g.parameters.size();
    auto member = [&](std::size_t m) { return static_cast<std::size_t>(g.parameters[m]); };
    // Each member's normals of the batch, a row of `normals` at a time.
    out.normals.resize(k * count);
    for (std::size_t m = 0; m < k; ++m) {
      double* v = out.normals.data() + m * count;
      uniforms(seed, first, count, member(m), v);
      normal_quantiles_fast(std::span<double>(v, count));
    }
    for (std::size_t m = 0; m < k; ++m) {
      double* u = row(row_of_[member(m)]);
      mix(g.cholesky, m, out.normals.data(), count, u);
      for (std::size_t j = 0; j < count; ++j) u[j] = std::clamp(normal_cdf(u[j]), 1e-300, 1 - 1e-16);
      sc_.parameters[member(m)].distribution->sample(std::span<double>(u, count));
    }
  }
}

}  // namespace fundgap::uncertainty

namespace fundgap {

std::vector<double> parameter_draws(const Scenario& sc, std::size_t parameter, std::uint64_t seed, std::uint64_t first,
                                    std::size_t count) {
  const uncertainty::Sampler sampler(sc);
  uncertainty::Sampler::Batch batch;
  sampler.draw(seed, first, count, batch);
  Scenario w = sc;
  uncertainty::Sampler::Target target = sampler.target(w);
  std::vector<double> out(count);
  for (std::size_t j = 0; j < count; ++j) {
    uncertainty::Sampler::set(target, batch, j);
    out[j] = parameter_value(w, sc.parameters[parameter].target);
  }
  return out;
}

}  // namespace fundgap
