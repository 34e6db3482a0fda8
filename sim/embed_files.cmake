# Generates a C++ source defining
#   std::span<const sim::scenario::EmbeddedFile> SYMBOL()
# over FILES, each named by its path relative to ROOT. Raw string literals
# with a delimiter that does not occur in data files.
set(body "// Generated at build time; do not edit.\n#include <span>\n#include \"sim/scenario/scenario.hpp\"\nnamespace {\nconst sim::scenario::EmbeddedFile kFiles[] = {\n")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(f ${FILES})
  file(RELATIVE_PATH name ${ROOT} ${f})
  file(READ ${f} content)
  string(APPEND body "  {\"${name}\", R\"ruralsim_embed(${content})ruralsim_embed\"},\n")
endforeach()
string(APPEND body "};\n}  // namespace\nstd::span<const sim::scenario::EmbeddedFile> ${SYMBOL}() { return kFiles; }\n")
file(WRITE ${OUT} "${body}")
