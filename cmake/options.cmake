# Warnings and sanitizers as INTERFACE targets, linked PRIVATE by our own targets,
# so that a project embedding fundgap never inherits them.
add_library(fundgap_warnings INTERFACE)
target_compile_options(fundgap_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  # GCC's note and Clang's warning that 32-byte vectors pass differently with and without
  # AVX: the library's vector helpers are always inlined, so none is passed
  # (lib/src/model/stages.h, "lanes").
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wno-psabi>
  $<$<BOOL:${FUNDGAP_WARNINGS_AS_ERRORS}>:-Werror>)

add_library(fundgap_sanitizers INTERFACE)
if(FUNDGAP_SANITIZE OR FUNDGAP_FUZZ)
  target_compile_options(fundgap_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
    # Fuzzing: libFuzzer's coverage in everything it reaches (its main is linked only
    # into the fuzz targets).
    $<$<BOOL:${FUNDGAP_FUZZ}>:-fsanitize=fuzzer-no-link>)
  target_link_options(fundgap_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
