// `gisa extract`: placeholder until issue #3 lands; says so and exits non-zero.
#include "app/commands.hpp"

namespace gisa::app {

int run_extract(const extract_options& /*options*/) { return not_built("extract", "issue #3"); }

}  // namespace gisa::app
