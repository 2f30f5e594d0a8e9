// `gisa ingest`: placeholder until issues #5 and #6 lands; says so and exits non-zero.
#include "app/commands.hpp"

namespace gisa::app {

int run_ingest(const ingest_options& /*options*/) { return not_built("ingest", "issues #5 and #6"); }

}  // namespace gisa::app
