// FUNDGAP_LANES: a function the library builds twice, for AVX2 and for the baseline x86-64,
// the copy the machine runs chosen when the program loads (GCC's target_clones). For loops
// over many values whose arithmetic is the same either way: neither target has a fused
// multiply-add, so each copy gives the same bits. Clang (the fuzz preset) refuses calls of
// helpers of another target from such copies, so it builds the baseline only; so does
// FUNDGAP_NO_TARGET_CLONES.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(FUNDGAP_NO_TARGET_CLONES)
#define FUNDGAP_LANES __attribute__((target_clones("avx2", "default")))
#else
#define FUNDGAP_LANES
#endif
