// `gisa migrate`: placeholder until issue #6 lands; says so and exits non-zero.
#include "app/commands.hpp"

namespace gisa::app {

int run_migrate(const migrate_options& /*options*/) { return not_built("migrate", "issue #6"); }

}  // namespace gisa::app
